"""benchmarks/bench_real_crops.py: it reads crops from a labels.tsv folder and from an LMDB, and scores
raw and alphanumeric word accuracy as its table says."""
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
