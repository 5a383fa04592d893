"""The synthetic data generator: fonts, glyph coverage, determinism, atomic writes, the CLI."""
import hashlib
import io
import re
import string
import sys

import numpy as np
import pytest
from PIL import Image

from ocr_lab import synth
from ocr_lab.cli import main
from ocr_lab.data import MJDatasetSequence, clean_label, open_lmdb
from ocr_lab.labels import MAX_TEXT_LEN, TARGET_CHARACTERS, LabelConverter

TINY = {"train": 12, "valid": 4, "test": 4}


def read_records(path):
    env, n = open_lmdb(path)
    with env.begin() as txn:
        return [(txn.get(b"image-%09d" % i), txn.get(b"label-%09d" % i).decode()) for i in range(1, n + 1)]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("synth") / "set"
    written = synth.generate_dataset(out, TINY, seed=3, workers=1, progress=False)
    return out, written


# ----------------------------------------------------------------------------- fonts and lexicon

def test_heldout_fonts_are_never_training_fonts():
    train, heldout = synth.font_paths("train"), synth.font_paths("heldout")
    assert len(synth.font_families("train")) >= 10
    assert len(synth.font_families("heldout")) >= 3
    assert not set(train) & set(heldout)
    assert not set(synth.font_families("train")) & set(synth.font_families("heldout"))
    assert all(p.is_file() for p in train + heldout)
    with pytest.raises(ValueError, match="unknown font set"):
        synth.font_paths("test")


def test_no_heldout_font_file_hides_in_a_training_package():
    # The same file under another name (two packages shipping one font) would leak a held-out face.
    def digests(paths):
        return {hashlib.sha256(p.read_bytes()).hexdigest() for p in paths}

    assert not digests(synth.font_paths("train")) & digests(synth.font_paths("heldout"))


def test_font_packages_are_found_without_importing_them(monkeypatch):
    # rinoh-typeface-* packages import the rinohtype typesetter; the generator only needs their files.
    synth.font_families.cache_clear()
    monkeypatch.delitem(sys.modules, "rinoh", raising=False)
    assert any(p.suffix == ".otf" for p in synth.font_paths("train"))
    assert "rinoh" not in sys.modules


# Families whose figures are old-style (a 0 as short as an o): they draw letters only, see the next test.
OLD_STYLE_DIGITS = {"Intuitive", "Zilla Slab", "Vollkorn", "Playfair Display", "Cormorant Garamond",
                    "Caveat", "Indie Flower", "Shadows Into Light", "Pacifico", "Satisfy", "Yellowtail",
                    "Great Vibes"}


def test_every_listed_font_draws_the_whole_charset():
    needed = set(string.ascii_letters + string.digits)
    families = {**synth.font_families("train"), **synth.font_families("heldout")}
    for family, paths in families.items():
        expected = needed - set(string.digits) if family in OLD_STYLE_DIGITS else needed
        for path in paths:
            drawn = synth.font_charset(path) & needed
            assert drawn == expected, (path.name, "".join(sorted(expected ^ drawn)))


def test_old_style_digits_are_never_drawn_as_digits():
    # Intuitive's 0 is as short as its o: a crop labelled "0" in it would show an "o".
    intuitive = synth.font_families("train")["Intuitive"][0]
    assert not set(string.digits) & synth.font_charset(intuitive)
    assert not synth.font_covers(intuitive, "B52")
    assert synth.font_covers(intuitive, "Bus")


def test_variable_fonts_are_drawn_at_random_weights_and_widths():
    noto = next(p for p in synth.font_families("train")["Noto Sans"] if "Italic" not in p.name)
    plain = {**{k: 0.0 for k in synth.AUGMENT if k.endswith("_prob")},  # v6's curves, tails, neighbours off too
             "rotation": 0.0, "perspective": 0.0, "margin_x": (0.0, 0.0), "margin_y": (0.0, 0.0),
             "aspect": (1.0, 1.0), "font_size": (40, 40), "height": (32, 32)}
    widths = {synth.render_word("HANDGLOVES", noto, np.random.default_rng(i), params=plain).width for i in range(8)}
    assert max(widths) > 1.25 * min(widths)  # condensed and wide instances
    fixed = {**plain, "variable_weight": (400, 400), "variable_width": (100, 100)}
    assert len({synth.render_word("HANDGLOVES", noto, np.random.default_rng(i), params=fixed).width
                for i in range(4)}) == 1


def test_lexicon_is_a_real_english_word_list():
    words = synth.lexicon()
    assert len(words) > 50_000
    assert {"house", "street", "open", "coffee"} <= set(words)
    assert all(w.isascii() and w.isalpha() and w.islower() for w in words[:: len(words) // 500])


def test_sampled_texts_mix_cases_and_digits_and_stay_short():
    texts = [synth.sample_text(np.random.default_rng([0, i])) for i in range(600)]
    assert any(t.islower() for t in texts) and any(t.isupper() for t in texts)
    assert any(t[0].isupper() and t[1:].islower() for t in texts if len(t) > 1)
    assert sum(any(c.isdigit() for c in t) for t in texts) > 60
    assert max(len(t) for t in texts) <= 16
    # v7 draws some punctuation the label drops; the rest of every label is in the charset,
    # and no text is punctuation alone (its label would be empty).
    labels = [clean_label(t, TARGET_CHARACTERS, MAX_TEXT_LEN, 49)[0] for t in texts]
    assert all(labels)
    with_punctuation = [t for t in texts if not t.isalnum()]
    assert 10 < len(with_punctuation) < 120
    assert set("".join(with_punctuation)) - set(string.ascii_letters + string.digits) <= set("/.-:$#%!?&',+ ")  # v8: "3rd Ave"


def test_symbol_texts_draw_separators_that_the_label_drops():
    """Dates, times and prices keep their separators in the image; the reader keeps only alphanumerics."""
    texts = [synth.sample_text(np.random.default_rng([2, i]), {"symbol_text_prob": 1.0}) for i in range(200)]
    assert sum(not t.isalnum() for t in texts) > 170  # a price without cents may come out plain: "$"-less "120"
    dates = [t for t in texts if re.fullmatch(r"\d\d([/.-])\d\d\1\d{2,4}", t)]
    assert len(dates) > 10
    assert clean_label("03/09/2009", TARGET_CHARACTERS, MAX_TEXT_LEN, 49) == ("03092009", None)
    assert all(clean_label(t, TARGET_CHARACTERS, MAX_TEXT_LEN, 49)[0] for t in texts)


def test_trailing_punctuation_when_asked_for():
    texts = [synth.sample_text(np.random.default_rng([1, i]), {"punct_prob": 1.0, "numeric_prob": 0.0,
                                                               "symbol_text_prob": 0.0, "ordinal_prob": 0.0})
             for i in range(50)]
    assert all(not t[-1].isalnum() or t.endswith("'s") for t in texts)


# ----------------------------------------------------------------------------- glyph coverage

@pytest.fixture(scope="module")
def font_without_e(tmp_path_factory):
    """DejaVu Sans with 'e', 'E' and '7' removed: what a font with missing glyphs looks like."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    source = next(p for p in synth.font_paths("train") if p.name == "DejaVuSans.ttf")
    keep = "".join(c for c in string.ascii_letters + string.digits if c not in "eE7")
    options = subset.Options()
    font = TTFont(str(source))
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=keep)
    subsetter.subset(font)
    folder = tmp_path_factory.mktemp("fonts")
    font.save(str(folder / "NoE.ttf"))
    return folder / "NoE.ttf"


def test_font_charset_sees_missing_glyphs(font_without_e):
    drawn = synth.font_charset(font_without_e)
    assert "a" in drawn and "Z" in drawn and "0" in drawn
    assert not {"e", "E", "7"} & drawn
    assert not synth.font_covers(font_without_e, "Tree")
    assert synth.font_covers(font_without_e, "Tall")


def test_render_word_refuses_to_draw_tofu(font_without_e):
    with pytest.raises(ValueError, match="cannot draw"):
        synth.render_word("seven", font_without_e, np.random.default_rng(0))
    img = synth.render_word("SALT", font_without_e, np.random.default_rng(0))
    assert img.mode == "RGB" and img.height in (31, 32) and img.width > img.height


def test_generator_never_labels_a_glyph_the_font_lacks(font_without_e):
    """With only a font that lacks 'e', 'E' and '7', every sample avoids them rather than drawing tofu."""
    labels = [synth.make_sample(0, "train", i, fonts=font_without_e.parent)[1] for i in range(150)]
    assert all(labels)
    assert not any(set(label) & set("eE7") for label in labels)


OFF = {k: 0.0 for k in synth.AUGMENT if k.endswith("_prob")}


def test_sign_neighbours_are_single_words_centred_over_the_word():
    """v7: with `neighbour_word_prob` 1, the lines above and below are one centred word each."""
    path = next(p for p in synth.font_paths("train") if p.name == "DejaVuSans.ttf")
    font = synth.load_font(str(path), 30)
    word = synth.text_layers("GRANDEST" * 2, font, 0, 0.0, False, pad=15)  # wider than any neighbour word
    params = {**synth.AUGMENT, "neighbour_word_prob": 1.0, "neighbour_gap": (0.3, 0.3)}
    for seed in range(5):
        masks, (top, bottom) = synth.effects.add_neighbours(word, font, path, np.random.default_rng(seed),
                                                     params, 0, 15)
        assert masks.shape[0] > word.shape[0] and masks.shape[1] == word.shape[1]
        outside = np.r_[0:top, bottom : masks.shape[0]]
        cols = np.flatnonzero(masks[outside, :, 0].any(axis=0))
        assert len(cols) and abs((cols[0] + cols[-1]) / 2 - masks.shape[1] / 2) < 3  # centred
        assert cols[0] > 20  # narrower than the word: blank at both ends, not running text


def test_shear_slants_a_vertical_stroke():
    """v7's italic shear: a vertical bar leans by `shear` x its height; without shear it stays upright."""
    bar = np.zeros((100, 60, 2), np.uint8)
    bar[10:90, 28:32] = 255
    straight = {**synth.AUGMENT, **OFF, "rotation": 0.0, "perspective": 0.0}
    slanted = {**straight, "shear_prob": 1.0, "shear": (0.5, 0.5)}
    def ink_columns(params):
        out = synth.effects.warp(bar, np.random.default_rng(0), params, text_height=80)[..., 0] > 128
        cols = np.flatnonzero(out.any(axis=0))
        return cols[-1] - cols[0] + 1
    assert ink_columns(straight) <= 5
    assert 40 - 5 <= ink_columns(slanted) <= 40 + 5  # 0.5 x 80 px of bar


def test_ordinals_are_english_and_only_drawn_when_asked_for():
    """v8: "1st", "2nd", "3rd", "11th", "21st Ave"; the space between the words is not in the label."""
    texts = [synth.sample_text(np.random.default_rng([4, i]), {"ordinal_prob": 1.0}) for i in range(300)]
    for text in texts:
        match = synth.ORDINAL.match(text)
        assert match, text
        number = int(text[: match.start(1)])
        expected = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
        assert match.group(1).lower() == expected, text
    assert any(" " in t for t in texts) and any(t.isupper() for t in texts)
    assert clean_label("3rd Ave", TARGET_CHARACTERS, MAX_TEXT_LEN, 49) == ("3RDAVE", None)
    # Off, the stream of draws is the one before v8 (the scenes of ocr_lab.scenes rely on it).
    off = {"ordinal_prob": 0.0}
    same = [synth.sample_text(np.random.default_rng([5, i]), off) for i in range(50)]
    rngs = [np.random.default_rng([5, i]) for i in range(50)]
    assert same == [synth.sample_text(r, {"ordinal_prob": 0.0}) for r in rngs]
    assert not any(synth.ORDINAL.match(t) for t in same)


def test_a_space_needs_no_glyph():
    path = next(p for p in synth.font_paths("train") if p.name == "DejaVuSans.ttf")
    assert " " not in synth.font_charset(path) and synth.font_covers(path, "3rd Ave")


def test_raised_suffix_is_smaller_and_sits_at_the_top_of_the_digits():
    """v8: the "rd" of "3rd" drawn at SUPERSCRIPT_SCALE, its top level with the digit's, its foot above the baseline."""
    path = next(p for p in synth.font_paths("train") if p.name == "DejaVuSans.ttf")
    font = synth.load_font(str(path), 40)
    digit_cols = int(np.ceil(font.getlength("3")))
    def ink(mask):  # (top row, bottom row) of the digit's columns and of the suffix's
        mask = mask[..., 0] > 128
        cols = np.flatnonzero(mask.any(axis=0))
        start = cols[0]
        def rows(part):
            r = np.flatnonzero(part.any(axis=1))
            return r[0], r[-1]
        return rows(mask[:, start : start + digit_cols - 2]), rows(mask[:, start + digit_cols + 1 :])
    (d_top, d_bottom), (s_top, s_bottom) = ink(synth.text_layers("3rd", font, 0, 0.0, False, pad=10, raised=(1, 3)))
    assert abs(s_top - d_top) <= 2
    assert s_bottom < d_bottom - 0.3 * (d_bottom - d_top)  # the suffix stands well above the baseline
    (d_top, d_bottom), (_, inline_bottom) = ink(synth.text_layers("3rd", font, 0, 0.0, False, pad=10))
    assert abs(inline_bottom - d_bottom) <= 2  # not raised: on the baseline, as before v8
    # Spaced-out letters and a raised suffix together: every piece still lands inside the canvas.
    spaced = synth.text_layers("21st Ave", font, 0, 8.0, False, pad=10, raised=(2, 4))
    assert spaced[:10].max() == 0 and spaced[-10:].max() == 0 and spaced[:, -10:].max() == 0


@pytest.mark.parametrize("over_the_top", [True, False])
def test_circle_bends_a_line_into_an_arc_and_turns_its_ends(over_the_top):
    """v8: a straight bar becomes an arc whose middle is highest (over the top) or lowest (under the
    bottom), and a short upright stroke at the end of the line leans with the circle."""
    h, w = 40, 400
    line = np.zeros((h, w, 2), np.uint8)
    line[18:22, :] = 255  # the middle row: a baseline
    line[5:35, w - 8 : w - 4, 1] = 255  # an upright stroke at the right end, in the second layer
    params = {**synth.AUGMENT, "circle_span": (120.0, 120.0), "circle_over_prob": float(over_the_top)}
    out = synth.effects.circle(line, np.random.default_rng(0), params)
    base = out[..., 0] > 128
    cols = np.flatnonzero(base.any(axis=0))
    def mid_row(c):
        return np.flatnonzero(base[:, c]).mean()
    middle, ends = mid_row((cols[0] + cols[-1]) // 2), (mid_row(cols[2]) + mid_row(cols[-3])) / 2
    assert (middle < ends - 20) if over_the_top else (middle > ends + 20)
    # The arc keeps the line's length: 120 degrees of a circle whose middle row is 400 px long.
    assert 0.8 * 400 * np.sin(np.pi / 3) / (np.pi / 3) < cols[-1] - cols[0] < 1.1 * 400
    stroke = np.argwhere(out[..., 1] > 128)
    (r0, c0), (r1, c1) = stroke[stroke[:, 0].argmin()], stroke[stroke[:, 0].argmax()]
    assert abs(c1 - c0) > 10  # no longer upright: turned by the circle (60 degrees at this end)


def test_an_extruded_shadow_is_swept_without_gaps_and_a_drop_shadow_is_a_copy():
    """v9: an extruded shadow fills every column between the letter and its offset copy (the solid side
    of 3D lettering); a drop shadow is the silhouette moved, with the gap left empty."""
    silhouette = np.zeros((60, 60), np.uint8)
    silhouette[20:30, 20:24] = 255  # a short vertical stroke, 4 px wide
    params = {**synth.AUGMENT, "shadow_offset": (0.2, 0.2), "shadow_blur": (0.0, 0.0)}  # 8 px at size 40
    swept = synth.effects.shadow(silhouette, np.random.default_rng(0), {**params, "extrude_prob": 1.0}, size=40)
    dropped = synth.effects.shadow(silhouette, np.random.default_rng(0), {**params, "extrude_prob": 0.0}, size=40)
    for shadow in (swept, dropped):
        assert np.flatnonzero(shadow.any(axis=1)).max() == 29 + 8  # light from above: the shadow falls 8 px down
    right = swept[:, 24:].any()  # the shadow went right of the stroke (columns 20-23) or left
    assert np.array_equal(np.flatnonzero(swept.any(axis=0)), np.arange(20, 32) if right else np.arange(12, 24))
    assert swept[20:30, 20:24].all() and np.flatnonzero(swept.any(axis=1)).tolist() == list(range(20, 38))
    assert np.count_nonzero(dropped) == np.count_nonzero(silhouette)  # a copy: no sweep between


@pytest.mark.parametrize("carved", [True, False])
def test_relief_letters_have_no_ink_only_a_lit_and_a_shaded_edge(carved):
    """v9: a letter in relief leaves the surface's colour inside it and beside it; its edges towards
    the light and away from it are lighter and darker than the surface, the other way round when
    it is carved (the cut's upper wall is in shade), whose floor is a little darker."""
    surface = np.full((32, 64, 3), 128.0, np.float32)
    letters = np.zeros((32, 64), np.float32)
    letters[8:24, 16:48] = 1.0  # a block: its top edge faces the light
    params = {**synth.AUGMENT, "relief_depth": (0.1, 0.1), "relief_strength": (0.6, 0.6), "relief_fill": (0.2, 0.2),
              "relief_light": 0.0, "relief_carved_prob": float(carved)}  # 3 px deep, light from straight above
    out = synth.effects.relief(surface.copy(), letters, np.random.default_rng(0), params)
    top_edge, below_bottom, beside = out[8, 32, 0], out[24, 32, 0], out[16, 4, 0]
    assert beside == 128.0  # the surface away from the letters is untouched
    if carved:
        assert top_edge < 100 and below_bottom > 150  # the cut's upper wall is in shade, its lower wall lit
        assert 90 < out[16, 32, 0] < 120  # the floor a little darker, never ink
    else:
        assert top_edge > 150 and below_bottom < 100
        assert out[16, 32, 0] == 128.0  # the raised face has the surface's colour


def test_a_relief_word_is_drawn_by_its_edges():
    font = synth.font_paths("train")[0]
    plain = {**OFF, "relief_prob": 1.0, "image_blend": (0.0, 0.0), "plain_background_prob": 1.0}
    img = np.asarray(synth.render_word("HOTEL", font, np.random.default_rng(2), params=plain), dtype=float)
    assert img.std() > 8  # the edges draw the word


def test_script_fonts_are_in_the_training_set_and_draw_letters():
    families = synth.font_families("train")
    for family in ("Pacifico", "Lobster", "Dancing Script", "Great Vibes"):
        path = families[family][0]
        assert synth.font_covers(path, "Virgin Davidson")
        img = synth.render_word("Virgin", path, np.random.default_rng(0))
        assert img.height in (31, 32) and img.width > img.height
    assert not set(families) & set(synth.font_families("heldout"))


def test_ghost_and_occluder_change_the_crop_as_described():
    image = np.full((32, 100, 3), 255, np.float32)
    image[8:24, 20:80] = 0
    rng = np.random.default_rng(0)
    pole = synth.effects.camera(image, rng, {**synth.AUGMENT, **OFF, "occluder_prob": 1.0})
    changed = np.flatnonzero((pole != image).any(axis=(0, 2)))
    assert 1 <= len(changed) <= 7 and np.ptp(changed) == len(changed) - 1  # one thin band, full height
    assert (pole[:, changed] == pole[0, changed[0]]).all()
    ghost = synth.effects.camera(image, rng, {**synth.AUGMENT, **OFF, "ghost_prob": 1.0})
    greys = ghost[:, 50, 0]
    assert ((greys > 40) & (greys < 215)).sum() >= 2  # a fainter copy beside the dark word
    assert greys.min() < 0.7 * 255 and greys.max() > 100


def test_render_word_draws_ink():
    """A rendered word has visible text: the crop is not a flat patch of background."""
    font = synth.font_paths("train")[0]
    plain = {**{k: 0.0 for k in synth.AUGMENT if k.endswith("_prob")}, "image_blend": (0.0, 0.0)}
    img = np.asarray(synth.render_word("Hello", font, np.random.default_rng(1), params=plain), dtype=float)
    assert img.std() > 20


# ----------------------------------------------------------------------------- data sets

def test_a_set_made_by_another_generator_or_recipe_is_stale(built, tmp_path):
    import json
    import shutil

    out, _ = built
    assert synth.is_current(out)
    copy = tmp_path / "copy"
    shutil.copytree(out, copy)
    marker = copy / synth.COMPLETE_MARKER
    settings = json.loads(marker.read_text())
    marker.write_text(json.dumps({**settings, "params": {**settings["params"], "min_contrast": 1}}))
    assert not synth.is_current(copy)
    marker.write_text(json.dumps({**settings, "generator_version": synth.GENERATOR_VERSION - 1}))
    assert not synth.is_current(copy)
    marker.unlink()
    assert not synth.is_current(copy)


def test_generated_set_has_the_clovaai_layout(built):
    out, written = built
    assert written == TINY
    assert (out / synth.COMPLETE_MARKER).is_file()
    for split, n in TINY.items():
        records = read_records(out / split)
        assert len(records) == n
        for imgbuf, label in records:
            img = Image.open(io.BytesIO(imgbuf))
            assert img.format == "JPEG"
            assert img.height in (31, 32) and img.width >= 8
            assert label


def test_labels_keep_their_case_and_mjdatasetsequence_reads_them(built):
    out, _ = built
    labels = [label for _, label in read_records(out / "train")]
    assert any(c.islower() for label in labels for c in label)
    seq = MJDatasetSequence(out / "train", LabelConverter(), batch_size=4)
    inputs, outputs = seq[0]
    assert inputs["input_image"].shape == (4, 100, 32, 3)
    assert inputs["label_length"].min() >= 1
    decoded = LabelConverter().decode(inputs["label"][0][: inputs["label_length"][0]])
    cleaned = "".join(c for c in labels[seq.index_list[0] - 1].upper() if c.isalnum() and c.isascii())
    assert decoded == cleaned


def test_same_seed_same_records_whatever_the_worker_count(built, tmp_path):
    out, _ = built
    sizes = {"train": 10, "valid": 0, "test": 0}
    synth.generate_dataset(tmp_path / "two", sizes, seed=3, workers=2, progress=False)
    assert read_records(tmp_path / "two" / "train") == read_records(out / "train")[:10]
    assert not (tmp_path / "two" / "valid").exists()


def test_another_seed_gives_other_records(built, tmp_path):
    out, _ = built
    synth.generate_dataset(tmp_path / "other", {"train": 5, "valid": 0, "test": 0}, seed=4, workers=1,
                           progress=False)
    assert read_records(tmp_path / "other" / "train") != read_records(out / "train")[:5]
    assert synth.make_sample(3, "train", 7) == synth.make_sample(3, "train", 7)


def test_splits_and_font_sets_are_different_streams():
    assert synth.make_sample(0, "train", 0) != synth.make_sample(0, "test", 0)
    assert synth.make_sample(0, "test", 0, "train") != synth.make_sample(0, "test", 0, "heldout")


def test_an_interrupted_build_leaves_no_complete_looking_lmdb(tmp_path, monkeypatch):
    real = synth.make_sample

    def failing(seed, split, index, *args, **kwargs):
        if split == "valid" and index == 2:
            raise KeyboardInterrupt  # as if the user pressed Ctrl-C half-way
        return real(seed, split, index, *args, **kwargs)

    monkeypatch.setattr(synth.dataset, "make_sample", failing)
    out = tmp_path / "set"
    with pytest.raises(KeyboardInterrupt):
        synth.generate_dataset(out, {"train": 3, "valid": 5, "test": 3}, workers=1, progress=False)
    assert not (out / "valid").exists() and not (out / "test").exists()
    assert not (out / synth.COMPLETE_MARKER).exists()
    # Nothing else in the folder is an LMDB with a num-samples key (no leftover temp folder).
    leftovers = [p for p in out.iterdir() if p.name != "train"]
    assert leftovers == []
    assert len(read_records(out / "train")) == 3  # the finished split is whole


def test_existing_set_is_kept_without_force(built):
    out, _ = built
    before = read_records(out / "test")
    with pytest.raises(FileExistsError, match="--force"):
        synth.generate_dataset(out, TINY, seed=9, workers=1, progress=False)
    assert read_records(out / "test") == before


def test_force_rebuilds(tmp_path):
    out = tmp_path / "set"
    sizes = {"train": 0, "valid": 0, "test": 3}
    synth.generate_dataset(out, sizes, seed=1, workers=1, progress=False)
    first = read_records(out / "test")
    synth.generate_dataset(out, {"test": 4}, seed=2, workers=1, progress=False, force=True)
    second = read_records(out / "test")
    assert len(second) == 4 and second[:3] != first


# ----------------------------------------------------------------------------- the command line

def run_cli(capsys, *argv):
    code = main(["synth", *argv])
    return code, capsys.readouterr()


def test_cli_rejects_a_negative_size_before_any_work(tmp_path, capsys):
    code, captured = run_cli(capsys, "--out", str(tmp_path / "s"), "--train", "-5")
    assert code == 2
    assert "--train must be a whole number >= 0" in captured.err
    assert not (tmp_path / "s").exists()


def test_cli_rejects_an_unknown_fonts_folder(tmp_path, capsys):
    code, captured = run_cli(capsys, "--out", str(tmp_path / "s"), "--fonts", str(tmp_path / "nope"))
    assert code == 2
    assert "no fonts folder" in captured.err
    assert not (tmp_path / "s").exists()


def test_cli_rejects_a_folder_without_fonts(tmp_path, capsys):
    (tmp_path / "empty").mkdir()
    code, captured = run_cli(capsys, "--out", str(tmp_path / "s"), "--fonts", str(tmp_path / "empty"))
    assert code == 2 and "has no .ttf/.otf font" in captured.err


def test_cli_rejects_zero_workers_and_empty_sets(tmp_path, capsys):
    code, captured = run_cli(capsys, "--out", str(tmp_path / "s"), "--quick", "--workers", "0")
    assert code == 2 and "workers must be at least 1" in captured.err
    code, captured = run_cli(capsys, "--out", str(tmp_path / "s"), "--train", "0", "--valid", "0", "--test", "0")
    assert code == 2 and "nothing to build" in captured.err
    assert not (tmp_path / "s").exists()


def test_cli_keeps_an_existing_set_without_force(built, capsys):
    out, _ = built
    code, captured = run_cli(capsys, "--out", str(out), "--quick", "--workers", "1")
    assert code == 2
    assert "already exist" in captured.err and "--force" in captured.err


def test_cli_heldout_fonts_build_only_a_test_split(tmp_path, capsys):
    code, captured = run_cli(capsys, "--out", str(tmp_path / "h"), "--fonts", "heldout", "--test", "6",
                             "--workers", "1")
    assert code == 0, captured.err
    assert len(read_records(tmp_path / "h" / "test")) == 6
    assert not (tmp_path / "h" / "train").exists()
    assert '"heldout"' in (tmp_path / "h" / synth.COMPLETE_MARKER).read_text()


def test_a_killed_build_leaves_no_complete_looking_lmdb_and_is_cleaned_up(tmp_path):
    """SIGKILL half-way (no Python clean-up runs): only a hidden temp folder without num-samples is left."""
    import signal
    import subprocess
    import sys
    import time

    out = tmp_path / "set"
    code = (f"from ocr_lab.synth import generate_dataset; "
            f"generate_dataset({str(out)!r}, {{'train': 100000, 'valid': 0, 'test': 0}}, workers=1, progress=False)")
    proc = subprocess.Popen([sys.executable, "-c", code])
    try:
        deadline = time.time() + 120
        while time.time() < deadline and not any(out.glob(".train.partial-*/data.mdb")):
            time.sleep(0.2)
        time.sleep(1.0)
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    partial = list(out.glob(".train.partial-*"))
    assert partial, "the build never started"
    assert not (out / "train").exists() and not (out / synth.COMPLETE_MARKER).exists()
    with pytest.raises(ValueError, match="num-samples"):
        open_lmdb(partial[0])
    synth.generate_dataset(out, {"train": 3, "valid": 0, "test": 0}, workers=1, progress=False)
    assert sorted(p.name for p in out.iterdir()) == [synth.COMPLETE_MARKER, "train"]
