"""Fonts: the families the generator draws with, held-out families, and what each font really draws.

Taught in notebook 01. Fonts come from what the package registries ship (matplotlib's
DejaVu, STIX and Computer Modern, Google fonts from PyPI's `font-*` and `fontpkg-*`
packages, justmytype-western-core, and the TeX Gyre clones of the classic print faces).
Some families are held out (`font_paths("heldout")`): the training set never uses them.
"""
from __future__ import annotations

import functools
import importlib.util
import os
import string
from pathlib import Path

import numpy as np
from PIL import ImageFont

# family -> (package holding the files, file name patterns inside it). Sampling picks a
# family first and a style second, so a family with 14 weights is not 14 times as likely.
# The rinoh-typeface-* packages carry URW's TeX Gyre clones of the classic PostScript faces
# (Helvetica, Times, Courier, Palatino, Century Schoolbook, Bookman, Avant Garde), the faces
# of most printed signs and labels; justmytype-western-core carries Google's variable fonts,
# drawn at a random weight and width (see `AUGMENT`). Only the files are read: no package is imported.
# Left out on purpose: Carlito (drawn from Lato, a held-out family) and Microsoft's core
# fonts (their licence does not allow repackaging).
# Google Fonts families, one PyPI package each (fontpkg-<name>, OFL or Apache licensed).
# Chosen to span the kinds of lettering on signs and labels, so that a face the model has
# never seen is still near one it has. Not here on purpose: Lato, Fjalla One and Fredoka
# (the held-out families, or their redraw). The connected scripts (Pacifico, Lobster, ...)
# are here because shop signs and logos are set in them ("Virgin", "Davidson" in real_dev).
GOOGLE_FONTS = (
    # condensed and narrow
    "Oswald", "Barlow Condensed", "Barlow Semi Condensed", "Roboto Condensed", "PT Sans Narrow",
    "Archivo Narrow", "Fira Sans Condensed", "IBM Plex Sans Condensed", "Saira Condensed",
    "Bebas Neue", "Anton", "Teko", "Yanone Kaffeesatz", "Alumni Sans", "Smooch Sans", "News Cycle",
    # rounded
    "Nunito", "Quicksand", "Varela Round", "Comfortaa", "Baloo 2", "Rubik", "Dosis", "Titan One",
    "Lilita One", "Rowdies",
    # sans serif
    "Open Sans", "Montserrat", "Poppins", "Raleway", "Work Sans", "IBM Plex Sans", "Fira Sans",
    "PT Sans", "Cabin", "Karla", "Mulish", "Exo 2", "Titillium Web", "Archivo", "Barlow", "Jost",
    "Outfit", "Oxygen", "Hind", "Heebo", "Asap", "Signika", "Overpass", "Public Sans",
    "Libre Franklin", "Space Grotesk", "Kanit", "Prompt", "Chivo", "Encode Sans", "Figtree",
    "Questrial", "Abel", "Archivo Black", "Maven Pro", "Catamaran", "Assistant", "Albert Sans",
    "League Spartan",
    # serif and slab
    "Merriweather", "Lora", "PT Serif", "Libre Baskerville", "EB Garamond", "Crimson Pro", "Domine",
    "Bitter", "Roboto Slab", "Zilla Slab", "Arvo", "Vollkorn", "Playfair Display", "Spectral",
    "Literata", "Cardo", "Frank Ruhl Libre", "Cormorant Garamond", "Sanchez", "Alfa Slab One",
    "Abril Fatface", "DM Serif Display", "Newsreader",
    # monospaced
    "IBM Plex Mono", "Fira Code", "Space Mono", "Source Code Pro", "Inconsolata", "DM Mono",
    "Roboto Mono",
    # display
    "Orbitron", "Righteous", "Russo One", "Chakra Petch", "Rajdhani", "Bungee", "Black Ops One",
    "Play", "Share Tech", "Viga", "Changa One", "Luckiest Guy", "Hammersmith One",
    # handwriting
    "Caveat", "Kalam", "Indie Flower", "Permanent Marker", "Shadows Into Light", "Delius", "Acme",
    # connected scripts
    "Pacifico", "Lobster", "Lobster Two", "Oleo Script", "Dancing Script", "Satisfy", "Yellowtail",
    "Great Vibes",
)


def _google_font(family: str) -> tuple[str, list[str]]:
    """(package, file patterns) of a fontpkg family: "PT Sans Narrow" -> fontpkg_pt_sans_narrow."""
    return "fontpkg_" + family.lower().replace(" ", "_"), ["files/*.ttf"]


FONT_FAMILIES = {
    "train": {
        "DejaVu Sans": ("matplotlib", ["DejaVuSans.ttf", "DejaVuSans-*.ttf"]),
        "DejaVu Serif": ("matplotlib", ["DejaVuSerif.ttf", "DejaVuSerif-*.ttf"]),
        "DejaVu Sans Mono": ("matplotlib", ["DejaVuSansMono*.ttf"]),
        "STIX": ("matplotlib", ["STIXGeneral*.ttf"]),
        "Computer Modern": ("matplotlib", ["cmr10.ttf", "cmb10.ttf", "cmss10.ttf", "cmti10.ttf", "cmtt10.ttf"]),
        "Roboto": ("font_roboto", ["files/Roboto-*.ttf"]),
        "Source Sans Pro": ("font_source_sans_pro", ["files/SourceSansPro-*.ttf"]),
        "Source Serif Pro": ("font_source_serif_pro", ["files/SourceSerifPro-*.ttf"]),
        "Hanken Grotesk": ("font_hanken_grotesk", ["files/HankenGrotesk-*.otf"]),
        "Manrope": ("font_manrope", ["files/Manrope-*.ttf"]),
        "Red Hat Display": ("font_rhd", ["files/RedHatDisplay-*.ttf"]),
        "Amatic SC": ("font_amatic_sc", ["files/AmaticSC-*.ttf"]),
        "Intuitive": ("font_intuitive", ["files/Intuitive.ttf"]),
        "TeX Gyre Heros": ("rinoh_typeface_texgyreheros", ["texgyreheros*.otf"]),
        "TeX Gyre Termes": ("rinoh_typeface_texgyretermes", ["texgyretermes-*.otf"]),
        "TeX Gyre Cursor": ("rinoh_typeface_texgyrecursor", ["texgyrecursor-*.otf"]),
        "TeX Gyre Pagella": ("rinoh_typeface_texgyrepagella", ["texgyrepagella-*.otf"]),
        "TeX Gyre Schola": ("rinoh_typeface_texgyreschola", ["texgyreschola-*.otf"]),
        "TeX Gyre Bonum": ("rinoh_typeface_texgyrebonum", ["texgyrebonum-*.otf"]),
        "TeX Gyre Adventor": ("rinoh_typeface_texgyreadventor", ["texgyreadventor-*.otf"]),
        "Liberation Sans Narrow": ("rinoh_typeface_liberationsansnarrow", ["LiberationSansNarrow-*.ttf"]),
        "Inter": ("justmytype_western_core", ["fonts/ofl/inter/Inter*.ttf"]),
        "JetBrains Mono": ("justmytype_western_core", ["fonts/ofl/jetbrainsmono/JetBrainsMono*.ttf"]),
        "Noto Sans": ("justmytype_western_core", ["fonts/ofl/notosans/NotoSans*.ttf"]),
        "Noto Sans Mono": ("justmytype_western_core", ["fonts/ofl/notosansmono/NotoSansMono*.ttf"]),
        "Noto Serif": ("justmytype_western_core", ["fonts/ofl/notoserif/NotoSerif*.ttf"]),
        **{family: _google_font(family) for family in GOOGLE_FONTS},
    },
    # Never used for training: a humanist sans, a serif, a rounded display face and a
    # condensed one, so "unseen fonts" covers more than one kind of difference.
    "heldout": {
        "Lato": ("font_lato", ["files/Lato-*.ttf"]),
        "Caladea": ("font_caladea", ["files/Caladea-*.ttf"]),
        "Fredoka One": ("font_fredoka_one", ["files/FredokaOne-*.ttf"]),
        "Fjalla One": ("font_fjallaone", ["files/FjallaOne-*.ttf"]),
    },
}

FONT_SUFFIXES = (".ttf", ".otf")


def _package_font_dir(package: str) -> Path:
    if package == "matplotlib":
        import matplotlib

        return Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    # find_spec locates the package without importing it: some font packages import a
    # typesetter on import, and only their files are needed here.
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError(
            f"the font package {package!r} is not installed; install the pinned requirements "
            "(pip install -r requirements.txt)"
        )
    return Path(list(spec.submodule_search_locations)[0])


@functools.lru_cache(maxsize=None)
def font_families(split: str = "train") -> dict[str, tuple[Path, ...]]:
    """The fonts of a split grouped by family: {"Roboto": (Roboto-Black.ttf, ...), ...}."""
    if split not in FONT_FAMILIES:
        raise ValueError(f"unknown font set {split!r}; choose one of {sorted(FONT_FAMILIES)}")
    families = {}
    for family, (package, patterns) in FONT_FAMILIES[split].items():
        folder = _package_font_dir(package)
        files = sorted({p for pattern in patterns for p in folder.glob(pattern) if "Variable" not in p.name})
        if not files:
            raise FileNotFoundError(f"no font files for {family!r} in {str(folder)!r} (patterns {patterns})")
        families[family] = tuple(files)
    return families


def font_paths(split: str = "train") -> list[Path]:
    """Font files of a split: "train" (what the generator uses) or "heldout" (never used for training)."""
    return [path for files in font_families(split).values() for path in files]


def fonts_in_dir(folder: str | os.PathLike) -> dict[str, tuple[Path, ...]]:
    """Bring your own fonts: every .ttf / .otf in `folder`, one family per file.

    A font must draw at least half of A-Z, a-z and 0-9; texts with a character it
    lacks are drawn with another font, or not sampled.
    """
    return _fonts_in_dir(str(Path(folder).resolve()))


@functools.lru_cache(maxsize=8)
def _fonts_in_dir(folder: str) -> dict[str, tuple[Path, ...]]:
    folder = Path(folder)
    if not folder.is_dir():
        raise FileNotFoundError(f"no fonts folder at {str(folder)!r}")
    files = sorted(p for p in folder.rglob("*") if p.suffix.lower() in FONT_SUFFIXES)
    alphanumerics = set(string.ascii_letters + string.digits)
    usable = [p for p in files if len(font_charset(p) & alphanumerics) >= len(alphanumerics) // 2]
    if not usable:
        raise ValueError(f"{str(folder)!r} has no .ttf/.otf font that draws at least half of A-Z, a-z and 0-9")
    return {p.stem: (p,) for p in usable}


@functools.lru_cache(maxsize=None)
def font_charset(font_path: str | os.PathLike) -> frozenset[str]:
    """The printable ASCII characters a font really draws: mapped in its cmap *and* with ink.

    A glyph that is missing, or mapped to an empty outline, would render as a blank or a
    tofu box; a crop must never carry a label its image does not show. Old-style digits
    (drawn at lower-case height, as in Intuitive) are left out too: their 0 *is* an o, and
    a crop labelled 0 that shows an o teaches the model the O/0 confusion it should avoid.
    """
    import logging

    from fontTools.ttLib import TTFont

    # Old fonts' creation dates make fontTools warn; nothing here reads them.
    logging.getLogger("fontTools.ttLib.tables._h_e_a_d").setLevel(logging.ERROR)
    try:
        font = TTFont(str(font_path), fontNumber=0, lazy=True)
        cmap = font.getBestCmap() or {}
        glyf = font["glyf"] if "glyf" in font else None
        glyphs = None if glyf is not None else font.getGlyphSet()
    except Exception:  # noqa: BLE001 - a file fontTools cannot read draws nothing
        return frozenset()
    drawn = set()
    for char in string.printable[:94]:  # 0-9 a-z A-Z and punctuation, no whitespace
        name = cmap.get(ord(char))
        if name is None or name == ".notdef":
            continue
        if glyf is not None:  # TrueType outlines: contours, or components (-1)
            if name in glyf and glyf[name].numberOfContours != 0:
                drawn.add(char)
            continue
        if name not in glyphs:  # CFF outlines (.otf): measure the drawing
            continue
        bounds = _outline_bounds(glyphs, name)
        if bounds is not None and bounds[2] > bounds[0] and bounds[3] > bounds[1]:
            drawn.add(char)
    try:
        if _digits_are_lowercase_height(font, cmap):
            drawn -= set(string.digits)
    except Exception:  # noqa: BLE001 - outlines fontTools cannot measure: keep the digits
        pass
    return frozenset(drawn)


def _outline_bounds(glyphs, name: str):
    """(x min, y min, x max, y max) of a glyph's outline in font units; None when it has no ink."""
    from fontTools.pens.boundsPen import BoundsPen

    pen = BoundsPen(glyphs)
    glyphs[name].draw(pen)
    return pen.bounds


def _digits_are_lowercase_height(font, cmap) -> bool:
    """True when the font's 0 is under 85 % as tall as its H: old-style figures."""
    glyphs = font.getGlyphSet()
    if cmap.get(ord("0")) not in glyphs or cmap.get(ord("H")) not in glyphs:
        return False
    zero, capital = _outline_bounds(glyphs, cmap[ord("0")]), _outline_bounds(glyphs, cmap[ord("H")])
    if zero is None or capital is None:
        return False
    return zero[3] - zero[1] < 0.85 * (capital[3] - capital[1])


def font_covers(font_path: str | os.PathLike, text: str) -> bool:
    """True when the font draws every character of `text` (a space draws nothing, so any font has it)."""
    return set(text) - {" "} <= font_charset(font_path)


@functools.lru_cache(maxsize=512)
def load_font(font_path: str, size: int) -> ImageFont.FreeTypeFont:
    """A font at a size, cached; BASIC layout: the same glyph placement whether or not libraqm is installed."""
    return ImageFont.truetype(font_path, size, layout_engine=ImageFont.Layout.BASIC)


@functools.lru_cache(maxsize=None)
def _variation_axes(font_path: str) -> tuple[dict, ...]:
    try:
        return tuple(load_font(font_path, 12).get_variation_axes())
    except OSError:  # not a variable font
        return ()


def pick_variable_instance(font: ImageFont.FreeTypeFont, rng: np.random.Generator, p: dict) -> None:
    """Set a variable font (cached, so set on every use) to a random weight and width."""
    axes = _variation_axes(font.path)
    if not axes:
        return
    ranges = {b"Weight": p["variable_weight"], b"Width": p["variable_width"]}
    values = []
    for axis in axes:
        low, high = ranges.get(axis["name"], (axis["default"], axis["default"]))
        low, high = max(low, axis["minimum"]), min(high, axis["maximum"])
        values.append(float(rng.uniform(low, high)) if high > low else float(axis["default"]))
    font.set_variation_by_axes(values)
