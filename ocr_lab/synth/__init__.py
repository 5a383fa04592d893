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

The package follows those sections, one module each, in the order they depend on each other:

    recipe    every strength (`AUGMENT`), the splits, sizes and `GENERATOR_VERSION`
    fonts     the families, the held-out ones, what each font really draws
    text      `sample_text`: words, numbers, codes, dates, ordinals
    textures  photo and procedural backgrounds
    effects   the layers and what is done to them (warp, curve, circle, neighbours, camera, ...)
    render    `render_word`: `RENDER_STEPS`, the effects in order, on one crop
    dataset   `make_sample`, `generate_dataset` and the `synth` command

Every strength lives in `AUGMENT`, so the recipe can be tuned in one place. Each sample
is drawn from its own random generator, seeded by (seed, font set, split, index), so a
data set is the same whatever the number of worker processes.

Some fonts are held out (`font_paths("heldout")`): the training set never uses them,
and `--fonts heldout` renders a test set with only them, to measure how a model trained
here does on fonts it has never seen.
"""
from __future__ import annotations

from ocr_lab.synth import dataset, effects, fonts, recipe, render, text, textures  # noqa: F401
from ocr_lab.synth.dataset import (add_cli, check_sizes, encode_jpeg, generate_dataset, is_current,  # noqa: F401
                                   make_sample, run)
from ocr_lab.synth.effects import text_layers  # noqa: F401
from ocr_lab.synth.fonts import (FONT_FAMILIES, font_charset, font_covers, font_families, font_paths,  # noqa: F401
                                 fonts_in_dir, load_font)
from ocr_lab.synth.recipe import (AUGMENT, COMPLETE_MARKER, DATA_DIR, DEFAULT_OUT, DEFAULT_SIZES,  # noqa: F401
                                  FONT_SET_IDS, FONT_SETS, GENERATOR_VERSION, QUICK_SIZES, SPLIT_IDS, SPLITS)
from ocr_lab.synth.render import RENDER_STEPS, render_word  # noqa: F401
from ocr_lab.synth.text import ORDINAL, ORDINAL_WORDS, lexicon, sample_text  # noqa: F401
from ocr_lab.synth.textures import photo_bank, texture_bank  # noqa: F401
