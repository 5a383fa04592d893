"""Data: MJDatasetSequence and make_tf_dataset on tiny LMDBs written by an independent writer,
write_lmdb / create_lmdb_dataset, to_rgb, default_data_paths."""
import math
import os
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

import ocr_lab
from ocr_lab.data import (
    DATA_ENV,
    MJDatasetSequence,
    create_lmdb_dataset,
    decode_image,
    default_data_paths,
    make_tf_dataset,
    to_rgb,
    write_lmdb,
)
from ocr_lab.labels import TARGET_CHARACTERS, LabelConverter

CONVERTER = LabelConverter(TARGET_CHARACTERS)
KEYS = ("input_image", "label", "input_length", "label_length")


def sequence(path, batch_size=3, **kw):
    return MJDatasetSequence(path, CONVERTER, batch_size=batch_size, character=TARGET_CHARACTERS, **kw)


def concat(batches):
    """All batches' inputs concatenated along the batch axis."""
    batches = [inputs for inputs, _ in batches]
    return {k: np.concatenate([b[k] for b in batches]) for k in KEYS}


def labels_of(inputs):
    return [CONVERTER.decode(row[:n]) for row, n in zip(inputs["label"], inputs["label_length"])]


def expected_width(size: tuple[int, int]) -> int:
    """The lecture's rule: height to 32 keeping the aspect ratio, at most 100 wide."""
    w, h = size
    return min(int(w * 32 / h), 100)


def reference_resize(img: Image.Image) -> np.ndarray:
    """The expected preprocessing, computed independently: alpha on white, RGB, height 32, width first."""
    if img.mode == "RGBA":
        img = Image.alpha_composite(Image.new("RGBA", img.size, (255, 255, 255, 255)), img)
    w = expected_width(img.size)
    return np.asarray(img.convert("RGB").resize((w, 32), Image.BILINEAR), dtype=np.float32).transpose(1, 0, 2)


# ----------------------------------------------------------------------------- length and batches

def test_is_a_keras_sequence(clean_lmdb):
    import tf_keras

    assert isinstance(sequence(clean_lmdb[0]), tf_keras.utils.Sequence)


def test_len_is_one_pass_over_the_usable_records(tiny_lmdb, clean_lmdb):
    seq = sequence(tiny_lmdb.path, batch_size=3)
    # 10 records pass the label scan (the 2 corrupt images are found only when read)
    assert len(seq.index_list) == len(tiny_lmdb.scanned) == 10
    assert len(seq) == math.ceil(10 / 3) == 4  # the lecture's /100 gave 1
    path, words = clean_lmdb
    for batch_size, batches in [(1, 7), (2, 4), (3, 3), (7, 1), (100, 1)]:
        assert len(sequence(path, batch_size=batch_size)) == batches == math.ceil(len(words) / batch_size)


def test_batch_keys_shapes_and_dtypes(tiny_lmdb):
    seq = sequence(tiny_lmdb.path, batch_size=3)
    inputs, outputs = seq[1]  # records 8, 9, 10: all readable
    assert set(inputs) == set(KEYS)
    assert inputs["input_image"].shape == (3, 100, 32, 3)
    assert inputs["input_image"].dtype == np.float32
    assert inputs["label"].shape == (3, 22)
    assert inputs["label"].dtype == np.int64
    assert inputs["input_length"].dtype == np.int64
    assert inputs["input_length"].tolist() == [24, 24, 24]
    assert inputs["label_length"].dtype == np.int64
    assert inputs["label_length"].tolist() == [4, 20, 4]
    assert list(outputs) == ["ctc"]
    assert outputs["ctc"].shape == (3, 1)
    assert not outputs["ctc"].any()
    assert 0 <= inputs["input_image"].min() and inputs["input_image"].max() <= 255
    assert inputs["input_image"].max() > 1  # pixel values 0..255, not normalised


def test_labels_are_the_upper_cased_encoded_labels(tiny_lmdb):
    inputs = concat(sequence(tiny_lmdb.path, batch_size=3))
    usable = tiny_lmdb.usable
    assert labels_of(inputs) == [r.label for r in usable]
    for row, n, r in zip(inputs["label"], inputs["label_length"], usable):
        encoded = CONVERTER.encode(r.label)
        assert n == len(encoded)
        np.testing.assert_array_equal(row[:n], encoded)
        assert not row[n:].any(), "labels are padded with zeros"
    # where the raw label has only charset characters once upper-cased, it is just encode(upper(label))
    for r in usable:
        if r.raw_label != "don't":
            assert r.label == r.raw_label.upper()
    assert "DONT" in labels_of(inputs)  # out-of-charset characters are dropped, as in the lecture


def test_images_are_width_first_resized_to_height_32_and_black_padded(tiny_lmdb):
    inputs = concat(sequence(tiny_lmdb.path, batch_size=3))
    widths = {}
    for arr, r in zip(inputs["input_image"], tiny_lmdb.usable):
        w = expected_width(r.image.size)
        widths[r.label] = w
        assert np.all(arr[w:] == 0), f"{r.label}: columns from {w} on must be black padding"
        assert np.all(arr[:w].max(axis=(1, 2)) > 0), f"{r.label}: every column of the word has white background"
        diff = np.abs(arr[:w] - reference_resize(r.image)).mean()
        assert diff < 6, f"{r.label}: mean difference {diff:.1f} from a bilinear resize"
    assert widths["LUBE"] == 74  # the lecture's 72x31 sample -> target_img_size (74, 32)
    assert widths["INTERNATIONALIZATION"] == 100  # wide words are squeezed to 100


@pytest.fixture(scope="module")
def geometry_lmdb(tmp_path_factory, kit):
    """Images whose layout shows which array axis is the width."""
    quad = Image.new("RGB", (200, 64), (0, 0, 0))        # left half black
    quad.paste((255, 0, 0), (100, 0, 200, 32))           # right half: red on top,
    quad.paste((0, 0, 255), (100, 32, 200, 64))          # blue below
    tall = Image.new("RGB", (10, 100), (255, 255, 255))  # -> width int(10 * 32 / 100) = 3
    hair = Image.new("RGB", (1, 200), (255, 255, 255))   # -> width 0 by the formula; must not crash
    path = tmp_path_factory.mktemp("geometry") / "lmdb"
    return kit.write_lmdb(path, [(kit.to_bytes(quad), "QUAD"), (kit.to_bytes(tall), "TALL"), (kit.to_bytes(hair), "HAIR")])


def test_images_are_width_first(geometry_lmdb):
    inputs, _ = sequence(geometry_lmdb, batch_size=3)[0]
    quad, tall, hair = inputs["input_image"]
    assert quad.shape == (100, 32, 3)
    assert np.all(quad[:45] == 0)                           # x < 50: black
    np.testing.assert_allclose(quad[55:, :14], np.broadcast_to([255, 0, 0], (45, 14, 3)), atol=1)   # top: red
    np.testing.assert_allclose(quad[55:, 18:], np.broadcast_to([0, 0, 255], (45, 14, 3)), atol=1)   # bottom: blue
    assert np.all(tall[:3] == 255) and np.all(tall[3:] == 0)
    assert np.all(hair[:1] == 255) and np.all(hair[1:] == 0)


# ----------------------------------------------------------------------------- skipped records

def test_unusable_records_are_skipped_and_counted(tiny_lmdb):
    seq = sequence(tiny_lmdb.path, batch_size=3)
    assert seq.skipped == tiny_lmdb.scan_skipped == Counter(
        {"empty after filtering": 2, "too long": 1, "too long for CTC": 2, "unreadable image": 1}
    )
    for i in range(len(seq)):
        seq[i]
    expected = tiny_lmdb.scan_skipped + Counter({"unreadable image": len(tiny_lmdb.corrupt)})
    assert seq.skipped == expected
    report = seq.report()
    assert "16 records" in report
    for reason in expected:
        assert reason in report


def test_skipped_records_never_reach_a_batch(tiny_lmdb):
    seq = sequence(tiny_lmdb.path, batch_size=3)
    batches = [seq[i] for i in range(len(seq))]
    sizes = [len(inputs["label"]) for inputs, _ in batches]
    assert max(sizes) <= 3 and sum(sizes) == 8, sizes
    inputs = concat(batches)
    assert len(inputs["label"]) == len(tiny_lmdb.usable) == 8
    labels = labels_of(inputs)
    for r in tiny_lmdb.records:
        if r.outcome != "usable" and r.raw_label:
            assert r.raw_label.upper() not in labels, r.raw_label
    assert inputs["label_length"].min() >= 1, "no empty label is trained on"
    assert inputs["input_image"].reshape(8, -1).max(axis=1).min() > 0, "no black placeholder image"
    for outputs in (b[1] for b in batches):
        assert outputs["ctc"].shape[0] == len(outputs["ctc"])


def test_unreadable_images_are_counted_once_however_often_they_are_read(tiny_lmdb):
    """Reading a corrupt record in every epoch must not inflate the count of skipped records."""
    seq = sequence(tiny_lmdb.path, batch_size=3)
    for _ in range(3):
        for i in range(len(seq)):
            seq[i]
        seq.on_epoch_end()
    assert seq.skipped["unreadable image"] == 1 + len(tiny_lmdb.corrupt)
    assert sum(seq.skipped.values()) <= seq.num_samples


def test_no_batch_is_empty_when_its_images_are_unreadable(tmp_path, kit):
    good = kit.to_bytes(kit.render_word("CAT"))
    path = kit.write_lmdb(tmp_path / "lmdb", [(good, "CAT"), (b"junk", "BAD"), (good, "DOG")])
    seq = sequence(path, batch_size=1)  # the lecture's default batch size
    sizes = [len(seq[i][0]["label"]) for i in range(len(seq))]
    assert min(sizes) >= 1, sizes
    assert labels_of(seq[1][0]) == ["DOG"]  # the image and the label still belong together
    assert seq.skipped["unreadable image"] == 1


def test_tf_dataset_counts_unreadable_images_once(tiny_lmdb):
    ds, records = make_tf_dataset(tiny_lmdb.path, CONVERTER, batch_size=3)
    for _ in range(2):
        tf_batches(ds)
    assert records.skipped["unreadable image"] == 1 + len(tiny_lmdb.corrupt)


# ----------------------------------------------------------------------------- order, shuffling, indexing

def all_labels(seq):
    return labels_of(concat(seq[i] for i in range(len(seq))))


def test_evaluation_order_is_the_lmdb_order_every_epoch(clean_lmdb):
    path, words = clean_lmdb
    seq = sequence(path, batch_size=2)
    assert seq.index_list == list(range(1, 8))
    assert all_labels(seq) == words
    seq.on_epoch_end()
    assert all_labels(seq) == words


def test_shuffling_with_a_seed_is_reproducible(clean_lmdb):
    path, words = clean_lmdb
    a = sequence(path, batch_size=2, is_train=True, seed=7)
    b = sequence(path, batch_size=2, is_train=True, seed=7)
    first = list(a.index_list)
    assert first == b.index_list
    assert sorted(first) == list(range(1, 8))
    assert first != list(range(1, 8))
    assert all_labels(a) == all_labels(b) == [words[i - 1] for i in first]
    a.on_epoch_end()
    b.on_epoch_end()
    assert a.index_list == b.index_list != first  # a new order each epoch, the same for the same seed
    assert sequence(path, batch_size=2, is_train=True, seed=8).index_list != first


def test_out_of_range_batch_raises_index_error(tiny_lmdb):
    seq = sequence(tiny_lmdb.path, batch_size=3)
    with pytest.raises(IndexError):
        seq[len(seq)]
    with pytest.raises(IndexError):
        seq[100]


def test_batch_size_must_be_positive(clean_lmdb):
    with pytest.raises(ValueError, match="batch_size"):
        sequence(clean_lmdb[0], batch_size=0)


# ----------------------------------------------------------------------------- errors for people

def open_with(kind, path):
    if kind == "sequence":
        return sequence(path)
    return make_tf_dataset(path, CONVERTER, batch_size=2)


@pytest.mark.parametrize("kind", ["sequence", "tf.data"])
def test_missing_path_names_the_path(tmp_path, kind):
    missing = tmp_path / "no" / "such" / "MJ_train"
    with pytest.raises(FileNotFoundError) as err:
        open_with(kind, missing)
    assert str(missing) in str(err.value)


@pytest.mark.parametrize("kind", ["sequence", "tf.data"])
def test_a_folder_that_is_not_an_lmdb(tmp_path, kind):
    with pytest.raises(ValueError) as err:
        open_with(kind, tmp_path)
    assert str(tmp_path) in str(err.value)


@pytest.mark.parametrize("kind", ["sequence", "tf.data"])
def test_an_lmdb_without_num_samples(tmp_path, kit, kind):
    path = kit.write_lmdb(tmp_path / "lmdb", [(kit.to_bytes(kit.render_word("CAT")), "CAT")], num_samples=None)
    with pytest.raises(ValueError) as err:
        open_with(kind, path)
    assert str(path) in str(err.value)
    assert "num-samples" in str(err.value)


@pytest.mark.parametrize("kind", ["sequence", "tf.data"])
def test_an_empty_lmdb(tmp_path, kit, kind):
    path = kit.write_lmdb(tmp_path / "lmdb", [], num_samples=0)
    with pytest.raises(ValueError) as err:
        open_with(kind, path)
    assert str(path) in str(err.value)
    assert "empty" in str(err.value)


def test_an_lmdb_without_any_usable_record(tmp_path, kit):
    img = kit.to_bytes(kit.render_word("X"))
    path = kit.write_lmdb(tmp_path / "lmdb", [(img, "!!!"), (img, "A" * 30)])
    with pytest.raises(ValueError, match="no usable record") as err:
        sequence(path)
    assert str(path) in str(err.value)


# ----------------------------------------------------------------------------- the tf.data path

def tf_batches(ds):
    return [({k: v.numpy() for k, v in inputs.items()}, {k: v.numpy() for k, v in outputs.items()})
            for inputs, outputs in ds]


def test_tf_dataset_yields_what_the_sequence_yields(tiny_lmdb):
    seq_inputs = concat(sequence(tiny_lmdb.path, batch_size=3))
    ds, records = make_tf_dataset(tiny_lmdb.path, CONVERTER, batch_size=3)
    tf_inputs = concat(tf_batches(ds))
    for key in KEYS:
        assert tf_inputs[key].dtype == seq_inputs[key].dtype, key
        assert tf_inputs[key].shape == seq_inputs[key].shape, key
        np.testing.assert_array_equal(tf_inputs[key], seq_inputs[key], err_msg=key)
    assert records.skipped["too long for CTC"] == 2


def test_tf_dataset_batches_equal_the_sequence_batches(clean_lmdb):
    path, _ = clean_lmdb
    seq = sequence(path, batch_size=3)
    ds, _ = make_tf_dataset(path, CONVERTER, batch_size=3)
    batches = tf_batches(ds)
    assert len(batches) == len(seq)
    for i, (tf_in, tf_out) in enumerate(batches):
        seq_in, seq_out = seq[i]
        for key in KEYS:
            np.testing.assert_array_equal(tf_in[key], seq_in[key], err_msg=f"batch {i} {key}")
        assert tf_out["ctc"].shape == seq_out["ctc"].shape


def test_tf_dataset_shards_partition_the_records(clean_lmdb):
    path, words = clean_lmdb
    shards = [labels_of(concat(tf_batches(make_tf_dataset(path, CONVERTER, batch_size=4, shard=(2, i))[0])))
              for i in range(2)]
    assert shards == [words[0::2], words[1::2]]


# ----------------------------------------------------------------------------- writing

@pytest.fixture(scope="module")
def png(kit) -> bytes:
    return kit.to_bytes(kit.render_word("OK"))


def test_write_lmdb_round_trip(tmp_path, kit):
    samples = [(kit.to_bytes(kit.render_word(w)), w) for w in ["ONE", "two", "THREE", "Four!", "5"]]
    out = tmp_path / "out" / "lmdb"
    assert write_lmdb(out, iter(samples), commit_every=2) == 5
    n, records = kit.read_lmdb(out)
    assert n == 5
    assert records == samples
    assert all_labels(sequence(out, batch_size=2)) == ["ONE", "TWO", "THREE", "FOUR", "5"]
    assert sorted(p.name for p in out.parent.iterdir()) == ["lmdb"]  # no temporary folder left


@pytest.mark.parametrize("error", [RuntimeError, KeyboardInterrupt])
def test_write_lmdb_interrupted_leaves_nothing(tmp_path, png, error):
    def samples():
        yield png, "ONE"
        yield png, "TWO"
        raise error("stopped half-way")

    out = tmp_path / "lmdb"
    with pytest.raises(error):
        write_lmdb(out, samples(), commit_every=1)
    assert not out.exists()
    assert list(tmp_path.iterdir()) == [], "no temporary folder is left behind"


def test_write_lmdb_keeps_an_existing_data_set_unless_forced(tmp_path, kit, png):
    out = tmp_path / "lmdb"
    write_lmdb(out, [(png, "OLD")])
    with pytest.raises(FileExistsError) as err:
        write_lmdb(out, [(png, "NEW")])
    assert str(out) in str(err.value)
    assert kit.read_lmdb(out)[1] == [(png, "OLD")]

    assert write_lmdb(out, [(png, "NEW"), (png, "NEWER")], force=True) == 2
    assert kit.read_lmdb(out) == (2, [(png, "NEW"), (png, "NEWER")])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["lmdb"]


def test_a_failed_forced_rewrite_keeps_the_old_data_set(tmp_path, kit, png):
    out = tmp_path / "lmdb"
    write_lmdb(out, [(png, "OLD")])

    def samples():
        yield png, "NEW"
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        write_lmdb(out, samples(), force=True)
    assert kit.read_lmdb(out) == (1, [(png, "OLD")])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["lmdb"]


@pytest.fixture
def crops(tmp_path, kit):
    folder = tmp_path / "crops"
    (folder / "sub").mkdir(parents=True)
    files = {
        "a.png": kit.to_bytes(kit.render_word("Hello")),
        "sub/b.jpg": kit.to_bytes(kit.render_word("World"), "JPEG"),
        "c.png": kit.to_bytes(kit.render_word("it's", mode="L")),
        "notes.png": b"this is a text file with an image name\n",
    }
    for name, data in files.items():
        (folder / name).write_bytes(data)
    gt = tmp_path / "gt.txt"
    gt.write_text(
        "a.png\tHello\n"
        "missing.png\tGONE\n"
        "sub/b.jpg\tWorld\n"
        "\n"
        "notes.png\tNOTES\n"
        "c.png it's\n",  # a space separates too (labels.tsv style)
        encoding="utf-8",
    )
    return folder, gt, files


def test_create_lmdb_dataset_from_a_folder(tmp_path, kit, crops):
    folder, gt, files = crops
    out = tmp_path / "lmdb"
    count, problems = create_lmdb_dataset(folder, gt, out)
    assert count == 3
    assert len(problems) == 2
    assert "missing.png" in problems[0] and "not found" in problems[0]
    assert "notes.png" in problems[1] and "image" in problems[1]
    assert kit.read_lmdb(out) == (3, [(files["a.png"], "Hello"), (files["sub/b.jpg"], "World"),
                                          (files["c.png"], "it's")])
    assert all_labels(sequence(out, batch_size=2)) == ["HELLO", "WORLD", "ITS"]


def test_create_lmdb_dataset_errors(tmp_path, crops):
    folder, gt, _ = crops
    with pytest.raises(FileNotFoundError, match="no image folder"):
        create_lmdb_dataset(tmp_path / "nope", gt, tmp_path / "out")
    with pytest.raises(FileNotFoundError, match="label file"):
        create_lmdb_dataset(folder, tmp_path / "nope.txt", tmp_path / "out")
    bad = tmp_path / "bad.txt"
    bad.write_text("a.png\tHello\nnoseparator\n", encoding="utf-8")
    with pytest.raises(ValueError, match="bad.txt:2"):
        create_lmdb_dataset(folder, bad, tmp_path / "out")
    assert not (tmp_path / "out").exists()  # the half-written LMDB was removed
    assert not [p.name for p in tmp_path.iterdir() if "partial" in p.name]
    with pytest.raises(FileExistsError):
        create_lmdb_dataset(folder, gt, folder)


# ----------------------------------------------------------------------------- images of every mode

def test_to_rgb_l():
    out = to_rgb(Image.new("L", (4, 2), 77))
    assert out.mode == "RGB"
    assert np.all(np.asarray(out) == 77)


def test_to_rgb_rgba_composites_on_white():
    img = Image.new("RGBA", (3, 1))
    img.putpixel((0, 0), (255, 0, 0, 255))  # opaque red
    img.putpixel((1, 0), (0, 0, 0, 0))      # transparent
    img.putpixel((2, 0), (0, 0, 0, 128))    # half-transparent black
    out = np.asarray(to_rgb(img)).astype(int)
    assert out[0, 0].tolist() == [255, 0, 0]
    assert out[0, 1].tolist() == [255, 255, 255]
    assert np.all(np.abs(out[0, 2] - 127) <= 1)


def test_to_rgb_palette():
    img = Image.new("P", (2, 1))
    img.putpalette([10, 20, 30, 200, 100, 50] + [0] * 762)
    img.putpixel((0, 0), 0)
    img.putpixel((1, 0), 1)
    assert np.asarray(to_rgb(img)).tolist() == [[[10, 20, 30], [200, 100, 50]]]
    img.info["transparency"] = 1  # palette entry 1 is transparent -> white
    assert np.asarray(to_rgb(img)).tolist() == [[[10, 20, 30], [255, 255, 255]]]


def test_to_rgb_16_bit():
    img = Image.fromarray(np.array([[0, 1000, 30000, 65535]], dtype=np.uint16))
    assert img.mode.startswith("I;16")
    out = np.asarray(to_rgb(img))
    assert out.shape == (1, 4, 3) and out.dtype == np.uint8
    gray = out[0, :, 0].astype(int)
    assert gray[0] == 0 and gray[-1] == 255
    assert list(gray) == sorted(gray)  # order preserved
    assert np.all(out[..., 0] == out[..., 1]) and np.all(out[..., 1] == out[..., 2])


def test_decode_image(kit):
    assert decode_image(None) is None
    assert decode_image(b"") is None
    assert decode_image(b"GIF89a not really") is None
    img = decode_image(kit.to_bytes(kit.render_word("2024", mode="L")))
    assert img.mode == "RGB"


# ----------------------------------------------------------------------------- where the data lives

def test_default_data_paths_finds_the_clovaai_layout(tmp_path):
    for split in ("MJ_train", "MJ_valid", "MJ_test"):
        (tmp_path / "training" / "MJ" / split).mkdir(parents=True)
    assert default_data_paths(tmp_path) == {
        "train": tmp_path / "training" / "MJ" / "MJ_train",
        "valid": tmp_path / "training" / "MJ" / "MJ_valid",
        "test": tmp_path / "training" / "MJ" / "MJ_test",
    }


def test_default_data_paths_of_a_synthetic_set(tmp_path):
    assert default_data_paths(tmp_path) == {s: tmp_path / s for s in ("train", "valid", "test")}


def test_default_data_paths_reads_the_environment(tmp_path, monkeypatch):
    (tmp_path / "training" / "MJ" / "MJ_train").mkdir(parents=True)
    monkeypatch.setenv(DATA_ENV, str(tmp_path))
    assert DATA_ENV == "OCR_LAB_DATA"
    assert default_data_paths()["train"] == tmp_path / "training" / "MJ" / "MJ_train"
    other = tmp_path / "elsewhere"
    assert default_data_paths(other)["train"] == other / "train"  # an explicit root wins


def test_default_data_paths_without_the_environment(monkeypatch):
    monkeypatch.delenv(DATA_ENV, raising=False)
    repo = Path(ocr_lab.__file__).resolve().parent.parent
    assert default_data_paths()["valid"] == repo / "data" / "synth" / "valid"


# ----------------------------------------------------------------------------- replacing only what is an LMDB

def test_force_does_not_replace_a_folder_that_holds_more_than_an_lmdb(tmp_path, png):
    documents = tmp_path / "documents"
    documents.mkdir()
    (documents / "thesis.docx").write_bytes(b"two years of work")
    (documents / "data.mdb").write_bytes(b"")  # an LMDB's name among the documents does not make it one
    with pytest.raises(FileExistsError, match=r"documents.*more than an LMDB.*thesis\.docx"):
        write_lmdb(documents, [(png, "NEW")], force=True)
    assert (documents / "thesis.docx").read_bytes() == b"two years of work"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["documents"]


def test_force_replaces_a_folder_that_holds_only_an_lmdb(tmp_path, kit, png):
    out = kit.write_lmdb(tmp_path / "lmdb", [(png, "OLD")])
    (out / "lock.mdb").write_bytes(b"")  # py-lmdb writes one beside data.mdb
    assert write_lmdb(out, [(png, "NEW")], force=True) == 1
    assert kit.read_lmdb(out) == (1, [(png, "NEW")])


@pytest.mark.parametrize("output", ["crops", ".", "crops/sub"], ids=["the image folder", "its parent", "a subfolder"])
def test_make_lmdb_never_replaces_its_input(tmp_path, crops, output):
    folder, gt, files = crops
    gt_inside = folder / "gt.txt"  # the label file inside the image folder, as many people keep it
    gt_inside.write_bytes(gt.read_bytes())
    before = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    image_dir = folder / "sub" if output == "crops/sub" else folder
    out = tmp_path / output
    with pytest.raises(FileExistsError, match="would replace your (image folder|label file)"):
        create_lmdb_dataset(image_dir, gt_inside, out, force=True)
    assert {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()} == before


def test_make_lmdb_verb_refuses_its_input_folder_in_one_line(tmp_path, capsys, crops):
    from ocr_lab.cli import main

    folder, gt, files = crops
    assert main(["make-lmdb", str(folder), str(gt), str(folder), "--force"]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and err.startswith("error: ") and str(folder) in err
    assert (folder / "a.png").read_bytes() == files["a.png"]


def test_a_killed_writes_leftovers_are_removed_by_the_next_write(tmp_path, kit, png):
    dead = 2**22 + 12345  # above the kernel's pid_max, so no process has this pid
    stale = tmp_path / f".lmdb.partial-{dead}-k3x9"
    kit.write_lmdb(stale, [(png, "HALF")], num_samples=None)
    oldstyle = tmp_path / ".lmdb.partial-ab12cd"  # the name earlier versions gave them
    oldstyle.mkdir()
    (oldstyle / "data.mdb").write_bytes(b"\0" * 4096)
    running = tmp_path / f".lmdb.partial-{os.getpid()}-live"  # a write still going on
    running.mkdir()
    strange = tmp_path / f".lmdb.partial-{dead}-notes"  # not ours: it holds more than LMDB files
    strange.mkdir()
    (strange / "notes.txt").write_text("keep me")
    other = tmp_path / f".other.partial-{dead}-x1"  # the leftover of another output
    other.mkdir()

    write_lmdb(tmp_path / "lmdb", [(png, "NEW")])
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["lmdb", running.name, strange.name, other.name])
    assert (strange / "notes.txt").read_text() == "keep me"


def test_make_lmdb_verb_in_a_folder_it_may_not_write_says_so_in_one_line(tmp_path, capsys, monkeypatch, crops):
    import tempfile

    from ocr_lab.cli import main

    folder, gt, _ = crops

    def denied(*args, dir=None, **kwargs):  # what the OS says in a read-only folder (tests run as root here)
        raise PermissionError(13, "Permission denied", str(dir))

    monkeypatch.setattr(tempfile, "mkdtemp", denied)
    assert main(["make-lmdb", str(folder), str(gt), str(tmp_path / "lmdb")]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1, err
    assert err.startswith(f"error: permission denied: '{tmp_path / 'lmdb'}'")  # the folder asked for


# ----------------------------------------------------------------------------- damaged LMDB files

TRUNCATED_SCRIPT = """
import sys
from ocr_lab.cli import main
from ocr_lab.evaluate import load_eval_data

print("info exit", main(["info", sys.argv[1]]), flush=True)
try:
    load_eval_data(sys.argv[1], "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", (100, 32))
except ValueError as err:
    print("evaluate error", err, flush=True)
"""


def test_a_truncated_data_mdb_is_refused_before_it_is_mapped(tmp_path, kit):
    """A half-copied LMDB: reading past the end of a memory-mapped file kills the process
    with SIGBUS, so the reading runs in a process of its own."""
    rng = np.random.default_rng(0)
    noise = [kit.to_bytes(Image.fromarray(rng.integers(0, 255, (32, 100, 3), dtype=np.uint8))) for _ in range(40)]
    path = kit.write_lmdb(tmp_path / "half", [(img, f"WORD{i}") for i, img in enumerate(noise)])
    data = path / "data.mdb"
    data.write_bytes(data.read_bytes()[: data.stat().st_size // 2])

    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3", "TF_USE_LEGACY_KERAS": "1"}
    proc = subprocess.run([sys.executable, "-c", TRUNCATED_SCRIPT, str(path)], capture_output=True, text=True,
                          env=env, timeout=300)
    assert proc.returncode == 0, f"exit {proc.returncode}: {proc.stderr[-2000:]}"
    assert "info exit 1" in proc.stdout
    assert f"{data}' is truncated" in proc.stdout
    assert re.search(r"evaluate error .*data\.mdb' is truncated: [\d,]+ bytes of the [\d,]+", proc.stdout)


@pytest.mark.parametrize("content", [b"", b"this is not an LMDB\n" * 500], ids=["0 bytes", "text"])
def test_a_data_mdb_that_is_not_an_lmdb(tmp_path, capsys, content):
    from ocr_lab.cli import main

    (tmp_path / "data.mdb").write_bytes(content)
    with pytest.raises(ValueError, match=f"{re.escape(str(tmp_path / 'data.mdb'))}.*(empty|not a readable LMDB)"):
        sequence(tmp_path)
    assert main(["info", str(tmp_path)]) == 1
    assert "data.mdb" in capsys.readouterr().out


# ----------------------------------------------------------------------------- images as a person sees them

def test_an_image_stored_sideways_is_decoded_upright(kit):
    upright = kit.render_word("PHONE", font_size=28)
    img = decode_image(kit.stored_sideways(upright))
    assert img.size == upright.size  # the displayed frame (wide), not the stored one (tall)
    diff = np.abs(np.asarray(img, np.int16) - np.asarray(upright, np.int16))
    assert diff.mean() < 3, "the decoded pixels are the upright word (up to JPEG loss)"


def test_white_text_on_a_transparent_background_stays_visible(kit):
    logo = kit.white_on_transparent("HELLO")
    ink = np.asarray(logo)[..., 3] > 128
    out = np.asarray(to_rgb(logo).convert("L"), np.float32)
    assert out[ink].mean() - out[~ink].mean() > 150, "the text must contrast with what the transparency became"
    assert out[ink].mean() > 200  # white text stays white


def test_a_sideways_crop_given_as_an_opened_file_is_preprocessed_upright(kit):
    """`recognize_img(Image.open(...))` gets a file's EXIF orientation applied too."""
    import io

    from ocr_lab.data import preprocess_image

    upright = kit.render_word("WORD", font_size=28)
    sideways = Image.open(io.BytesIO(kit.stored_sideways(upright)))
    assert sideways.size == upright.size[::-1]  # stored tall
    got, want = preprocess_image(sideways), preprocess_image(upright)
    assert got.shape == want.shape == (expected_width(upright.size), 32, 3)
    assert np.abs(got.astype(np.int16) - want).mean() < 4


# ----------------------------------------------------------------------------- make-lmdb: refused before writing, one line (issue 31)

def crops_folder(tmp_path, gt_text, images=("a.png", "b.png", "c.png")):
    folder = tmp_path / "crops"
    folder.mkdir()
    for name in images:
        Image.new("RGB", (60, 24), "white").save(folder / name)
    (tmp_path / "gt.txt").write_text(gt_text, encoding="utf-8")
    return folder, tmp_path / "gt.txt"


@pytest.mark.parametrize("gt_text, reason", [
    ("", r"the label file .*gt\.txt' has no labelled line \('image_path<TAB>label'\)"),
    ("\n\n", r"the label file .*gt\.txt' has no labelled line \('image_path<TAB>label'\)"),
    ("gone.png\tGONE\nalso_gone.png\tALSO\n", r"none of the 2 images listed in .*gt\.txt' can be read "
                                              r"\(gone\.png: file not found, also_gone\.png: file not found\)"),
], ids=["empty", "blank lines", "no image exists"])
def test_make_lmdb_with_nothing_to_write_is_refused_before_writing(tmp_path, capsys, gt_text, reason):
    from ocr_lab.cli import main

    folder, gt = crops_folder(tmp_path, gt_text)
    out = tmp_path / "out"
    assert main(["make-lmdb", str(folder), str(gt), str(out)]) == 2
    err = capsys.readouterr().err
    assert re.fullmatch(rf"error: nothing to write: {reason}; '{re.escape(str(out))}' was not created\n", err), err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["crops", "gt.txt"]  # no LMDB, no temporary folder


def test_ctrl_c_in_make_lmdb_says_what_was_kept(tmp_path, capsys, monkeypatch):
    from ocr_lab import data
    from ocr_lab.cli import main

    folder, gt = crops_folder(tmp_path, "a.png\tA\nb.png\tB\nc.png\tC\n")
    calls = []

    def ctrl_c_on_the_third(imgbuf):
        calls.append(1)
        if len(calls) == 3:
            raise KeyboardInterrupt
        return Image.new("RGB", (60, 24))

    monkeypatch.setattr(data, "decode_image", ctrl_c_on_the_third)
    out = tmp_path / "out"
    assert main(["make-lmdb", str(folder), str(gt), str(out)]) == 130
    err = capsys.readouterr().err
    assert err == f"interrupted: {str(out)!r} is as it was before (the unfinished LMDB was removed); run the command again\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["crops", "gt.txt"]


class FullDiskEnv:
    """An LMDB environment whose writes fail as py-lmdb's do on a full disk (it names its call, not the folder)."""

    real_open = staticmethod(__import__("lmdb").open)

    def __init__(self, path, **kwargs):
        self.env = self.real_open(path, **kwargs)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.env.close()

    def begin(self, write=False):
        return FullDiskTxn(self.env.begin(write=write))


class FullDiskTxn:
    def __init__(self, txn):
        self.txn = txn

    def put(self, key, value):
        import lmdb

        raise lmdb.Error("mdb_put: No space left on device")

    def commit(self):
        self.txn.commit()

    def abort(self):
        self.txn.abort()


def test_a_full_disk_while_writing_an_lmdb_says_so_and_names_it(tmp_path, capsys, monkeypatch):
    from ocr_lab import data
    from ocr_lab.cli import main

    monkeypatch.setattr(data.lmdb, "open", FullDiskEnv)
    folder, gt = crops_folder(tmp_path, "a.png\tA\n")
    out = tmp_path / "out"
    assert main(["make-lmdb", str(folder), str(gt), str(out)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"error: no space left on the disk while writing {str(out)!r}") and "clovaai" not in err, err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["crops", "gt.txt"]
