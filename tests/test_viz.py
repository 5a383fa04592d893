"""Data inspection: the sample grid, the summary, and the `info` / `make-lmdb` verbs that use them."""
import io

import numpy as np
import pytest
from PIL import Image

from ocr_lab import synth, viz
from ocr_lab.cli import main
from ocr_lab.data import LmdbRecords, write_lmdb


def png(width=60, height=32, value=200):
    buf = io.BytesIO()
    Image.fromarray(np.full((height, width, 3), value, np.uint8)).save(buf, format="PNG")
    return buf.getvalue()


@pytest.fixture(scope="module")
def mixed_lmdb(tmp_path_factory):
    """Usable records plus one of each kind training skips."""
    path = tmp_path_factory.mktemp("viz") / "mixed"
    rng = np.random.default_rng(0)
    font = synth.font_paths("train")[0]
    samples = [(synth.encode_jpeg(synth.render_word(w, font, rng, height=32), 90), w) for w in ["Hello", "B52", "cat"]]
    samples += [
        (png(), "!!!"),  # 4: empty after filtering
        (png(), "A" * 30),  # 5: too long
        (b"not an image", "WORD"),  # 6: unreadable image
        (png(width=90, height=31), "it's"),  # 7: usable, "'" dropped
        (png(), "AAAAAAAAAAAAAAAAAAAA"),  # 8: 20 repeats need 39 CTC steps: too long for CTC
    ]
    write_lmdb(path, samples)
    return path


def test_summary_counts_what_training_will_skip_and_why(mixed_lmdb):
    summary = viz.dataset_summary(mixed_lmdb)
    assert summary.num_samples == 8
    assert summary.skipped == {"empty after filtering": 1, "too long": 1, "unreadable image": 1,
                               "too long for CTC": 1}
    assert summary.usable == 4
    assert summary.skipped_examples["too long"] == [(5, "A" * 30)]
    assert summary.skipped_examples["unreadable image"] == [(6, "WORD")]
    assert summary.label_lengths[5] == 1 and summary.label_lengths[3] == 3  # HELLO; B52, CAT, ITS
    assert summary.chars["L"] == 2 and summary.chars["5"] == 1
    assert summary.dropped_chars == {"!": 3, "'": 1}
    assert summary.lower_case_labels == 3  # Hello, cat, it's
    assert summary.heights == {32: 3, 31: 1}
    assert sum(summary.widths.values()) == summary.images_checked - 1  # all but the unreadable one
    text = str(summary)
    assert "usable: 4" in text and "too long for CTC: 1" in text and "#6 'WORD'" in text


def test_summary_agrees_with_lmdbrecords_on_labels(mixed_lmdb):
    summary = viz.dataset_summary(mixed_lmdb)
    records = LmdbRecords(mixed_lmdb)
    label_reasons = {k: v for k, v in summary.skipped.items() if k != "unreadable image"}
    assert label_reasons == dict(records.skipped)
    assert viz.dataset_summary(mixed_lmdb, records=records).skipped == summary.skipped


def test_summary_can_limit_the_images_it_decodes(mixed_lmdb):
    summary = viz.dataset_summary(mixed_lmdb, max_images=2)
    assert summary.images_checked == 2
    assert sum(summary.heights.values()) == 2


def test_show_samples_titles_say_what_training_sees(mixed_lmdb):
    fig = viz.show_samples(mixed_lmdb, indices=[1, 4, 6, 7], cols=2)
    titles = [ax.get_title() for ax in fig.axes]
    assert titles == ["'Hello' -> HELLO", "'!!!': skipped, empty after filtering",
                      "'WORD': skipped, unreadable image", "\"it's\" -> ITS"]
    assert len(fig.axes[0].images) == 1 and len(fig.axes[2].images) == 0


def test_show_samples_picks_n_random_records_reproducibly(mixed_lmdb):
    a = [ax.get_title() for ax in viz.show_samples(mixed_lmdb, n=5, seed=1).axes if ax.get_title()]
    b = [ax.get_title() for ax in viz.show_samples(mixed_lmdb, n=5, seed=1).axes if ax.get_title()]
    assert len(a) == 5 and a == b
    everything = viz.show_samples(mixed_lmdb, n=100, cols=4)
    assert sum(bool(ax.get_title()) for ax in everything.axes) == 8


def test_plot_summary_has_four_histograms(mixed_lmdb):
    fig = viz.plot_summary(viz.dataset_summary(mixed_lmdb))
    assert [ax.get_title() for ax in fig.axes][2:] == ["label length (characters)", "character frequency"]


def test_save_sample_grid_writes_a_png(mixed_lmdb, tmp_path):
    viz.save_sample_grid(mixed_lmdb, tmp_path / "grid.png", n=4)
    assert Image.open(tmp_path / "grid.png").format == "PNG"


def test_info_verb_prints_the_summary_and_where_real_data_goes(mixed_lmdb, capsys):
    assert main(["info", str(mixed_lmdb)]) == 0
    out = capsys.readouterr().out
    assert "OCR_LAB_DATA" in out and "training/MJ/MJ_train" in out
    assert "records: 8, usable: 4" in out


def test_info_verb_says_when_a_data_set_is_missing(tmp_path, capsys):
    assert main(["info", str(tmp_path / "nothing")]) == 1
    assert "missing" in capsys.readouterr().out


def test_make_lmdb_verb_converts_a_folder_and_reports_problems(tmp_path, capsys):
    crops = tmp_path / "crops"
    crops.mkdir()
    (crops / "a.png").write_bytes(png())
    (crops / "b.png").write_bytes(png(width=40))
    (crops / "c.txt").write_text("not an image")
    (crops / "gt.txt").write_text("a.png\tStop\nb.png\tEXIT 3\nmissing.png\tX\nc.txt\tY\n")
    out = tmp_path / "mine"
    assert main(["make-lmdb", str(crops), str(crops / "gt.txt"), str(out)]) == 0
    printed = capsys.readouterr().out
    assert "wrote 2 records" in printed and "missing.png: file not found" in printed
    assert "c.txt: not a readable image" in printed
    summary = viz.dataset_summary(out)
    assert summary.num_samples == 2 and summary.chars["S"] == 1
    assert main(["make-lmdb", str(crops), str(crops / "gt.txt"), str(out)]) == 2
    assert "--force" in capsys.readouterr().err
