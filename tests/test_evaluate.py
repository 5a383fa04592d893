"""Evaluate: the report's numbers on hand-made predictions, an LMDB and a labels.tsv folder
giving the same scores, clear errors on bad data, the worst-errors grid, the evaluate verb."""
from collections import Counter

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
import tf_keras as keras  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from ocr_lab.cli import main  # noqa: E402
from ocr_lab.evaluate import evaluate, load_eval_data, show_worst  # noqa: E402
from ocr_lab.labels import IMG_SIZE, TARGET_CHARACTERS, TIME_STEPS  # noqa: E402
from ocr_lab.model import build_crnn_model  # noqa: E402
from ocr_lab.checkpoint import load_recognizer, save_recognizer  # noqa: E402

from conftest import render_word, to_bytes, write_clovaai_lmdb  # noqa: E402

WORDS = ["CAT", "Apple", "zebra", "MOON", "2024", "Quiz"]
LABELS = [w.upper() for w in WORDS]
# What a scripted recognizer reads for each label: three right, three wrong.
READS = {"CAT": "CAT", "APPLE": "APPLX", "ZEBRA": "Z", "MOON": "MOOM", "2024": "2024", "QUIZ": "QUIZ"}


class ScriptedRecognizer:
    """Stands in for a Recognizer: reads each known crop as `answers[label]`, anything else as ''.

    Crops are recognised by their pixels, so it reads a crop right only if the data
    loader produced exactly the pixels it was scripted with.
    """

    def __init__(self, data, answers, characters=TARGET_CHARACTERS):
        self.characters, self.img_size = characters, IMG_SIZE
        ev = load_eval_data(data, characters, IMG_SIZE)
        self.answers = {img.tobytes(): answers[label] for img, label in zip(ev.images, ev.labels)}

    def predict(self, images, batch_size=256):
        """One-hot softmax spelling each answer, a blank after every character."""
        y = np.zeros([len(images), TIME_STEPS, len(self.characters) + 1], np.float32)
        y[:, :, 0] = 1
        for row, img in zip(y, images):
            for step, ch in enumerate(self.answers.get(np.asarray(img, np.uint8).tobytes(), "")):
                row[2 * step, 0], row[2 * step, self.characters.index(ch) + 1] = 0, 1
        return y


def write_folder(path, items, extra_lines=()):
    """A folder of crops with labels.tsv (file<TAB>text); `items` are (file name, bytes, label)."""
    path.mkdir(parents=True)
    for name, data, _ in items:
        (path / name).write_bytes(data)
    lines = [f"{name}\t{label}" for name, _, label in items] + list(extra_lines)
    (path / "labels.tsv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def crops(tmp_path_factory):
    """The same PNG crops twice: as an LMDB and as a labels.tsv folder. Returns (lmdb, folder)."""
    root = tmp_path_factory.mktemp("crops")
    items = [(f"crop_{i}.png", to_bytes(render_word(w)), w) for i, w in enumerate(WORDS)]
    lmdb_path = write_clovaai_lmdb(root / "lmdb", [(data, label) for _, data, label in items])
    return lmdb_path, write_folder(root / "folder", items)


@pytest.fixture(scope="module")
def report(crops):
    return evaluate(ScriptedRecognizer(crops[0], READS), crops[0])


@pytest.fixture(scope="module")
def checkpoint(tmp_path_factory):
    keras.utils.set_random_seed(0)
    _, model_pred = build_crnn_model(config="small")
    return save_recognizer(model_pred, tmp_path_factory.mktemp("ckpt") / "crnn.h5", config="small")


# ----------------------------------------------------------------------------- the report

def test_report_on_hand_made_predictions(report):
    assert report.data.labels == LABELS
    assert report.predictions == [READS[label] for label in LABELS]
    assert report.count == 6
    assert report.word_accuracy == pytest.approx(3 / 6)
    assert report.cer == pytest.approx((0 + 1 + 4 + 1 + 0 + 0) / (3 + 5 + 5 + 4 + 4 + 4))
    assert report.by_length == {3: (1.0, 1), 4: (pytest.approx(2 / 3), 3), 5: (0.0, 2)}
    assert sorted(report.confusions) == [(("", "<length>"), 1), (("E", "X"), 1), (("N", "M"), 1)]
    assert report.skipped == {}
    assert report.crops_per_second > 0


def test_worst_is_ordered_by_relative_edit_distance(report):
    # ZEBRA -> Z: 4/5, MOON -> MOOM: 1/4, APPLE -> APPLX: 1/5; right readings are never listed.
    assert report.worst() == [2, 3, 1]
    assert report.worst(2) == [2, 3]


def test_table_mentions_accuracy_and_cer(report):
    table = report.table()
    assert "word accuracy       0.5000" in table
    assert "character err. rate 0.2400" in table
    assert "crops scored        6" in table
    assert "E->X:1" in table and "N->M:1" in table
    assert "throughput" in table and "crops/s" in table


def test_show_worst_draws_the_errors(report):
    fig = show_worst(report, n=16, cols=2)
    try:
        assert isinstance(fig, Figure)
        assert len(fig.axes) == 4  # 3 errors in rows of 2
        titles = [ax.get_title() for ax in fig.axes if ax.images]
        assert titles == ["ZEBRA -> Z", "MOON -> MOOM", "APPLE -> APPLX"]
        shown = fig.axes[0].images[0].get_array()
        assert shown.shape == (32, 100, 3)  # height first, as a picture is shown
    finally:
        plt.close(fig)


def test_show_worst_without_errors(crops):
    perfect = evaluate(ScriptedRecognizer(crops[0], {label: label for label in LABELS}), crops[0])
    assert perfect.word_accuracy == 1.0 and perfect.cer == 0.0 and perfect.worst() == []
    fig = show_worst(perfect)
    try:
        assert not [ax for ax in fig.axes if ax.images]
    finally:
        plt.close(fig)


def test_limit(crops):
    for data in crops:
        assert evaluate(ScriptedRecognizer(crops[0], READS), data, limit=2).data.labels == LABELS[:2]


# ----------------------------------------------------------------------------- a folder with labels.tsv

def test_a_labels_tsv_folder_scores_like_the_lmdb_of_the_same_crops(crops, checkpoint):
    lmdb_path, folder = crops
    scripted = ScriptedRecognizer(lmdb_path, READS)  # scripted with the LMDB's pixels
    from_folder = evaluate(scripted, folder)
    assert from_folder.predictions == [READS[label] for label in LABELS]
    assert from_folder.word_accuracy == pytest.approx(0.5)
    assert from_folder.data.names == [f"crop_{i}.png" for i in range(len(WORDS))]

    recognizer = load_recognizer(checkpoint)
    a, b = evaluate(recognizer, lmdb_path), evaluate(recognizer, folder)
    np.testing.assert_array_equal(a.data.images, b.data.images)
    assert a.data.labels == b.data.labels == LABELS
    assert a.predictions == b.predictions
    assert (a.word_accuracy, a.cer) == (b.word_accuracy, b.cer)


def test_a_labels_tsv_folder_skips_and_counts_what_it_cannot_score(tmp_path, crops):
    items = [(f"crop_{i}.png", to_bytes(render_word(w)), w) for i, w in enumerate(WORDS)]
    folder = write_folder(tmp_path / "folder", items, ["gone.png\tGONE", "crop_0.png\t!!!", "labels.tsv\tTEXT"])
    report = evaluate(ScriptedRecognizer(crops[0], READS), folder)
    assert report.data.labels == LABELS
    assert report.skipped == {"unreadable image": 2, "empty after filtering": 1}
    assert report.word_accuracy == pytest.approx(0.5)


# ----------------------------------------------------------------------------- bad data

def test_an_lmdb_with_unusable_records_is_scored_on_the_rest(tiny_lmdb):
    ev = load_eval_data(tiny_lmdb.path, TARGET_CHARACTERS, IMG_SIZE)
    assert ev.labels == [r.label for r in tiny_lmdb.usable]
    assert ev.names == [f"record {r.index}" for r in tiny_lmdb.usable]
    expected = Counter(tiny_lmdb.scan_skipped)
    expected["unreadable image"] += len(tiny_lmdb.corrupt)  # found when read, each counted once
    assert ev.skipped == dict(expected)


def test_an_lmdb_whose_labels_are_all_outside_the_charset(tmp_path):
    path = write_clovaai_lmdb(tmp_path / "symbols", [(to_bytes(render_word(t)), t) for t in ("!!!", "#?", "...")])
    with pytest.raises(ValueError, match=r"symbols.*(charset|empty after filtering)"):
        load_eval_data(path, TARGET_CHARACTERS, IMG_SIZE)


def test_words_for_a_digits_only_recognizer(tmp_path):
    path = write_clovaai_lmdb(tmp_path / "words_only", [(to_bytes(render_word(w)), w) for w in ("CAT", "DOG")])
    with pytest.raises(ValueError, match=r"words_only.*(charset|empty after filtering)"):
        load_eval_data(path, "0123456789", IMG_SIZE)


def test_a_folder_whose_labels_are_all_outside_the_charset(tmp_path):
    items = [(f"{i}.png", to_bytes(render_word(t)), t) for i, t in enumerate(("!!!", "#?"))]
    folder = write_folder(tmp_path / "symbols", items)
    with pytest.raises(ValueError, match=r"nothing to evaluate in .*symbols.*charset"):
        load_eval_data(folder, TARGET_CHARACTERS, IMG_SIZE)


def test_an_empty_folder(tmp_path):
    with pytest.raises(FileNotFoundError, match="labels.tsv"):
        load_eval_data(tmp_path, TARGET_CHARACTERS, IMG_SIZE)


def test_an_empty_labels_tsv(tmp_path):
    (tmp_path / "labels.tsv").write_text("")
    with pytest.raises(ValueError, match="nothing to evaluate"):
        load_eval_data(tmp_path, TARGET_CHARACTERS, IMG_SIZE)


def test_a_missing_path(tmp_path):
    with pytest.raises(FileNotFoundError, match="not_there"):
        load_eval_data(tmp_path / "not_there", TARGET_CHARACTERS, IMG_SIZE)


# ----------------------------------------------------------------------------- the evaluate verb

def one_line_error(capsys, *fragments):
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1, err
    assert err.startswith("error: ")
    for fragment in fragments:
        assert fragment in err
    return err


def test_evaluate_verb_with_a_missing_checkpoint(tmp_path, capsys, crops):
    missing = tmp_path / "missing.h5"
    assert main(["evaluate", "--checkpoint", str(missing), "--data", str(crops[0])]) == 2
    one_line_error(capsys, "missing.h5")


def test_evaluate_verb_with_a_corrupt_checkpoint(tmp_path, capsys, crops):
    corrupt = tmp_path / "corrupt.h5"
    corrupt.write_bytes(np.random.default_rng(0).bytes(2048))
    assert main(["evaluate", "--checkpoint", str(corrupt), "--data", str(crops[0])]) == 2
    one_line_error(capsys, "corrupt.h5", "not a readable checkpoint")


def test_evaluate_verb_with_an_empty_folder(tmp_path, capsys, checkpoint):
    assert main(["evaluate", "--checkpoint", str(checkpoint), "--data", str(tmp_path)]) == 2
    one_line_error(capsys, "labels.tsv")


def test_evaluate_verb_prints_the_report_and_draws_the_worst(tmp_path, capsys, crops, checkpoint):
    png = tmp_path / "out" / "worst.png"
    assert main(["evaluate", "--checkpoint", str(checkpoint), "--data", str(crops[1]), "--worst", str(png)]) == 0
    out = capsys.readouterr().out
    assert "crops scored        6" in out and "word accuracy" in out and "character err. rate" in out
    assert png.read_bytes().startswith(b"\x89PNG")


# ----------------------------------------------------------------------------- labels.tsv as people write it

def test_a_labels_tsv_with_extra_columns_is_refused_with_its_line(tmp_path):
    items = [(f"crop_{i}.png", to_bytes(render_word(w)), w) for i, w in enumerate(WORDS[:2])]
    folder = write_folder(tmp_path / "folder", items, ["crop_0.png\tCAT\tchecked by Ana"])
    with pytest.raises(ValueError, match=r"labels\.tsv:3: 3 tab-separated columns, expected 2"):
        load_eval_data(folder, TARGET_CHARACTERS, IMG_SIZE)


def test_a_labels_tsv_with_a_byte_order_mark_reads_its_first_crop(tmp_path, crops):
    items = [(f"crop_{i}.png", to_bytes(render_word(w)), w) for i, w in enumerate(WORDS)]
    folder = write_folder(tmp_path / "folder", items)
    tsv = folder / "labels.tsv"
    tsv.write_bytes(b"\xef\xbb\xbf" + tsv.read_bytes())  # what Notepad and Excel write as "UTF-8"
    ev = load_eval_data(folder, TARGET_CHARACTERS, IMG_SIZE)
    assert ev.names[0] == "crop_0.png" and ev.labels == LABELS and ev.skipped == {}


def test_a_latin1_labels_tsv_is_refused_with_its_name_and_line(tmp_path, capsys, checkpoint):
    folder = tmp_path / "folder"
    folder.mkdir()
    (folder / "a.png").write_bytes(to_bytes(render_word("CAFE")))
    (folder / "labels.tsv").write_bytes("a.png\tCAT\nb.png\tcafé\n".encode("latin-1"))
    with pytest.raises(ValueError, match=r"labels\.tsv:2: not UTF-8"):
        load_eval_data(folder, TARGET_CHARACTERS, IMG_SIZE)
    assert main(["evaluate", "--checkpoint", str(checkpoint), "--data", str(folder)]) == 2
    one_line_error(capsys, str(folder / "labels.tsv"), "UTF-8")


@pytest.mark.parametrize("limit", [0, -1])
def test_a_limit_below_one_is_refused_for_both_kinds_of_data(crops, limit):
    for data in crops:
        with pytest.raises(ValueError, match=f"limit must be a positive number of crops.*got {limit}"):
            load_eval_data(data, TARGET_CHARACTERS, IMG_SIZE, limit=limit)


@pytest.mark.parametrize("limit", ["0", "-1"])
def test_the_evaluate_verb_refuses_a_limit_below_one(crops, capsys, limit):
    with pytest.raises(SystemExit) as exit_:
        main(["evaluate", "--data", str(crops[0]), "--limit", limit])
    assert exit_.value.code == 2
    assert "--limit: must be at least 1" in capsys.readouterr().err


def test_a_limit_counts_scored_crops_in_an_lmdb_and_a_folder_alike(tmp_path):
    """The third record's image is corrupt: with --limit 3, both kinds of data score the same three crops."""
    items = [(f"crop_{i}.png", to_bytes(render_word(w)), w) for i, w in enumerate(WORDS)]
    items.insert(2, ("corrupt.png", b"these bytes are not an image", "LOST"))
    lmdb_path = write_clovaai_lmdb(tmp_path / "lmdb", [(data, label) for _, data, label in items])
    folder = write_folder(tmp_path / "folder", items)
    from_lmdb = load_eval_data(lmdb_path, TARGET_CHARACTERS, IMG_SIZE, limit=3)
    from_folder = load_eval_data(folder, TARGET_CHARACTERS, IMG_SIZE, limit=3)
    assert from_lmdb.labels == from_folder.labels == LABELS[:3]
    np.testing.assert_array_equal(from_lmdb.images, from_folder.images)


# ----------------------------------------------------------------------------- the evaluate verb's output and checkpoint

def test_evaluate_verb_refuses_a_bit_flipped_checkpoint(tmp_path, capsys, crops, checkpoint):
    import h5py

    damaged = tmp_path / "damaged.h5"
    damaged.write_bytes(checkpoint.read_bytes())
    with h5py.File(damaged, "r") as f:  # where one weight array's bytes sit in the file
        kernel = next(f[n] for n in _datasets(f) if n.endswith("kernel:0"))
        offset = kernel.id.get_offset()
    data = bytearray(damaged.read_bytes())
    data[offset + 1] ^= 0x40  # one bit, as a failing disk or a bad copy flips it
    damaged.write_bytes(bytes(data))
    assert main(["evaluate", "--checkpoint", str(damaged), "--data", str(crops[0])]) == 2
    one_line_error(capsys, "damaged.h5", "checksum")


def _datasets(h5file):
    import h5py

    names = []
    h5file.visititems(lambda name, obj: names.append(name) if isinstance(obj, h5py.Dataset) else None)
    return names


def test_evaluate_verb_will_not_write_worst_into_the_data(capsys, crops, checkpoint):
    lmdb_path, folder = crops
    for data in crops:
        assert main(["evaluate", "--checkpoint", str(checkpoint), "--data", str(data),
                     "--worst", str(data / "worst.png")]) == 2
        one_line_error(capsys, "--worst", "outside")
        assert not (data / "worst.png").exists()


def test_evaluate_verb_with_a_worst_path_it_may_not_write(tmp_path, capsys, monkeypatch, crops, checkpoint):
    def denied(self, fname, *args, **kwargs):  # what the OS says in a read-only folder (tests run as root here)
        raise PermissionError(13, "Permission denied", str(fname))

    monkeypatch.setattr(Figure, "savefig", denied)
    png = tmp_path / "readonly" / "worst.png"
    assert main(["evaluate", "--checkpoint", str(checkpoint), "--data", str(crops[0]), "--worst", str(png)]) == 2
    one_line_error(capsys, f"permission denied: '{png}'")  # the file asked for, not a temporary one


def reads_only(known):
    """An images -> softmax function sure of the (view, text) crops it knows (one-hot, as `pipeline._batch`
    pads them) and unsure of any other (a flat softmax): which views a reader looks at decides what it reads."""
    from ocr_lab.pipeline import _batch

    readable = {_batch([view], IMG_SIZE)[0].astype(np.uint8).tobytes(): text for view, text in known}

    def predict(images):
        y = np.full([len(images), TIME_STEPS, len(TARGET_CHARACTERS) + 1], 1 / (len(TARGET_CHARACTERS) + 1), np.float32)
        for row, img in zip(y, images):
            text = readable.get(np.asarray(img, np.uint8).tobytes())
            if text is not None:
                row[:] = 0
                row[:, 0] = 1
                for step, ch in enumerate(text):
                    row[2 * step, 0], row[2 * step, TARGET_CHARACTERS.index(ch) + 1] = 0, 1
        return y
    return predict


def test_a_sideways_crop_in_a_folder_is_also_read_turned_as_the_pipeline_reads_it(tmp_path):
    """A word on a pole (3rdAve in real_dev) is scored turned, as `pipeline.recognize` reads it."""
    from PIL import Image

    from ocr_lab.evaluate import read_eval_data
    from ocr_lab.images import quarter_turns

    sideways = render_word("SALMON").transpose(Image.Transpose.ROTATE_90)
    folder = write_folder(tmp_path / "crops", [("pole.png", to_bytes(sideways), "SALMON"),
                                               ("cat.png", to_bytes(render_word("CAT")), "CAT")])
    ev = load_eval_data(folder, TARGET_CHARACTERS, IMG_SIZE)
    assert list(ev.turned) == [0] and ev.turned[0].shape == (2, *IMG_SIZE, 3)
    predict = reads_only([(quarter_turns(sideways)[1], "SALMON"), (render_word("CAT"), "CAT")])

    assert read_eval_data(predict, ev, TARGET_CHARACTERS) == ["SALMON", "CAT"]
    lmdb = load_eval_data(write_clovaai_lmdb(tmp_path / "lmdb", [(to_bytes(sideways), "SALMON")]),
                          TARGET_CHARACTERS, IMG_SIZE)
    assert lmdb.turned == {}  # an LMDB's crops are upright at the model's height already


# ----------------------------------------------------------------------------- as printed and case-insensitive

CASED_WORDS = ["Chevron", "03/09/2009", "café", "HOTEL", "FOSTER'S"]
# What a scripted cased recognizer reads (keyed by the cleaned label: "café" is "caf" in the charset).
CASED_READS = {"Chevron": "Chevron", "03/09/2009": "03/09/2009", "caf": "caf", "HOTEL": "Hotel", "FOSTER'S": "FOSTERS"}


@pytest.fixture(scope="module")
def cased_folder(tmp_path_factory):
    items = [(f"crop_{i}.png", to_bytes(render_word(w)), w) for i, w in enumerate(CASED_WORDS)]
    return write_folder(tmp_path_factory.mktemp("cased") / "folder", items)


def test_labels_are_scored_as_printed_and_case_insensitively(cased_folder):
    from ocr_lab.labels import CASED_CHARACTERS

    ev = load_eval_data(cased_folder, CASED_CHARACTERS, IMG_SIZE)
    assert ev.raw_labels == CASED_WORDS  # as printed, for raw scoring
    assert ev.labels == ["Chevron", "03/09/2009", "caf", "HOTEL", "FOSTER'S"]  # in the charset, for training
    scripted = ScriptedRecognizer(cased_folder, CASED_READS, CASED_CHARACTERS)
    report = evaluate(scripted, cased_folder)
    assert report.predictions == ["Chevron", "03/09/2009", "caf", "Hotel", "FOSTERS"]
    # case-insensitive (upper case, letters and digits): all but "café", whose é the model cannot print
    assert report.word_accuracy == report.case_insensitive_accuracy == pytest.approx(4 / 5)
    # as printed: Chevron and the date only
    assert report.as_printed_accuracy == pytest.approx(2 / 5)
    assert report.right() == [(True, True), (True, True), (False, False), (True, False), (True, False)]
    assert report.unprintable == {"as printed": ({"é": 1}, 1), "case-insensitive": ({"É": 1}, 1)}
    table = report.table()
    assert "word accuracy       0.8000 (case-insensitive" in table
    assert "as printed          0.4000" in table
    assert "1 of 5 labels, scored wrong ('é' 1)" in table and "('É' 1)" in table

    exact = evaluate(scripted, cased_folder, case_sensitive=True)
    assert exact.word_accuracy == pytest.approx(2 / 5)
    assert "word accuracy       0.4000 (as printed" in exact.table()
    assert "case-insensitive    0.8000" in exact.table()
    assert exact.worst() == [3, 2, 4]  # Hotel for HOTEL (4 of 5 wrong), caf for café (1 of 4), FOSTERS (1 of 8)
    assert exact.cer == pytest.approx((1 + 1 + 4) / sum(len(w) for w in CASED_WORDS))


def test_a_lecture_model_cannot_print_lower_case_or_punctuation_as_printed(cased_folder):
    ev = load_eval_data(cased_folder, TARGET_CHARACTERS, IMG_SIZE)
    reads = {"CHEVRON": "CHEVRON", "03092009": "03092009", "CAF": "CAF", "HOTEL": "HOTEL", "FOSTERS": "FOSTERS"}
    report = evaluate(ScriptedRecognizer(cased_folder, reads), cased_folder)
    assert ev.labels == ["CHEVRON", "03092009", "CAF", "HOTEL", "FOSTERS"]
    assert report.case_insensitive_accuracy == pytest.approx(4 / 5)  # café still wrong: no É
    assert report.as_printed_accuracy == pytest.approx(1 / 5)  # HOTEL only
    chars, labels = report.unprintable["as printed"]
    assert labels == 4 and chars == {"h": 1, "e": 1, "v": 1, "r": 1, "o": 1, "n": 1, "/": 1, "c": 1, "a": 1, "f": 1,
                                     "é": 1, "'": 1}


def test_an_lmdb_keeps_its_labels_as_stored_for_raw_scoring(tmp_path):
    from ocr_lab.labels import CASED_CHARACTERS

    path = write_clovaai_lmdb(tmp_path / "lmdb", [(to_bytes(render_word(w)), w) for w in ("Chevron", "3rd-Ave")])
    ev = load_eval_data(path, CASED_CHARACTERS, IMG_SIZE)
    assert ev.raw_labels == ["Chevron", "3rd-Ave"] and ev.labels == ["Chevron", "3rdAve"]


def test_evaluate_verb_writes_the_predictions_tsv(tmp_path, capsys, cased_folder, checkpoint):
    import csv

    out = tmp_path / "out" / "predictions.tsv"
    assert main(["evaluate", "--checkpoint", str(checkpoint), "--data", str(cased_folder), "--case-sensitive",
                 "--predictions", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "word accuracy" in printed and "(as printed" in printed and "case-insensitive" in printed
    assert f"predictions: {out}" in printed
    with open(out, encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f, delimiter="\t"))
    assert rows[0] == ["file", "label", "reading", "confidence", "right_case_insensitive", "right_as_printed"]
    assert [r[:2] for r in rows[1:]] == [[f"crop_{i}.png", w] for i, w in enumerate(CASED_WORDS)]
    assert all(0 <= float(r[3]) <= 1 and r[4] in "01" and r[5] in "01" for r in rows[1:])
    assert [p.name for p in out.parent.iterdir()] == ["predictions.tsv"]  # no temporary file left


def test_evaluate_verb_will_not_write_predictions_over_an_input(tmp_path, capsys, cased_folder, checkpoint):
    before = (cased_folder / "labels.tsv").read_bytes()
    for target in (cased_folder / "labels.tsv", cased_folder / "new.tsv", checkpoint):
        assert main(["evaluate", "--checkpoint", str(checkpoint), "--data", str(cased_folder),
                     "--predictions", str(target)]) == 2
        one_line_error(capsys, "--predictions", "outside")
    words = tmp_path / "words.txt"
    words.write_text("chevron\n")
    assert main(["evaluate", "--checkpoint", str(checkpoint), "--data", str(cased_folder), "--lexicon", str(words),
                 "--predictions", str(words)]) == 2
    one_line_error(capsys, "--predictions", "lexicon")
    same = tmp_path / "same"
    assert main(["evaluate", "--checkpoint", str(checkpoint), "--data", str(cased_folder), "--predictions", str(same),
                 "--worst", str(same)]) == 2
    one_line_error(capsys, "--worst and --predictions")
    assert (cased_folder / "labels.tsv").read_bytes() == before and not (cased_folder / "new.tsv").exists()
    assert words.read_text() == "chevron\n"


# ----------------------------------------------------------------------------- checked before the work (issue 31)

def test_a_beam_of_zero_is_refused_before_the_model_loads(capsys, monkeypatch, crops, checkpoint):
    import ocr_lab.train

    monkeypatch.setattr(ocr_lab.train, "load_recognizer", lambda *a, **k: pytest.fail("model loaded"))
    with pytest.raises(SystemExit) as exit_info:
        main(["evaluate", "--checkpoint", str(checkpoint), "--data", str(crops[0]), "--beam", "0"])
    assert exit_info.value.code == 2 and "argument --beam: must be at least 1, got 0" in capsys.readouterr().err


def test_a_worst_path_that_cannot_be_written_is_refused_first_naming_it(tmp_path, capsys, monkeypatch, crops, checkpoint):
    import os

    import ocr_lab.train

    readonly = tmp_path / "readonly"
    readonly.mkdir()
    real_access = os.access
    monkeypatch.setattr(os, "access", lambda path, mode, **kw: False if str(path) == str(readonly)
                        else real_access(path, mode, **kw))  # tests run as root, who may write anywhere
    monkeypatch.setattr(ocr_lab.train, "load_recognizer", lambda *a, **k: pytest.fail("evaluated first"))
    worst = readonly / "worst.png"
    assert main(["evaluate", "--checkpoint", str(checkpoint), "--data", str(crops[0]), "--worst", str(worst)]) == 2
    err = capsys.readouterr().err
    assert err == (f"error: --worst {str(worst)!r} cannot be written: no permission to write in {str(readonly)!r}; "
                   "choose another path\n"), err


def test_table_explains_the_two_scores_in_the_learners_language(report, monkeypatch):
    monkeypatch.setenv("OCR_LAB_LANG", "ko")  # as in notebooks/ko/05_inference.ipynb
    table = report.table()
    assert "대소문자 무시" in table and "인쇄된 그대로" in table
    assert "lecture's score" not in table


def test_an_unsure_squarish_crop_in_a_folder_gets_the_pipelines_second_look(tmp_path):
    """A slanted word cut square (a round road sign) is scored as `pipeline.recognize` reads it: tilted."""
    from PIL import Image

    from ocr_lab.evaluate import read_eval_data
    from ocr_lab.images import tilted_views

    word = render_word("ZONE")
    sign = Image.new("RGB", (word.width, word.width), "white")
    sign.paste(word, (0, (word.width - word.height) // 2))
    sign = sign.rotate(-30, fillcolor="white")
    folder = write_folder(tmp_path / "crops", [("sign.png", to_bytes(sign), "ZONE"),
                                               ("cat.png", to_bytes(render_word("CAT")), "CAT")])
    ev = load_eval_data(folder, TARGET_CHARACTERS, IMG_SIZE)
    assert list(ev.tilted) == [0] and ev.tilted[0].shape == (16, *IMG_SIZE, 3)
    level = tilted_views(Image.open(folder / "sign.png"))[11]  # turned 30 degrees back, the wider band
    predict = reads_only([(level, "ZONE"), (render_word("CAT"), "CAT")])

    assert read_eval_data(predict, ev, TARGET_CHARACTERS) == ["ZONE", "CAT"]
    lmdb = load_eval_data(write_clovaai_lmdb(tmp_path / "lmdb", [(to_bytes(sign), "ZONE")]), TARGET_CHARACTERS, IMG_SIZE)
    assert lmdb.tilted == {}  # an LMDB's crops are word crops at the model's height, as generated
