"""benchmarks/bench_real_crops.py: it reads crops from a labels.tsv folder and from an LMDB, scores
word accuracy as printed and case-insensitively as its table says, prints the per-crop table, and
compares several checkpoints, cased or not, in one run."""
from __future__ import annotations

import pytest
from PIL import Image


@pytest.fixture(scope="module")
def bench(kit):
    return kit.load_benchmark("bench_real_crops")


def test_crops_come_from_a_labels_folder_and_from_an_lmdb_alike(bench, tmp_path, kit):
    labels = ["Chevron", "03/09/2009", "HOTEL"]
    for i, label in enumerate(labels):
        kit.render_word(label.replace("/", "")).save(tmp_path / f"{i}.png")
    (tmp_path / "labels.tsv").write_text("".join(f"{i}.png\t{label}\n" for i, label in enumerate(labels)))
    lmdb_path = kit.write_lmdb(tmp_path / "lmdb", [(kit.to_bytes(kit.render_word("CAT")), "Cat"), (b"junk", "DOG")])
    crops, got = bench.load_crops(tmp_path, limit=None)
    assert got == labels and all(isinstance(c, Image.Image) and c.mode == "RGB" for c in crops)
    crops, got = bench.load_crops(lmdb_path, limit=None)
    assert got == ["Cat"]  # the undecodable record is skipped
    assert len(bench.load_crops(tmp_path, limit=2)[0]) == 2


def test_raw_accuracy_counts_case_and_punctuation_alphanumeric_does_not(bench):
    crops = [Image.new("RGB", (40, 20))] * 3
    labels = ["Chevron", "03/09/2009", "HOTEL"]
    r = bench.score(lambda cs: ["CHEVRON", "03/09/2009", "H0TEL"][: len(cs)], crops, labels)
    assert (r["raw"], r["alnum"], r["n"]) == (1, 2, 3)
    assert r["rate"] > 0


def test_the_per_crop_table_marks_right_as_printed_and_right_case_insensitively(bench):
    lines = bench.crop_table(["Chevron", "03/09/2009", "HOTEL"],
                             {"shipped": ["CHEVRON", "03092009", "HOTEL"], "cased": ["Chevron", "03/09/2009", "H|TEL"]})
    assert lines[0] == "| label | shipped | cased |"
    assert lines[2:] == ["| Chevron | CHEVRON~ | Chevron= |", "| 03/09/2009 | 03092009~ | 03/09/2009= |",
                         "| HOTEL | HOTEL= | H\\|TEL |"]


def test_checkpoints_are_named_or_take_their_file_name(bench):
    got = bench.named_paths(["shipped=checkpoints/crnn_wide.h5", "runs/crnn_cased.h5"], "--checkpoint", bare_ok=True)
    assert {k: str(v) for k, v in got.items()} == {"shipped": "checkpoints/crnn_wide.h5",
                                                   "crnn_cased": "runs/crnn_cased.h5"}
    with pytest.raises(SystemExit, match="used twice"):
        bench.named_paths(["a=x.h5", "a=y.h5"], "--checkpoint", bare_ok=True)
    with pytest.raises(SystemExit, match="NAME=PATH"):
        bench.named_paths(["x"], "--set")


def test_a_run_compares_a_lecture_and_a_cased_checkpoint_crop_by_crop(bench, tmp_path, kit, capsys, monkeypatch):
    """Two tiny untrained checkpoints, one of each charset, on three crops: every row and the per-crop table."""
    import tf_keras as keras

    from ocr_lab.labels import CASED_CHARACTERS
    from ocr_lab.model import build_crnn_model
    from ocr_lab.checkpoint import save_recognizer

    labels = ["Chevron", "0309", "HOTEL"]
    for i, label in enumerate(labels):
        kit.render_word(label).save(tmp_path / f"{i}.png")
    (tmp_path / "labels.tsv").write_text("".join(f"{i}.png\t{label}\n" for i, label in enumerate(labels)))
    paths = []
    for name, chars in (("lecture", None), ("cased", CASED_CHARACTERS)):
        keras.utils.set_random_seed(0)
        kwargs = {"characters": chars} if chars else {}
        _, model_pred = build_crnn_model(config="small", **kwargs)
        paths.append(save_recognizer(model_pred, tmp_path / f"{name}.h5", config="small", **kwargs))
    monkeypatch.setattr(bench, "REAL_DEV", tmp_path)
    monkeypatch.setattr(bench, "HELDOUT", tmp_path / "absent")
    assert bench.main(["--no-peers", "--variants", "--checkpoint", str(paths[0]), "--checkpoint", f"new={paths[1]}"]) == 0
    out = capsys.readouterr().out
    assert "| as printed   | case-insensitive | crops/s |" in out
    assert "ours lecture (small, 24 steps, 36 chars), network" in out
    assert "ours new (small, 24 steps, 74 chars), network" in out
    assert "ours new as `ocr` reads (ONNX + English lexicon)" in out
    assert "ours new, network, most confident of 5 views" in out
    table = out[out.index("crop by crop"):].splitlines()[1:]
    assert table[0] == "| label | lecture | lecture-beam | lecture-views | lecture-ocr | new | new-beam | new-views | new-ocr |"
    assert [row.split(" | ")[0] for row in table[2:]] == [f"| {label}" for label in labels]


def test_the_five_test_time_views_keep_the_height_and_change_what_they_say(bench):
    crop = Image.new("RGB", (80, 24), (200, 200, 200))
    views = bench.test_time_views(crop)
    assert [v.size for v in views] == [(80, 24), (86, 28), (80, 24), (64, 24), (100, 24)]
    assert views[1].getpixel((0, 0)) == (200, 200, 200)  # the margin has the crop's mean colour
