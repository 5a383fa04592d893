"""Synthetic data: an MJSynth-like generator of word crops, the course's default data set.

Taught in notebook 01. The real MJSynth (Jaderberg et al. 2014, "Synthetic Data and
Artificial Neural Networks for Natural Scene Text Recognition") is 9M crops in a 20 GB
download; this module makes the same kind of crops, in the same clovaai LMDB layout,
from what the package registries ship: fonts (matplotlib's DejaVu, STIX and Computer
Modern, Google fonts from the PyPI `font-*`, `fontpkg-*` and `justmytype-western-core`
packages, and the TeX Gyre clones of the classic print faces: 149 families, 8 of them
connected scripts) and an English lexicon (the `english-words` package). Following the
paper, each crop goes through:

    text     a lexicon word in random case, or a number / code / year (the charset has 0-9),
             sometimes with punctuation the label drops ("03/09/2009" is read "03092009"),
             or an ordinal ("3rd Ave")
    font     a random family and style, size, letter spacing, underline, a raised suffix
    layers   text, border and shadow masks
    geometry slight rotation, italic shear and a projective distortion, curved baselines,
             words set on a circle, neighbouring lines, crop with random margins,
             height 31-32 px at the word's own width
    colour   background colour blended with a natural-image or procedural texture,
             foreground / border / shadow colours with a minimum contrast
    noise    blur, resampling, what a camera adds (defocus, motion, low resolution, light,
             glare, a double image, a pole in front), Gaussian noise, JPEG compression

Every strength lives in `AUGMENT`, so the recipe can be tuned in one place. Each sample
is drawn from its own random generator, seeded by (seed, font set, split, index), so a
data set is the same whatever the number of worker processes.

Some fonts are held out (`font_paths("heldout")`): the training set never uses them,
and `--fonts heldout` renders a test set with only them, to measure how a model trained
here does on fonts it has never seen.
"""
from __future__ import annotations

import argparse
import functools
import importlib.resources
import importlib.util
import io
import json
import multiprocessing
import os
import re
import shutil
import string
import time
from pathlib import Path

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

from ocr_lab.labels import english_lexicon

# ----------------------------------------------------------------------------- the recipe

# Strengths of every step of the recipe. Ranges are (low, high) of a uniform draw;
# `*_prob` is how often a step is applied. A data set records the values it was built with.
AUGMENT = {
    # text
    "numeric_prob": 0.2,  # numbers, years, codes like "B52" instead of a lexicon word
    "case_probs": (0.4, 0.3, 0.3),  # lower, Capitalised, UPPER
    # A trailing "." "," "-" or "'s" is out of the charset: the reader drops it from the label but
    # the image still shows it, which teaches the model to read that ink as nothing (v7: on; real
    # signs and dates have punctuation, and the course scores alphanumerics only).
    "punct_prob": 0.05,
    # v7: dates, times, prices, phone numbers, hyphenated words: "03/09/2009", "12:30", "$4.99",
    # "555-0142", "e-mail". The separators are drawn and dropped from the label, as above.
    "symbol_text_prob": 0.06,
    "length_weights": (2, 5, 9, 11, 12, 12, 11, 10, 9, 7, 5, 4, 2, 1),  # word lengths 1..14
    # font
    "font_size": (22, 48),  # px at render time; the crop is then resized to `height`
    "char_spacing_prob": 0.15,
    "char_spacing": (0.0, 0.25),  # extra space between letters, in font sizes
    "underline_prob": 0.04,
    "aspect": (0.8, 1.25),  # horizontal stretch of the final crop (condensed / extended)
    # Variable fonts (Inter, Noto, JetBrains Mono) are drawn at a random instance, clipped to
    # the axes each font has: hairline to black, and Noto down to its condensed widths.
    "variable_weight": (200, 900),
    "variable_width": (62, 100),
    # layers
    "border_prob": 0.15,
    "border_width": (0.03, 0.08),  # in font sizes
    "shadow_prob": 0.15,
    "shadow_offset": (0.03, 0.1),  # in font sizes
    "shadow_blur": (0.0, 2.0),  # px at render time
    "shadow_opacity": (0.4, 0.9),
    # geometry
    "rotation": 3.0,  # degrees, normal standard deviation, clipped at 2.5 sigma
    "perspective": 0.05,  # corner jitter, in text heights, normal standard deviation
    "margin_x": (0.0, 0.35),  # left / right margin, in crop heights
    "margin_y": (0.0, 0.25),  # top / bottom margin, in text heights
    "height": (31, 32),  # final crop height in px: MJSynth's crops are 31 or 32 high
    # colour
    "min_contrast": 90,  # luminance difference (0-255) between text and background mean
    "texture_prob": 0.6,  # blend the background with a natural-image or procedural texture
    "texture_blend": (0.1, 0.45),  # above ~0.5 a busy texture hides the text entirely
    "image_blend": (0.0, 0.08),  # blend the whole crop (text too) with a texture, as MJSynth does
    "plain_background_prob": 0.5,  # paper-white, grey or black background instead of any colour
    "plain_text_colour_prob": 0.5,  # near-black or near-white text instead of any colour
    # noise
    "blur_prob": 0.4,
    "blur_sigma": (0.3, 1.2),  # px at the final size
    "resample_prob": 0.2,
    "resample_scale": (0.5, 0.9),  # shrink and enlarge back: low-resolution look
    "noise_prob": 0.5,
    "noise_sigma": (1.0, 6.0),  # Gaussian noise, in 0-255 grey levels
    "jpeg_quality": (20, 95),  # v6: down to 20, as in re-saved web photos (v5: 40)
    # --- version 6: what real scene-text crops have and MJSynth-style rendering alone does not.
    # Each was checked against real word crops (`benchmarks/bench_real_crops.py`); see the model card.
    # photo backgrounds: a random crop of a bundled photo under and around the word, strongly blended
    "photo_background_prob": 0.25,
    "photo_blend": (0.55, 1.0),
    # curved baselines (an arc or a wave), amplitude in text heights
    "curve_prob": 0.15,
    "curve_amplitude": (0.1, 0.8),  # v7: up to 0.8 (v6: 0.5), the arc of a round logo
    # heavier tails of rotation and perspective than the slight default above
    "rotation_tail_prob": 0.1,
    "rotation_tail": 12.0,  # degrees, normal standard deviation, clipped at 2.5 sigma
    "perspective_tail_prob": 0.15,
    "perspective_tail": 0.15,  # corner jitter, in text heights
    # a piece of a neighbouring text line above and / or below, as a detector's crop of a sign has
    "neighbour_prob": 0.25,  # v7: 0.25 (v6: 0.2)
    "neighbour_gap": (0.1, 0.5),  # between the lines, in font sizes
    "neighbour_visible": (0.1, 0.9),  # how much of the neighbour's height the crop shows (v7: up to 0.9, v6: 0.45)
    # v7: a sign's lines are single words, centred ("HOTEL / GRAND / PACIFIC"), not a column of running text
    "neighbour_word_prob": 0.5,
    # v7: italic slant by a shear (x moves by shear * height above the baseline), mostly to the right
    "shear_prob": 0.15,
    "shear": (-0.2, 0.5),
    # v7: a double image (camera shake, a reflection in glass): the crop over a shifted, fainter copy of itself
    "ghost_prob": 0.05,
    "ghost_offset": (0.08, 0.3),  # in crop heights
    "ghost_opacity": (0.3, 0.6),
    # v7: a thin bar across the word (a pole, a wire, a window frame), hiding part of a letter
    "occluder_prob": 0.05,
    "occluder_width": (0.04, 0.2),  # in crop heights
    # camera: defocus (disk), motion blur (line), low resolution, lighting gradient, glare
    "defocus_prob": 0.1,
    "defocus_radius": (1.0, 2.0),  # px at the final size
    "motion_blur_prob": 0.1,
    "motion_blur_length": (3, 7),  # px at the final size
    "lowres_prob": 0.25,  # v7: 0.25 (v6: 0.15); real crops of small signs are often 15-20 px high
    "lowres_height": (8, 16),  # render the crop this many px high, then scale it back up
    "lighting_prob": 0.25,
    "lighting_strength": (0.3, 0.7),  # darkest / brightest ratio across the crop
    "glare_prob": 0.1,
    "glare_strength": (0.3, 0.8),  # peak of a soft white blob, as a fraction of white
    # --- version 8: from the v7 release's real_dev errors (sideways "3rdAve", "SALMON" and
    # "CHEWBACCA" set around a round logo, the script of "Virgin"); plus eight connected script
    # font families (see GOOGLE_FONTS).
    # ordinals ("3rd", "21st Ave", "5TH"), as on street signs; their suffix is mostly raised and small
    "ordinal_prob": 0.03,
    "superscript_prob": 0.6,
    # a word set on a circle, its letters turned with it (a badge, a round logo), over the top or under the bottom
    "circle_prob": 0.05,
    "circle_span": (30.0, 180.0),  # degrees of the circle the word covers
    "circle_over_prob": 0.6,  # over the top (letters lean out); otherwise under the bottom (they lean in)
    # --- version 9: from the v8 release's real_dev errors ("HOTEL GRAND PACIFIC" cut into sandstone, the
    # block letters of "Kappa" and "Davidson" with a solid side): letters without ink, and letters with depth.
    # carved or embossed letters: the same colour as the surface, seen only by the light on one edge
    # of each stroke and the shade on the other (stone, cast metal, pressed plastic)
    "relief_prob": 0.05,
    "relief_depth": (0.03, 0.09),  # how far the lit edge and the shaded edge reach, in crop heights
    "relief_strength": (0.5, 0.9),  # how much lighter / darker the edges are, as a fraction of white / black
    "relief_fill": (0.1, 0.45),  # a carving's floor is in shade: how much darker the letters' face is
    "relief_carved_prob": 0.5,  # carved into the surface; otherwise raised from it
    "relief_light": 60.0,  # degrees: the light comes from above, turned up to this much to either side
    # a shadow swept from the letters to its offset instead of a copy: the solid side of 3D lettering
    "extrude_prob": 0.4,  # of the crops with a shadow
}

# ----------------------------------------------------------------------------- presets

# A first-steps set (notebook 04): the crops a CRNN learns to read from scratch in a few CPU
# minutes. A curriculum, not the full mix above: dictionary words of 3 to 7 letters, Capitalised,
# in four plain regular fonts (the "first-steps" font set), dark on a plain light background,
# with no effect at all. Everything that makes the full set hard (numbers and codes, long words,
# 149 families, textures and photos, rotation, curves, neighbouring lines, blur, noise, JPEG down
# to 20) is switched off, so the network only has to learn the 26 letters' shapes.
FIRST_STEPS = {
    # text
    "numeric_prob": 0.0, "symbol_text_prob": 0.0, "punct_prob": 0.0, "ordinal_prob": 0.0,
    "case_probs": (0, 1, 0),  # Capitalised only
    "length_weights": (0, 0, 1, 1, 1, 1, 1),  # 3 to 7 letters, each as likely
    # font
    "char_spacing_prob": 0.0, "underline_prob": 0.0, "aspect": (1.0, 1.0),
    # layers and geometry: none
    "border_prob": 0.0, "shadow_prob": 0.0, "rotation": 0.0, "perspective": 0.0, "rotation_tail_prob": 0.0,
    "perspective_tail_prob": 0.0, "curve_prob": 0.0, "circle_prob": 0.0, "neighbour_prob": 0.0, "shear_prob": 0.0,
    "relief_prob": 0.0,
    # colour: near-black text on a plain paper-white background
    "plain_background_prob": 1.0, "plain_background_levels": ((200, 255),), "plain_text_colour_prob": 1.0,
    "min_contrast": 150, "texture_prob": 0.0, "image_blend": (0.0, 0.0), "photo_background_prob": 0.0,
    # noise: none, and a clean JPEG
    "blur_prob": 0.0, "resample_prob": 0.0, "noise_prob": 0.0, "jpeg_quality": (90, 95), "ghost_prob": 0.0,
    "occluder_prob": 0.0, "defocus_prob": 0.0, "motion_blur_prob": 0.0, "lowres_prob": 0.0, "lighting_prob": 0.0,
    "glare_prob": 0.0,
}
FIRST_STEPS_SIZES = {"train": 30_000, "valid": 500, "test": 500}
# name -> (font set, params over AUGMENT, default sizes): `synth --preset NAME`, `generate_dataset(preset=NAME)`.
PRESETS = {"first-steps": ("first-steps", FIRST_STEPS, FIRST_STEPS_SIZES)}
PLAIN_BACKGROUND_LEVELS = ((200, 255), (90, 200), (0, 60))  # paper-white, grey, black (AUGMENT's plain backgrounds)

SPLITS = ("train", "valid", "test")
SPLIT_IDS = {"train": 0, "valid": 1, "test": 2}
FONT_SETS = ("train", "heldout", "first-steps")
FONT_SET_IDS = {"train": 0, "heldout": 1, "dir": 2, "first-steps": 3}

DEFAULT_SIZES = {"train": 80_000, "valid": 2_000, "test": 2_000}
QUICK_SIZES = {"train": 2_000, "valid": 300, "test": 300}
COMPLETE_MARKER = ".complete"  # written last, with the settings, when every split is built
# Bump when a code change alters what a seed renders; sets made by another version are stale.
GENERATOR_VERSION = 9  # 2: every label in the charset, a softer texture / contrast / noise tail; 3: 26 font families;
# 4: no digits from fonts whose digits are lower-case height, random weight and width of variable fonts;
# 5: 141 font families (115 from Google Fonts); 6: photo backgrounds, curved baselines, heavier rotation and
# perspective tails, neighbouring lines, defocus / motion blur / low resolution / lighting / glare, JPEG down to 20;
# 7: punctuation and separators drawn but not labelled, whole neighbouring lines and sign-style single-word lines,
# italic shear, stronger arcs, double images, thin occluders, more low-resolution crops;
# 8: connected script fonts, ordinals with raised suffixes ("3rd Ave"), words set on a circle;
# 9: carved and embossed letters (`_relief`), extruded shadows (`_shadow`)
# Where the command writes by default: the repository's data/ folder, which is where
# `ocr_lab.data.default_data_paths` looks, whatever the current directory is.
DATA_DIR = Path(__file__).resolve().parent.parent / "data"
DEFAULT_OUT = {"train": DATA_DIR / "synth", "heldout": DATA_DIR / "synth_heldout"}

# ----------------------------------------------------------------------------- fonts

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
# came in with v8: shop signs and logos are set in them ("Virgin", "Davidson" in real_dev).
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
    # connected scripts (v8)
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
    # The FIRST_STEPS preset's: four plain regular faces of the training set, two sans, a grotesque, a serif.
    "first-steps": {
        "DejaVu Sans": ("matplotlib", ["DejaVuSans.ttf"]),
        "DejaVu Serif": ("matplotlib", ["DejaVuSerif.ttf"]),
        "Roboto": ("font_roboto", ["files/Roboto-Regular.ttf"]),
        "Source Sans Pro": ("font_source_sans_pro", ["files/SourceSansPro-Regular.ttf"]),
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
def _load_font(font_path: str, size: int) -> ImageFont.FreeTypeFont:
    # BASIC layout: the same glyph placement whether or not libraqm is installed.
    return ImageFont.truetype(font_path, size, layout_engine=ImageFont.Layout.BASIC)


@functools.lru_cache(maxsize=None)
def _variation_axes(font_path: str) -> tuple[dict, ...]:
    try:
        return tuple(_load_font(font_path, 12).get_variation_axes())
    except OSError:  # not a variable font
        return ()


def _pick_variable_instance(font: ImageFont.FreeTypeFont, rng: np.random.Generator, p: dict) -> None:
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


# ----------------------------------------------------------------------------- text

def lexicon() -> list[str]:
    """The English lexicon the generator draws its words from (`ocr_lab.labels.english_lexicon`)."""
    return list(english_lexicon())


@functools.lru_cache(maxsize=None)
def _lexicon_by_length() -> dict[int, list[str]]:
    by_length: dict[int, list[str]] = {}
    for word in lexicon():
        by_length.setdefault(len(word), []).append(word)
    return by_length


def _random_case(word: str, rng: np.random.Generator, probs) -> str:
    kind = rng.choice(3, p=np.asarray(probs) / np.sum(probs))
    return [word.lower(), word.capitalize(), word.upper()][kind]


def _digits(rng: np.random.Generator, n: int) -> str:
    return "".join(str(d) for d in rng.integers(0, 10, n))


def _pick(rng: np.random.Generator, items):
    """One item of a sequence (`rng.choice` would first copy the whole list into an array)."""
    return items[int(rng.integers(len(items)))]


def _letters(rng: np.random.Generator, n: int) -> str:
    return "".join(_pick(rng, string.ascii_uppercase) for _ in range(n))


def _numeric_text(rng: np.random.Generator) -> str:
    """Numbers and mixed alphanumerics, as they appear on signs, plates and labels.

    Only characters of the charset here; `_symbol_text` (v7) draws the "$" and "." of a price.
    """
    kind = rng.integers(0, 8)
    if kind == 0:
        return str(rng.integers(1900, 2031))  # a year
    if kind in (1, 2):
        return str(int(10 ** rng.uniform(0, 6)))  # 1 .. 999999, small numbers more often
    if kind == 3:
        return _digits(rng, rng.integers(3, 9))  # codes, zeros allowed: "0421"
    if kind == 4:
        return _letters(rng, rng.integers(1, 3)) + _digits(rng, rng.integers(1, 5))  # "B52", "A380"
    if kind == 5:
        return _digits(rng, rng.integers(1, 4)) + _letters(rng, rng.integers(1, 3))  # "4WD", "221B"
    if kind == 6:
        word = _pick(rng, _lexicon_by_length()[int(rng.integers(3, 8))])
        return _random_case(word, rng, (1, 2, 2)) + _digits(rng, rng.integers(1, 3))  # "Route66"
    return "".join(_pick(rng, string.ascii_uppercase + string.digits) for _ in range(rng.integers(2, 8)))  # "X7K2"


def _symbol_text(rng: np.random.Generator) -> str:
    """Text with separators the charset does not have (v7): "03/09/2009", "12:30", "$4.99", "e-mail".

    The label keeps them and the reader drops them (`ocr_lab.data.clean_label`), so the model
    learns to read a slash or a colon as nothing instead of as a "1", which is what the course's
    scoring (alphanumerics only, as the lecture's) expects of it.
    """
    kind = rng.integers(0, 6)
    if kind == 0:  # a date
        day, month, year = rng.integers(1, 32), rng.integers(1, 13), rng.integers(1950, 2031)
        sep = _pick(rng, "/.-")
        parts = [f"{day:02d}", f"{month:02d}", str(year) if rng.random() < 0.7 else f"{year % 100:02d}"]
        return sep.join(parts if rng.random() < 0.5 else [parts[1], parts[0], parts[2]])
    if kind == 1:  # a time
        return f"{rng.integers(0, 24):02d}:{rng.integers(0, 60):02d}"
    if kind == 2:  # a price
        whole = str(int(10 ** rng.uniform(0, 4)))
        return _pick(rng, ["$", "$", ""]) + whole + (f".{rng.integers(0, 100):02d}" if rng.random() < 0.7 else "")
    if kind == 3:  # a phone number or a reference
        return _digits(rng, int(rng.integers(2, 5))) + _pick(rng, "-./") + _digits(rng, int(rng.integers(2, 5)))
    if kind == 4:  # a percentage or a number with a sign
        return _pick(rng, ["", "+", "-", "#", "No."]) + str(rng.integers(1, 1000)) + _pick(rng, ["%", "", "!", "?"])
    # hyphenated or joined words: "e-mail", "Rock&Roll", "O'Neil"
    a, b = (_pick(rng, _lexicon_by_length()[int(rng.integers(2, 7))]) for _ in range(2))
    return _random_case(a + _pick(rng, ["-", "&", "'", "."]) + b, rng, (1, 1, 1))


ORDINAL_WORDS = ("St", "Ave", "Street", "Avenue", "Rd", "Floor", "Place", "Century", "Edition", "Anniversary")
ORDINAL = re.compile(r"\d+(st|nd|rd|th)", re.IGNORECASE)  # the number and suffix at the start of an ordinal text


def _ordinal_text(rng: np.random.Generator) -> str:
    """An ordinal (v8), alone or before a word: "3rd", "21st Ave", "112TH STREET"."""
    n = int(10 ** rng.uniform(0, 2.5))
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    text = f"{n}{suffix}" + (f" {_pick(rng, ORDINAL_WORDS)}" if rng.random() < 0.5 else "")
    return text.upper() if rng.random() < 0.2 else text


def sample_text(rng: np.random.Generator, params: dict | None = None) -> str:
    """One word to render: mostly a lexicon word in random case, sometimes digits and codes."""
    p = {**AUGMENT, **(params or {})}
    if p["ordinal_prob"] > 0 and rng.random() < p["ordinal_prob"]:  # no draw when off, as below
        return _ordinal_text(rng)
    # No draw when symbols are off, so that stream is v6's: the scenes of `ocr_lab.scenes` rely on it.
    if p["symbol_text_prob"] > 0 and rng.random() < p["symbol_text_prob"]:
        return _symbol_text(rng)
    if rng.random() < p["numeric_prob"]:
        return _numeric_text(rng)
    by_length = _lexicon_by_length()
    weights = np.array([w if n + 1 in by_length else 0 for n, w in enumerate(p["length_weights"])], float)
    length = int(rng.choice(len(weights), p=weights / weights.sum())) + 1
    text = _random_case(_pick(rng, by_length[length]), rng, p["case_probs"])
    if rng.random() < p["punct_prob"]:
        text = text + _pick(rng, [".", ",", "-", "'s"])
    return text


# ----------------------------------------------------------------------------- textures

TEXTURE_IMAGES = {  # images bundled with installed packages: no download at run time
    "skimage": ["astronaut.png", "brick.png", "camera.png", "chelsea.png", "coffee.png", "coins.png",
                "grass.png", "gravel.png", "hubble_deep_field.jpg", "moon.png", "motorcycle_left.png",
                "retina.jpg", "rocket.jpg", "horse.png", "cell.png"],
    "matplotlib": ["grace_hopper.jpg"],
}
# Photos laid under the word (v6). Not here on purpose: skimage's page.png and text.png (they
# hold text: page.png is the book page `bench_real_photos.py` reads) and its synthetic images.
PHOTO_IMAGES = {
    "skimage": ["astronaut.png", "brick.png", "camera.png", "chelsea.png", "coffee.png", "coins.png",
                "grass.png", "gravel.png", "moon.png", "motorcycle_left.png", "motorcycle_right.png",
                "rocket.jpg", "horse.png", "color.png", "ihc.png", "clock_motion.png", "retina.jpg"],
    "matplotlib": ["grace_hopper.jpg"],
}
TEXTURE_SIZE = 256


def _texture_image_paths(images: dict[str, list[str]] = TEXTURE_IMAGES) -> list[Path]:
    paths = []
    for package, names in images.items():
        if package == "matplotlib":
            import matplotlib

            folder = Path(matplotlib.get_data_path()) / "sample_data"
        else:
            folder = Path(str(importlib.resources.files(package))) / "data"
        paths += [folder / name for name in names if (folder / name).exists()]
    return paths


def _procedural_textures(rng: np.random.Generator, count: int) -> list[np.ndarray]:
    """Paper, stone, wood, stripes, grids and gradients: float32 RGB in 0..1."""
    size = TEXTURE_SIZE
    yy, xx = np.mgrid[0:size, 0:size].astype(np.float32) / size
    textures = []
    for i in range(count):
        kind = i % 6
        if kind == 0:  # fractal noise: stone, paper, concrete
            grey = sum(
                cv2.resize(rng.random((2 ** octave, 2 ** octave), dtype=np.float32), (size, size),
                           interpolation=cv2.INTER_CUBIC) / 2 ** (octave * 0.7)
                for octave in range(2, 8)
            )
        elif kind == 1:  # stripes at an angle
            angle, freq = rng.uniform(0, np.pi), rng.uniform(3, 30)
            grey = 0.5 + 0.5 * np.sin(2 * np.pi * freq * (xx * np.cos(angle) + yy * np.sin(angle)))
        elif kind == 2:  # wood-like rings
            cx, cy = rng.uniform(-1, 2, 2)
            noise = cv2.resize(rng.random((8, 8), dtype=np.float32), (size, size), interpolation=cv2.INTER_CUBIC)
            grey = 0.5 + 0.5 * np.sin(rng.uniform(20, 80) * np.hypot(xx - cx, yy - cy) + 4 * noise)
        elif kind == 3:  # a grid / lined paper
            step = int(rng.integers(8, 40))
            grey = np.ones((size, size), np.float32)
            grey[::step, :] = 0.3
            if rng.random() < 0.5:
                grey[:, ::step] = 0.3
            grey = cv2.GaussianBlur(grey, (0, 0), 0.8)
        elif kind == 4:  # linear gradient
            angle = rng.uniform(0, 2 * np.pi)
            grey = xx * np.cos(angle) + yy * np.sin(angle)
        else:  # blobs
            grey = cv2.GaussianBlur(rng.random((size, size), dtype=np.float32), (0, 0), rng.uniform(4, 20))
        grey = (grey - grey.min()) / max(float(grey.max() - grey.min()), 1e-6)
        c1, c2 = rng.random(3, dtype=np.float32), rng.random(3, dtype=np.float32)
        textures.append((c1 + (c2 - c1) * grey[..., None]).astype(np.float32))
    return textures


@functools.lru_cache(maxsize=1)
def texture_bank() -> tuple[np.ndarray, ...]:
    """Background textures, the same in every process: bundled photos and procedural ones."""
    bank = []
    for path in _texture_image_paths():
        img = Image.open(path).convert("RGB")
        img.thumbnail((2 * TEXTURE_SIZE, 2 * TEXTURE_SIZE))
        bank.append(np.asarray(img, dtype=np.float32) / 255)
    bank += _procedural_textures(np.random.default_rng(20140000), 24)
    return tuple(bank)


@functools.lru_cache(maxsize=1)
def photo_bank() -> tuple[np.ndarray, ...]:
    """Natural photos for backgrounds (v6), float32 RGB 0..1, at most 512 px on a side."""
    bank = []
    for path in _texture_image_paths(PHOTO_IMAGES):
        img = Image.open(path).convert("RGB")
        img.thumbnail((2 * TEXTURE_SIZE, 2 * TEXTURE_SIZE))
        bank.append(np.asarray(img, dtype=np.float32) / 255)
    return tuple(bank)


def _texture_patch(rng: np.random.Generator, width: int, height: int, bank=None) -> np.ndarray:
    """A random crop of a random texture, resized to (height, width, 3), float32 0..1."""
    bank = bank or texture_bank()
    tex = bank[int(rng.integers(len(bank)))]
    th, tw = tex.shape[:2]
    scale = rng.uniform(0.1, 0.6)
    ch = max(4, int(th * scale))
    cw = max(4, min(tw, int(ch * width / height)))
    y, x = int(rng.integers(0, th - ch + 1)), int(rng.integers(0, tw - cw + 1))
    patch = cv2.resize(tex[y : y + ch, x : x + cw], (width, height), interpolation=cv2.INTER_LINEAR)
    if rng.random() < 0.5:
        patch = patch[:, ::-1]
    if rng.random() < 0.5:
        patch = patch[..., rng.permutation(3)]
    if rng.random() < 0.6:  # most real backgrounds are not colourful: keep only the texture's shading
        patch = np.repeat(patch.mean(axis=-1, keepdims=True), 3, axis=-1)
    return np.ascontiguousarray(patch)


# ----------------------------------------------------------------------------- rendering

def _luminance(rgb: np.ndarray) -> float:
    return float(np.dot(rgb, [0.299, 0.587, 0.114]))


def _contrasting_colour(rng: np.random.Generator, against: float, min_contrast: float, plain_prob: float):
    """A colour (0..255) whose luminance differs from `against` by at least `min_contrast`."""
    for _ in range(20):
        if rng.random() < plain_prob:
            level = rng.uniform(0, 50) if rng.random() < 0.5 else rng.uniform(205, 255)
            colour = np.clip(level + rng.normal(0, 8, 3), 0, 255)
        else:
            colour = rng.uniform(0, 255, 3)
        if abs(_luminance(colour) - against) >= min_contrast:
            return colour.astype(np.float32)
    return np.full(3, 0.0 if against > 127 else 255.0, np.float32)


SUPERSCRIPT_SCALE = 0.6  # size of raised letters ("3rd"), in font sizes


def _layout(text: str, font: ImageFont.FreeTypeFont, spacing: float,
            raised: tuple[int, int] | None) -> list[tuple[str, float, float, ImageFont.FreeTypeFont]]:
    """Where each piece of `text` is drawn: (piece, x, y shift, font).

    The whole text is one piece (so the font's kerning applies) unless letters are spaced
    out, then every character is one. `raised` = (start, end) draws text[start:end] smaller
    with its top at the top of the digits, as the "rd" of "3rd Ave" (v8).
    """
    start, end = raised or (len(text), len(text))
    small = font.font_variant(size=max(6, round(font.size * SUPERSCRIPT_SCALE))) if raised else font
    lift = font.getbbox("8")[1] - small.getbbox(text[start:end])[1] if raised else 0.0
    pieces, x = [], 0.0
    for run, run_font, dy in ((text[:start], font, 0.0), (text[start:end], small, lift), (text[end:], font, 0.0)):
        for piece in (list(run) if spacing else [run] if run else []):
            pieces.append((piece, x, dy, run_font))
            x += run_font.getlength(piece) + spacing
    return pieces


def _text_layers(text: str, font: ImageFont.FreeTypeFont, stroke: int, spacing: float,
                 underline: bool, pad: int, raised: tuple[int, int] | None = None) -> np.ndarray:
    """Masks (H, W, 2) uint8 of the text and of the text plus its border, with `pad` px of margin."""
    pieces = _layout(text, font, spacing, raised)
    boxes = [f.getbbox(piece, stroke_width=stroke) for piece, _, _, f in pieces]
    left = min(b[0] + x for b, (_, x, _, _) in zip(boxes, pieces))
    top = min(b[1] + dy for b, (_, _, dy, _) in zip(boxes, pieces))
    right = max(b[2] + x for b, (_, x, _, _) in zip(boxes, pieces))
    bottom = max(b[3] + dy for b, (_, _, dy, _) in zip(boxes, pieces))
    ascent, descent = font.getmetrics()
    underline_y = ascent + max(2, descent // 3)
    bottom = max(bottom, underline_y + stroke + 3) if underline else bottom
    size = (int(np.ceil(right - left)) + 2 * pad, int(np.ceil(bottom - top)) + 2 * pad)
    layers = []
    for width in sorted({0, stroke}):
        img = Image.new("L", size, 0)
        draw = ImageDraw.Draw(img)
        for piece, x, dy, piece_font in pieces:
            draw.text((pad - left + x, pad - top + dy), piece, font=piece_font, fill=255, stroke_width=width,
                      stroke_fill=255)
        if underline:
            thickness = max(1, font.size // 16) + width
            y = pad - top + underline_y
            draw.rectangle([pad - left, y - thickness // 2, size[0] - pad, y + thickness - thickness // 2], fill=255)
        layers.append(np.asarray(img))
    return np.stack([layers[0], layers[-1]], axis=-1)


def _warp(masks: np.ndarray, rng: np.random.Generator, p: dict, text_height: float) -> np.ndarray:
    """Rotation, an italic shear (v7) and a projective distortion around the middle of the canvas.

    Mostly slight; a tail of crops (v6) is turned and skewed as steeply as words on signs
    photographed from the side are.
    """
    h, w = masks.shape[:2]
    sd = p["rotation_tail"] if rng.random() < p["rotation_tail_prob"] else p["rotation"]
    angle = np.deg2rad(np.clip(rng.normal(0, sd), -2.5 * sd, 2.5 * sd))
    jitter_sd = p["perspective_tail"] if rng.random() < p["perspective_tail_prob"] else p["perspective"]
    corners = np.float32([[0, 0], [w, 0], [w, h], [0, h]])
    centre = np.float32([w / 2, h / 2])
    rot = np.float32([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
    jitter = rng.normal(0, jitter_sd * text_height, (4, 2)).astype(np.float32)
    shear = rng.uniform(*p["shear"]) if rng.random() < p["shear_prob"] else 0.0  # v7: italic slant
    sheared = corners + np.float32([[1, 0], [1, 0], [-1, 0], [-1, 0]]) * (shear * h / 2)  # top right, bottom left
    target = ((sheared - centre) @ rot.T + centre + jitter).astype(np.float32)
    # Keep the whole warped canvas in view: a steep turn would otherwise cut the word's ends off.
    shift = -target.min(axis=0)
    target += shift
    out_w, out_h = (int(np.ceil(v)) for v in target.max(axis=0))
    matrix = cv2.getPerspectiveTransform(corners, target)
    return cv2.warpPerspective(masks, matrix, (max(out_w, 1), max(out_h, 1)), flags=cv2.INTER_LINEAR, borderValue=0)


def _curve(masks: np.ndarray, rng: np.random.Generator, p: dict, text_height: float) -> np.ndarray:
    """Bend the baseline (v6): an arc (a logo, a round sign) or a wave (a flag, a bottle label).

    Each column moves up or down by a smooth function of x; the canvas grows so nothing is cut.
    """
    h, w = masks.shape[:2]
    amplitude = rng.uniform(*p["curve_amplitude"]) * text_height * rng.choice([-1, 1])
    x = np.arange(w, dtype=np.float32) / max(w - 1, 1)
    if rng.random() < 0.6:  # arc: ends up (or down), middle down (or up)
        offset = amplitude * (1 - (2 * x - 1) ** 2)
    else:  # wave: one or two periods
        offset = amplitude * np.sin(2 * np.pi * rng.uniform(0.5, 1.5) * x + rng.uniform(0, 2 * np.pi))
    offset -= offset.min()
    grow = int(np.ceil(offset.max()))
    map_x = np.tile(np.arange(w, dtype=np.float32), (h + grow, 1))
    map_y = np.arange(h + grow, dtype=np.float32)[:, None] - offset[None, :]
    return cv2.remap(masks, map_x, map_y, cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT, borderValue=0)


def _circle(masks: np.ndarray, rng: np.random.Generator, p: dict) -> np.ndarray:
    """Set the word on a circle (v8): over the top, letters leaning out, or under the bottom, leaning in.

    Unlike `_curve`, which only moves columns up and down, every letter turns with the circle,
    as on a round badge or logo. The canvas's middle row becomes an arc of `circle_span`
    degrees (less for a short word, so the circle's inner edge stays outside the canvas).
    """
    h, w = masks.shape[:2]
    span = min(np.deg2rad(rng.uniform(*p["circle_span"])), 1.6 * w / h)
    radius = w / span  # of the middle row: the word keeps its length along it
    over_the_top = rng.random() < p["circle_over_prob"]
    # Output pixels, relative to the circle's centre, over the box of the ring sector.
    angles = np.linspace(-span / 2, span / 2, 64)
    radii = np.array([[radius - h / 2], [radius + h / 2]])
    xs, ys = np.sin(angles) * radii, np.cos(angles) * radii * (-1 if over_the_top else 1)
    left, top = np.float32(xs.min()), np.float32(ys.min())
    width, height = int(np.ceil(xs.max() - xs.min())) + 2, int(np.ceil(ys.max() - ys.min())) + 2
    xx, yy = np.meshgrid(np.arange(width, dtype=np.float32) + left, np.arange(height, dtype=np.float32) + top)
    r = np.hypot(xx, yy)
    if over_the_top:  # the letters' tops on the outer edge, reading clockwise
        angle, src_y = np.arctan2(xx, -yy), radius + h / 2 - r
    else:  # their tops on the inner edge, reading anticlockwise
        angle, src_y = np.arctan2(xx, yy), r - (radius - h / 2)
    src_x = (angle / span + 0.5) * w
    return cv2.remap(masks, src_x.astype(np.float32), src_y.astype(np.float32), cv2.INTER_LINEAR,
                     borderMode=cv2.BORDER_CONSTANT, borderValue=0)


def _ink_rows(mask: np.ndarray) -> tuple[int, int]:
    rows = np.flatnonzero(mask.max(axis=-1).any(axis=1) if mask.ndim == 3 else mask.any(axis=1))
    return (int(rows[0]), int(rows[-1]) + 1) if len(rows) else (0, mask.shape[0])


def _add_neighbours(masks: np.ndarray, font: ImageFont.FreeTypeFont, font_path, rng: np.random.Generator,
                    p: dict, stroke: int, pad: int) -> tuple[np.ndarray, tuple[int, int]]:
    """Lines of other text above and / or below the word (v6), as on a sign or a page.

    Returns the taller masks and the rows of the word itself, so the crop is still made
    around the word and shows only a slice of its neighbours (`neighbour_visible`). Half
    the time (v7, `neighbour_word_prob`) a neighbour is one upper-case word centred over
    the word, as the lines of a sign are ("HOTEL / GRAND / PACIFIC").
    """
    word_top, word_bottom = _ink_rows(masks)
    pieces, where = [], _pick(rng, ["above", "below", "both"])
    for side in ("above", "below"):
        if where not in (side, "both"):
            continue
        sign = rng.random() < p["neighbour_word_prob"]  # one centred word, as on a sign (v7)
        if sign:
            text = _pick(rng, _lexicon_by_length()[int(rng.integers(3, 10))]).upper()
        else:  # running text: words until the line holds about 14 characters
            words = []
            while sum(len(w) + 1 for w in words) < 14:
                words.append(_random_case(_pick(rng, _lexicon_by_length()[int(rng.integers(3, 10))]), rng, (1, 1, 2)))
            text = " ".join(words)
        if not font_covers(font_path, text):
            continue
        line = _text_layers(text, font, stroke, 0.0, False, pad=pad)
        top, bottom = _ink_rows(line)
        line = line[top:bottom]
        if sign:  # centred over the word: cut if wider, padded with nothing if narrower
            extra = line.shape[1] - masks.shape[1]
            if extra >= 0:
                line = line[:, extra // 2 : extra // 2 + masks.shape[1]]
            else:
                line = np.pad(line, ((0, 0), (-extra // 2, -extra - (-extra // 2)), (0, 0)))
            pieces.append((side, line))
            continue
        # The neighbour's width: tile or cut to the word's canvas, from a random start.
        reps = int(np.ceil(masks.shape[1] / max(line.shape[1], 1))) + 1
        line = np.concatenate([line] * reps, axis=1)
        start = int(rng.integers(0, line.shape[1] - masks.shape[1] + 1))
        pieces.append((side, line[:, start : start + masks.shape[1]]))
    if not pieces:
        return masks, (word_top, word_bottom)
    gap = int(rng.uniform(*p["neighbour_gap"]) * font.size)
    blank = np.zeros((gap, masks.shape[1], masks.shape[2]), masks.dtype)
    word = masks[word_top:word_bottom]
    above = [piece for side, piece in pieces if side == "above"]
    below = [piece for side, piece in pieces if side == "below"]
    rows = [masks[:word_top]] if not above else [np.zeros((pad, *masks.shape[1:]), masks.dtype), above[0], blank]
    start = sum(r.shape[0] for r in rows)
    rows += [word] + ([blank, below[0], np.zeros((pad, *masks.shape[1:]), masks.dtype)] if below else [masks[word_bottom:]])
    return np.concatenate(rows, axis=0), (start, start + word.shape[0])


def _disk_kernel(radius: float) -> np.ndarray:
    r = int(np.ceil(radius))
    yy, xx = np.mgrid[-r : r + 1, -r : r + 1]
    kernel = (np.hypot(xx, yy) <= radius + 0.5).astype(np.float32)
    return kernel / kernel.sum()


def _line_kernel(length: int, angle: float) -> np.ndarray:
    kernel = np.zeros((length, length), np.float32)
    kernel[length // 2, :] = 1
    rot = cv2.getRotationMatrix2D((length / 2 - 0.5, length / 2 - 0.5), angle, 1.0)
    kernel = cv2.warpAffine(kernel, rot, (length, length))
    return kernel / max(float(kernel.sum()), 1e-6)


def _camera(image: np.ndarray, rng: np.random.Generator, p: dict) -> np.ndarray:
    """What a phone camera does to a word (v6): defocus, motion blur, low resolution, uneven light, glare;
    and (v7) a double image and a thin bar in front of the word.

    Written with OpenCV rather than taken from albumentations (which does all of these): its
    OpenCV package would sit beside the opencv-python that keras-ocr's imgaug requires, two
    packages writing the same `cv2`; and imgaug's own weather effects fail on NumPy >= 1.24.
    The set follows straug (Atienza 2021, "Data augmentation for scene text recognition").
    """
    h, w = image.shape[:2]
    if rng.random() < p["ghost_prob"]:  # v7: a double image, the copy shifted mostly up or down
        shift = rng.uniform(*p["ghost_offset"]) * h
        angle = rng.normal(np.pi / 2, 0.5) * rng.choice([-1, 1])
        move = np.float32([[1, 0, shift * np.cos(angle)], [0, 1, shift * np.sin(angle)]])
        copy = cv2.warpAffine(image, move, (w, h), borderMode=cv2.BORDER_REFLECT)
        opacity = rng.uniform(*p["ghost_opacity"])
        image = image * (1 - opacity) + copy * opacity
    if rng.random() < p["occluder_prob"]:  # v7: a pole or a wire in front of the word
        x = int(rng.uniform(0.1, 0.9) * w)
        width = max(1, int(rng.uniform(*p["occluder_width"]) * h))
        image = image.copy()
        image[:, x : x + width] = rng.uniform(0, 255, 3).astype(np.float32)
    if rng.random() < p["defocus_prob"]:
        image = cv2.filter2D(image, -1, _disk_kernel(rng.uniform(*p["defocus_radius"])), borderType=cv2.BORDER_REFLECT)
    if rng.random() < p["motion_blur_prob"]:
        length = int(rng.integers(p["motion_blur_length"][0], p["motion_blur_length"][1] + 1))
        image = cv2.filter2D(image, -1, _line_kernel(length, rng.uniform(0, 180)), borderType=cv2.BORDER_REFLECT)
    if rng.random() < p["lowres_prob"]:
        small_h = int(rng.integers(p["lowres_height"][0], p["lowres_height"][1] + 1))
        small = cv2.resize(image, (max(1, round(w * small_h / h)), small_h), interpolation=cv2.INTER_AREA)
        image = cv2.resize(small, (w, h), interpolation=_pick(rng, [cv2.INTER_LINEAR, cv2.INTER_CUBIC, cv2.INTER_NEAREST]))
    if rng.random() < p["lighting_prob"]:
        yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
        angle = rng.uniform(0, 2 * np.pi)
        ramp = xx / max(w, 1) * np.cos(angle) + yy / max(h, 1) * np.sin(angle)
        ramp = (ramp - ramp.min()) / max(float(ramp.max() - ramp.min()), 1e-6)
        low = 1 - rng.uniform(*p["lighting_strength"])
        image = image * (low + (1 - low) * ramp)[..., None]
    if rng.random() < p["glare_prob"]:
        yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
        cx, cy, radius = rng.uniform(0, w), rng.uniform(0, h), rng.uniform(0.3, 1.0) * h
        blob = np.exp(-((xx - cx) ** 2 + (yy - cy) ** 2) / (2 * radius**2))[..., None]
        image = image + (255 - image) * blob * rng.uniform(*p["glare_strength"])
    return image


def _shadow(silhouette: np.ndarray, rng: np.random.Generator, p: dict, size: int) -> np.ndarray:
    """The shadow layer of a text silhouette (uint8): the silhouette moved down and aside and softened, or
    (`extrude_prob`) swept all the way there, which draws the solid side of 3D block letters."""
    dx, dy = (rng.uniform(*p["shadow_offset"], 2) * size * rng.choice([-1, 1], 2)).round().astype(int)
    dy = abs(dy)  # light from above, as it usually is
    if rng.random() < p["extrude_prob"]:
        steps = max(abs(dx), dy, 1)
        shadow = silhouette.copy()
        for step in range(1, steps + 1):  # one px at a time, so the side has no gaps
            np.maximum(shadow, np.roll(silhouette, (round(dy * step / steps), round(dx * step / steps)), axis=(0, 1)),
                       out=shadow)
    else:
        shadow = np.roll(silhouette, (dy, dx), axis=(0, 1))
    sigma = rng.uniform(*p["shadow_blur"])
    return cv2.GaussianBlur(shadow, (0, 0), sigma) if sigma > 0.3 else shadow


def _relief(image: np.ndarray, letters: np.ndarray, rng: np.random.Generator, p: dict) -> np.ndarray:
    """Letters carved into the surface or raised from it: they have the surface's colour and show only as
    light on the strokes' edges that face the light and shade on the others. A model that has learnt
    "text is ink of another colour" cannot read carved stone; this teaches it the edges are enough.

    `image` (H, W, 3) float 0-255, `letters` (H, W) float 0-1. The light comes from above, turned to
    either side (`relief_light`), so vertical strokes get edges too.
    """
    angle = np.radians(rng.uniform(-p["relief_light"], p["relief_light"]))
    depth = rng.uniform(*p["relief_depth"]) * image.shape[0]
    move = np.float32([[1, 0, depth * np.sin(angle)], [0, 1, depth * np.cos(angle)]])
    below = cv2.warpAffine(letters, move, letters.shape[::-1], flags=cv2.INTER_LINEAR, borderValue=0)
    facing_up = np.clip(letters - below, 0, 1)[..., None]  # a stroke's edge towards the light
    facing_down = np.clip(below - letters, 0, 1)[..., None]  # just past its edge away from the light
    carved = rng.random() < p["relief_carved_prob"]
    lit, shaded = (facing_down, facing_up) if carved else (facing_up, facing_down)
    strength = rng.uniform(*p["relief_strength"])
    image = image + (255 - image) * lit * strength - image * shaded * strength
    if carved:  # the floor of the cut is in shade
        image = image * (1 - letters[..., None] * rng.uniform(*p["relief_fill"]))
    return image


def render_word(text: str, font_path: str | os.PathLike, rng: np.random.Generator,
                height: int | None = None, params: dict | None = None) -> Image.Image:
    """Render one word crop as MJSynth would: an RGB image `height` px high at the word's width.

    `params` overrides entries of `AUGMENT`. Raises ValueError when the font cannot
    draw a character of `text` (see `font_covers`) instead of drawing tofu.
    """
    p = {**AUGMENT, **(params or {})}
    if not text or not font_covers(font_path, text):
        missing = sorted(set(text) - font_charset(font_path)) if text else []
        raise ValueError(f"the font {Path(font_path).name!r} cannot draw {missing or 'an empty text'} in {text!r}")
    size = int(rng.integers(p["font_size"][0], p["font_size"][1] + 1))
    font = _load_font(str(font_path), size)
    _pick_variable_instance(font, rng, p)
    stroke = int(max(1, round(rng.uniform(*p["border_width"]) * size))) if rng.random() < p["border_prob"] else 0
    spacing = rng.uniform(*p["char_spacing"]) * size if rng.random() < p["char_spacing_prob"] else 0.0
    underline = rng.random() < p["underline_prob"]
    pad = size // 2 + stroke
    ordinal = ORDINAL.match(text)
    raised = (ordinal.start(1), ordinal.end(1)) if ordinal and rng.random() < p["superscript_prob"] else None
    masks = _text_layers(text, font, stroke, spacing, underline, pad=pad, raised=raised)
    word_rows = None
    if rng.random() < p["neighbour_prob"]:
        masks, word_rows = _add_neighbours(masks, font, font_path, rng, p, stroke, pad)

    shadow = _shadow(masks[..., 1], rng, p, size) if rng.random() < p["shadow_prob"] else None
    # A fourth layer marks the word itself (not its neighbours): the crop is made around it.
    word_only = masks[..., 1].copy()
    if word_rows is not None:
        word_only[: word_rows[0]] = 0
        word_only[word_rows[1] :] = 0
    masks = np.dstack([masks, shadow if shadow is not None else np.zeros(masks.shape[:2], np.uint8), word_only])
    bend = rng.random()
    if bend < p["circle_prob"]:
        masks = _circle(masks, rng, p)
    elif bend < p["circle_prob"] + p["curve_prob"]:
        masks = _curve(masks, rng, p, text_height=size)
    masks = _warp(masks, rng, p, text_height=size)

    # Crop to the word's ink with random margins, resize to the final height.
    ink = masks[..., 3] > 24
    rows, cols = np.flatnonzero(ink.any(axis=1)), np.flatnonzero(ink.any(axis=0))
    if len(rows) == 0:
        raise ValueError(f"nothing was drawn for {text!r} with {Path(font_path).name!r}")
    masks = masks[..., :3]
    top, bottom, left, right = rows[0], rows[-1] + 1, cols[0], cols[-1] + 1
    ink_h = bottom - top
    my = rng.uniform(*p["margin_y"], 2) * ink_h
    if word_rows is not None:  # show a slice of the neighbouring lines: gap + part of their height
        gap = rng.uniform(*p["neighbour_gap"]) * size
        my = np.maximum(my, gap + rng.uniform(*p["neighbour_visible"], 2) * size * 0.7)
    mx = rng.uniform(*p["margin_x"], 2) * (ink_h + my.sum())
    top, bottom = int(max(0, top - my[0])), int(min(masks.shape[0], bottom + my[1]))
    left, right = int(max(0, left - mx[0])), int(min(masks.shape[1], right + mx[1]))
    masks = masks[top:bottom, left:right]
    out_h = int(rng.integers(p["height"][0], p["height"][1] + 1)) if height is None else int(height)
    out_w = max(1, int(round(masks.shape[1] * out_h / masks.shape[0] * rng.uniform(*p["aspect"]))))
    masks = cv2.resize(masks, (out_w, out_h), interpolation=cv2.INTER_AREA).astype(np.float32) / 255

    # Colour: background (+ texture), then shadow, border and text layers on top.
    if rng.random() < p["plain_background_prob"]:
        level = _pick(rng, [rng.uniform(*r) for r in p.get("plain_background_levels", PLAIN_BACKGROUND_LEVELS)])
        bg_colour = np.clip(level + rng.normal(0, 10, 3), 0, 255).astype(np.float32)
    else:
        bg_colour = rng.uniform(0, 255, 3).astype(np.float32)
    image = np.broadcast_to(bg_colour, (out_h, out_w, 3)).astype(np.float32)
    relief = rng.random() < p["relief_prob"]  # carved or embossed: into a surface (a texture), never into a photo
    if not relief and rng.random() < p["photo_background_prob"]:
        blend = rng.uniform(*p["photo_blend"])
        image = image * (1 - blend) + _texture_patch(rng, out_w, out_h, photo_bank()) * 255 * blend
    elif rng.random() < p["texture_prob"]:
        blend = rng.uniform(*p["texture_blend"])
        image = image * (1 - blend) + _texture_patch(rng, out_w, out_h) * 255 * blend
    bg_lum = _luminance(image.reshape(-1, 3).mean(axis=0))
    fg = _contrasting_colour(rng, bg_lum, p["min_contrast"], p["plain_text_colour_prob"])
    text_m, border_m, shadow_m = masks[..., 0:1], masks[..., 1:2], masks[..., 2:3]
    if relief:  # no ink, no border, no shadow: only the surface, lit and shaded
        image = _relief(image, masks[..., 0], rng, p)
    else:
        if shadow_m.any():
            dark = _contrasting_colour(rng, _luminance(fg), p["min_contrast"], 1.0)
            image += (dark - image) * shadow_m * rng.uniform(*p["shadow_opacity"])
        if stroke:
            border = _contrasting_colour(rng, _luminance(fg), p["min_contrast"], 0.3)
            image += (border - image) * border_m
        image += (fg - image) * text_m
    blend = rng.uniform(*p["image_blend"])
    if blend > 0:
        image = image * (1 - blend) + _texture_patch(rng, out_w, out_h) * 255 * blend

    # Noise: blur, resampling, Gaussian noise (JPEG comes when the crop is encoded).
    if rng.random() < p["blur_prob"]:
        image = cv2.GaussianBlur(image, (0, 0), rng.uniform(*p["blur_sigma"]))
    if rng.random() < p["resample_prob"]:
        scale = rng.uniform(*p["resample_scale"])
        small = cv2.resize(image, (max(1, int(out_w * scale)), max(1, int(out_h * scale))), interpolation=cv2.INTER_AREA)
        image = cv2.resize(small, (out_w, out_h), interpolation=cv2.INTER_LINEAR)
    image = _camera(image, rng, p)
    if rng.random() < p["noise_prob"]:
        image = image + rng.normal(0, rng.uniform(*p["noise_sigma"]), image.shape).astype(np.float32)
    return Image.fromarray(np.clip(image, 0, 255).round().astype(np.uint8), "RGB")


def preset_settings(preset: str | None) -> tuple[str, dict]:
    """(font set, params over AUGMENT) of a preset name (see `PRESETS`); None is the full mix."""
    if preset is None:
        return "train", {}
    if preset not in PRESETS:
        raise ValueError(f"unknown preset {preset!r}; choose one of {sorted(PRESETS)}")
    fonts, params, _ = PRESETS[preset]
    return fonts, params


def is_current(out_dir: str | os.PathLike, preset: str | None = None) -> bool:
    """True when `out_dir` is a finished set made by this version of the generator and recipe
    (the full mix, or a preset's)."""
    marker = Path(out_dir) / COMPLETE_MARKER
    if not marker.exists():
        return False
    try:
        settings = json.loads(marker.read_text())
    except ValueError:
        return False
    return (settings.get("generator_version") == GENERATOR_VERSION
            and settings.get("params") == json.loads(json.dumps({**AUGMENT, **preset_settings(preset)[1]})))


def encode_jpeg(img: Image.Image, quality: int) -> bytes:
    buf = io.BytesIO()
    img.save(buf, format="JPEG", quality=int(quality))
    return buf.getvalue()


# ----------------------------------------------------------------------------- data sets

def _font_choices(fonts: str | os.PathLike) -> tuple[int, dict[str, tuple[Path, ...]]]:
    """(font set id, families) for "train", "heldout" or a folder of font files."""
    if str(fonts) in FONT_SETS:
        return FONT_SET_IDS[str(fonts)], font_families(str(fonts))
    return FONT_SET_IDS["dir"], fonts_in_dir(fonts)


def make_sample(seed: int, split: str, index: int, fonts: str | os.PathLike = "train",
                params: dict | None = None) -> tuple[bytes, str]:
    """The `index`-th sample of a split: (JPEG bytes, label). The same arguments give the same bytes.

    Its random generator is seeded by (seed, font set, split, index) alone, so a data
    set does not depend on how many processes build it, nor in which order.
    """
    font_set_id, families = _font_choices(fonts)
    p = {**AUGMENT, **(params or {})}
    rng = np.random.default_rng([int(seed), font_set_id, SPLIT_IDS[split], int(index)])
    names = list(families)
    for _ in range(100):
        text = sample_text(rng, p)
        # A random family, then a random style; a font that cannot draw the text is skipped.
        for family in [names[i] for i in rng.permutation(len(names))]:
            styles = [f for f in families[family] if font_covers(f, text)]
            if styles:
                img = render_word(text, _pick(rng, styles), rng, params=p)
                return encode_jpeg(img, rng.integers(p["jpeg_quality"][0], p["jpeg_quality"][1] + 1)), text
    raise ValueError(f"no font of {sorted(families)} can draw the sampled texts; check the fonts")


def _make_sample_task(args):
    return make_sample(*args)


def check_sizes(sizes: dict[str, int]) -> dict[str, int]:
    unknown = set(sizes) - set(SPLITS)
    if unknown:
        raise ValueError(f"unknown split(s) {sorted(unknown)}; the splits are {list(SPLITS)}")
    for split, n in sizes.items():
        if not isinstance(n, (int, np.integer)) or n < 0:
            raise ValueError(f"--{split} must be a whole number >= 0, got {n!r}")
    if not any(sizes.values()):
        raise ValueError("every split has size 0: nothing to build")
    return {split: int(n) for split, n in sizes.items()}


def generate_dataset(out_dir: str | os.PathLike, sizes: dict[str, int] | None = None, seed: int = 0,
                     fonts: str | os.PathLike = "train", workers: int | None = None, force: bool = False,
                     progress: bool = True, params: dict | None = None, preset: str | None = None) -> dict[str, int]:
    """Write `out_dir/train`, `valid`, `test` LMDBs (clovaai layout) of synthetic word crops.

    `sizes` maps split -> number of samples (0 skips a split). Each split is written
    atomically by `ocr_lab.data.write_lmdb`; `out_dir/.complete` (the settings, as JSON)
    is written last. An existing data set is kept unless `force=True`. `fonts` is
    "train", "heldout" or a folder of .ttf/.otf files. A `preset` (see `PRESETS`, e.g.
    "first-steps") sets the fonts and the params. Returns {split: samples written}.
    """
    from ocr_lab.data import write_lmdb  # here, so that worker processes never import TensorFlow

    if preset is not None:
        fonts, preset_params = preset_settings(preset)
        params = {**preset_params, **(params or {})}
        sizes = PRESETS[preset][2] if sizes is None else sizes
    sizes = check_sizes(dict(DEFAULT_SIZES if sizes is None else sizes))
    _, families = _font_choices(fonts)  # fails early on an unknown font set or folder
    workers = (os.cpu_count() or 1) if workers is None else int(workers)
    if workers < 1:
        raise ValueError(f"workers must be at least 1, got {workers}")
    out_dir = Path(out_dir)
    if out_dir.exists() and not out_dir.is_dir():
        raise FileExistsError(f"{str(out_dir)!r} is a file, not a folder")
    todo = [split for split in SPLITS if sizes.get(split)]
    existing = [str(out_dir / s) for s in todo if (out_dir / s).exists()]
    if existing and not force:
        raise FileExistsError(f"{', '.join(existing)} already exist(s); pass --force (force=True) to rebuild")
    fonts_arg = str(fonts) if str(fonts) in FONT_SETS else str(Path(fonts).resolve())
    params = {**AUGMENT, **(params or {})}
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / COMPLETE_MARKER).unlink(missing_ok=True)

    for split in todo:  # temp folders that a killed run left behind (see write_lmdb)
        for stale in out_dir.glob(f".{split}.partial-*"):
            shutil.rmtree(stale, ignore_errors=True)

    written = {}
    pool = multiprocessing.get_context("spawn").Pool(workers, initializer=_init_worker) if workers > 1 else None
    try:
        for split in todo:
            tasks = ((seed, split, i, fonts_arg, params) for i in range(sizes[split]))
            samples = pool.imap(_make_sample_task, tasks, chunksize=64) if pool else map(_make_sample_task, tasks)
            if progress:
                from tqdm.auto import tqdm

                samples = tqdm(samples, total=sizes[split], desc=f"synth {split}", unit="img", smoothing=0.05)
            start = time.perf_counter()
            written[split] = write_lmdb(out_dir / split, samples, force=force)
            if progress:
                rate = written[split] / max(time.perf_counter() - start, 1e-9)
                print(f"wrote {written[split]} samples to {out_dir / split} ({rate:.0f} samples/s)")
    finally:
        if pool:
            pool.terminate()
            pool.join()
    settings = {"generator_version": GENERATOR_VERSION, "sizes": written, "seed": seed, "fonts": fonts_arg,
                "font_families": sorted(families), "params": params, "lexicon": "english-words: gcide & web2", "lexicon_size": len(lexicon())}
    (out_dir / COMPLETE_MARKER).write_text(json.dumps(settings, indent=1) + "\n")
    return written


def _init_worker():
    cv2.setNumThreads(1)  # the parallelism is across processes; OpenCV's own threads would compete


# ----------------------------------------------------------------------------- command line

def add_cli(subparsers) -> None:
    p = subparsers.add_parser(
        "synth",
        help="build the synthetic MJSynth-like data set (train / valid / test LMDBs)",
        description="Render word crops MJSynth-style and write them as clovaai-layout LMDBs "
                    "(out/train, out/valid, out/test). Defaults build in about 2 minutes on 2 cores.",
    )
    p.add_argument("--out", default=None,
                   help="output folder (default: the repository's data/synth, or data/synth_heldout with --fonts heldout)")
    for split in SPLITS:
        p.add_argument(f"--{split}", type=int, default=None, metavar="N",
                       help=f"{split} samples (default {DEFAULT_SIZES[split]}, --quick {QUICK_SIZES[split]}; 0 skips)")
    p.add_argument("--quick", action="store_true", help="a tiny set for CI and a first run (~10 s)")
    p.add_argument("--preset", choices=sorted(PRESETS),
                   help="a named set of fonts and settings instead of the full mix: first-steps is notebook 04's "
                        "curriculum (3-7-letter words, 4 plain fonts, dark on light, no effects; default sizes "
                        f"{FIRST_STEPS_SIZES['train']:,} / {FIRST_STEPS_SIZES['valid']} / {FIRST_STEPS_SIZES['test']}, "
                        "in data/synth_first_steps)")
    p.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    p.add_argument("--fonts", default="train",
                   help="'train' (default), 'heldout' (fonts the training set never uses; "
                        "builds only a test split unless sizes are given) or a folder of .ttf/.otf files")
    p.add_argument("--workers", type=int, default=None, help="processes (default: all cores)")
    p.add_argument("--force", action="store_true", help="replace an existing data set")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    preset = getattr(args, "preset", None)
    if preset and (args.quick or args.fonts != "train"):
        raise ValueError(f"--preset {preset} sets its own fonts and sizes: leave out --quick and --fonts")
    base = dict(PRESETS[preset][2] if preset else QUICK_SIZES if args.quick else DEFAULT_SIZES)
    if args.fonts == "heldout":
        base.update(train=0, valid=0)
    sizes = {split: base[split] if getattr(args, split) is None else getattr(args, split) for split in SPLITS}
    out = args.out or (DATA_DIR / f"synth_{preset.replace('-', '_')}" if preset else DEFAULT_OUT.get(args.fonts))
    if out is None:
        raise ValueError("--out is required with a fonts folder")
    start = time.perf_counter()
    written = generate_dataset(out, sizes, seed=args.seed, fonts=args.fonts, workers=args.workers,
                               force=args.force, preset=preset)
    total = sum(written.values())
    seconds = time.perf_counter() - start
    print(f"done: {total} samples in {seconds:.0f} s ({total / seconds:.0f} samples/s) under {out}")
    return 0
