"""The recipe: every strength of the generator, the splits and their sizes, and its version.

Taught in notebook 01. Every strength lives in `AUGMENT`, so the recipe is tuned in one
place; a data set records the values it was built with (`dataset.generate_dataset`).
"""
from __future__ import annotations

from pathlib import Path

# Strengths of every step of the recipe. Ranges are (low, high) of a uniform draw;
# `*_prob` is how often a step is applied. A data set records the values it was built with.
AUGMENT = {
    # text
    "numeric_prob": 0.2,  # numbers, years, codes like "B52" instead of a lexicon word
    "case_probs": (0.4, 0.3, 0.3),  # lower, Capitalised, UPPER
    # A trailing "." "," "-" or "'s" is out of the charset: the reader drops it from the label but
    # the image still shows it, which teaches the model to read that ink as nothing (real signs and
    # dates have punctuation, and the course scores alphanumerics only).
    "punct_prob": 0.05,
    # dates, times, prices, phone numbers, hyphenated words: "03/09/2009", "12:30", "$4.99",
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
    "jpeg_quality": (20, 95),  # down to 20, as in re-saved web photos
    # --- what real scene-text crops have and MJSynth-style rendering alone does not. Each was
    # checked against real word crops (`benchmarks/bench_real_crops.py`); see the model card.
    # photo backgrounds: a random crop of a bundled photo under and around the word, strongly blended
    "photo_background_prob": 0.25,
    "photo_blend": (0.55, 1.0),
    # curved baselines (an arc or a wave), amplitude in text heights
    "curve_prob": 0.15,
    "curve_amplitude": (0.1, 0.8),  # up to the arc of a round logo
    # heavier tails of rotation and perspective than the slight default above
    "rotation_tail_prob": 0.1,
    "rotation_tail": 12.0,  # degrees, normal standard deviation, clipped at 2.5 sigma
    "perspective_tail_prob": 0.15,
    "perspective_tail": 0.15,  # corner jitter, in text heights
    # a piece of a neighbouring text line above and / or below, as a detector's crop of a sign has
    "neighbour_prob": 0.25,
    "neighbour_gap": (0.1, 0.5),  # between the lines, in font sizes
    "neighbour_visible": (0.1, 0.9),  # how much of the neighbour's height the crop shows
    # a sign's lines are single words, centred ("HOTEL / GRAND / PACIFIC"), not a column of running text
    "neighbour_word_prob": 0.5,
    # italic slant by a shear (x moves by shear * height above the baseline), mostly to the right
    "shear_prob": 0.15,
    "shear": (-0.2, 0.5),
    # a double image (camera shake, a reflection in glass): the crop over a shifted, fainter copy of itself
    "ghost_prob": 0.05,
    "ghost_offset": (0.08, 0.3),  # in crop heights
    "ghost_opacity": (0.3, 0.6),
    # a thin bar across the word (a pole, a wire, a window frame), hiding part of a letter
    "occluder_prob": 0.05,
    "occluder_width": (0.04, 0.2),  # in crop heights
    # camera: defocus (disk), motion blur (line), low resolution, lighting gradient, glare
    "defocus_prob": 0.1,
    "defocus_radius": (1.0, 2.0),  # px at the final size
    "motion_blur_prob": 0.1,
    "motion_blur_length": (3, 7),  # px at the final size
    "lowres_prob": 0.25,  # real crops of small signs are often 15-20 px high
    "lowres_height": (8, 16),  # render the crop this many px high, then scale it back up
    "lighting_prob": 0.25,
    "lighting_strength": (0.3, 0.7),  # darkest / brightest ratio across the crop
    "glare_prob": 0.1,
    "glare_strength": (0.3, 0.8),  # peak of a soft white blob, as a fraction of white
    # ordinals ("3rd", "21st Ave", "5TH"), as on street signs; their suffix is mostly raised and small
    "ordinal_prob": 0.03,
    "superscript_prob": 0.6,
    # a word set on a circle, its letters turned with it (a badge, a round logo), over the top or under the bottom
    "circle_prob": 0.05,
    "circle_span": (30.0, 180.0),  # degrees of the circle the word covers
    "circle_over_prob": 0.6,  # over the top (letters lean out); otherwise under the bottom (they lean in)
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

SPLITS = ("train", "valid", "test")
SPLIT_IDS = {"train": 0, "valid": 1, "test": 2}
FONT_SETS = ("train", "heldout")
FONT_SET_IDS = {"train": 0, "heldout": 1, "dir": 2}

DEFAULT_SIZES = {"train": 80_000, "valid": 2_000, "test": 2_000}
QUICK_SIZES = {"train": 2_000, "valid": 300, "test": 300}
COMPLETE_MARKER = ".complete"  # written last, with the settings, when every split is built
# Bump when a code change alters what a seed renders; sets made by another version are stale.
# What each version changed: CHANGELOG.md.
GENERATOR_VERSION = 9
# Where the command writes by default: the repository's data/ folder, which is where
# `ocr_lab.data.default_data_paths` looks, whatever the current directory is.
DATA_DIR = Path(__file__).resolve().parent.parent.parent / "data"
DEFAULT_OUT = {"train": DATA_DIR / "synth", "heldout": DATA_DIR / "synth_heldout"}
