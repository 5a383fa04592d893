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


def test_a_sideways_crop_in_a_folder_is_also_read_turned_as_the_pipeline_reads_it(tmp_path):
    """A word on a pole (3rdAve in real_dev) is scored turned, as `pipeline.recognize` reads it."""
    from PIL import Image

    from ocr_lab.evaluate import read_eval_data
    from ocr_lab.images import quarter_turns
    from ocr_lab.pipeline import _batch

    sideways = render_word("SALMON").transpose(Image.Transpose.ROTATE_90)
    folder = write_folder(tmp_path / "crops", [("pole.png", to_bytes(sideways), "SALMON"),
                                               ("cat.png", to_bytes(render_word("CAT")), "CAT")])
    ev = load_eval_data(folder, TARGET_CHARACTERS, IMG_SIZE)
    assert list(ev.turned) == [0] and ev.turned[0].shape == (2, *IMG_SIZE, 3)
    readable = {_batch([view], IMG_SIZE)[0].astype(np.uint8).tobytes(): text
                for view, text in [(quarter_turns(sideways)[1], "SALMON"), (render_word("CAT"), "CAT")]}

    def predict(images):
        """Sure of the crops it knows (one-hot), unsure of any other (a flat softmax)."""
        y = np.full([len(images), TIME_STEPS, len(TARGET_CHARACTERS) + 1], 1 / (len(TARGET_CHARACTERS) + 1), np.float32)
        for row, img in zip(y, images):
            text = readable.get(np.asarray(img, np.uint8).tobytes())
            if text is not None:
                row[:] = 0
                row[:, 0] = 1
                for step, ch in enumerate(text):
                    row[2 * step, 0], row[2 * step, TARGET_CHARACTERS.index(ch) + 1] = 0, 1
        return y

    assert read_eval_data(predict, ev, TARGET_CHARACTERS) == ["SALMON", "CAT"]
    lmdb = load_eval_data(write_clovaai_lmdb(tmp_path / "lmdb", [(to_bytes(sideways), "SALMON")]),
                          TARGET_CHARACTERS, IMG_SIZE)
    assert lmdb.turned == {}  # an LMDB's crops are upright at the model's height already
