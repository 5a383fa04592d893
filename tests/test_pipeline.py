"""The end-to-end pipeline: batched recognition, reading order, OCRPipeline, and the ocr / demo verbs.

Recognition is checked with a scripted recognizer (its softmax spells given words)
and with an untrained CRNN (shapes and types only); detection with a fake detector,
except for the blank-image test and the command-line tests, which run the real CRAFT.
"""
from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from ocr_lab.labels import TARGET_CHARACTERS
from ocr_lab.pipeline import DEFAULT_MIN_CONFIDENCE, OCRPipeline, OCRResult, reading_order, recognize, recognize_img

SAMPLES = Path(__file__).resolve().parent.parent / "data" / "samples"


def rect(x0, y0, x1, y1):
    return np.float32([[x0, y0], [x1, y0], [x1, y1], [x0, y1]])


class FakeDetector:
    def __init__(self, boxes):
        self.boxes = np.asarray(boxes, np.float32).reshape(-1, 4, 2)

    def detect(self, images):
        return [self.boxes.copy() for _ in images]


class ScriptedRecognizer:
    """A `Recognizer` look-alike whose softmax spells `texts[i]` for the i-th crop of each batch."""

    characters = TARGET_CHARACTERS
    img_size = (100, 32)

    def __init__(self, texts, certainty=None):
        self.texts = texts
        self.certainty = certainty or [1.0] * len(texts)
        self.calls: list[tuple] = []

    def predict(self, images):
        self.calls.append(images.shape)
        y = np.zeros((len(images), 24, len(self.characters) + 1), np.float32)
        for i in range(len(images)):
            text, p = self.texts[i], self.certainty[i]
            y[i, :, 0] = p
            y[i, :, 1:] = (1 - p) / len(self.characters)
            for step, char in enumerate(text):
                y[i, 2 * step] = (1 - p) / len(self.characters)
                y[i, 2 * step, 0] = (1 - p) / len(self.characters)
                y[i, 2 * step, 1 + self.characters.index(char)] = p
        return y


@pytest.fixture(scope="session")
def untrained():
    from ocr_lab.model import build_crnn_model
    from ocr_lab.checkpoint import Recognizer

    _, model_pred = build_crnn_model(config="small")
    return Recognizer(model=model_pred, characters=TARGET_CHARACTERS, img_size=(100, 32), config="small")


@pytest.fixture(scope="session")
def craft():
    from ocr_lab.detect import load_detector

    return load_detector()


def word_crop(width=80, height=24):
    return Image.new("RGB", (width, height), "white")


# ----------------------------------------------------------------------------- recognition

def test_recognize_reads_every_crop_with_one_model_call():
    rec = ScriptedRecognizer(["HELLO", "WORLD", "42"])
    crops = [word_crop(120, 30), Image.new("L", (10, 40)), Image.new("RGBA", (300, 20))]
    assert recognize(crops, rec, turn_tall=False) == [("HELLO", pytest.approx(1.0)), ("WORLD", pytest.approx(1.0)),
                                                      ("42", pytest.approx(1.0))]
    assert rec.calls == [(3, 100, 32, 3)]


def test_a_tall_crop_is_also_read_turned_and_the_surest_reading_wins():
    """A sideways word (a sign on a pole): the batch holds the crops, then the tall one turned each way."""
    rec = ScriptedRecognizer(["HELLO", "L", "42", "SALMON", "NOMLAS"], certainty=[1.0, 0.3, 1.0, 0.9, 0.5])
    crops = [word_crop(120, 30), word_crop(30, 120), word_crop(60, 30)]
    results = recognize(crops, rec)
    assert [text for text, _ in results] == ["HELLO", "SALMON", "42"]
    assert rec.calls == [(5, 100, 32, 3)]  # still one model call
    square = ScriptedRecognizer(["HELLO"])
    recognize([word_crop(40, 50)], square)  # not tall enough to turn
    assert square.calls == [(1, 100, 32, 3)]


class BatchScripted(ScriptedRecognizer):
    """`ScriptedRecognizer` with a script per model call: [(texts, certainties), ...] in call order."""

    def __init__(self, batches):
        super().__init__([])
        self.batches = list(batches)

    def predict(self, images):
        self.texts, self.certainty = self.batches[len(self.calls)]
        return super().predict(images)


def test_an_unsure_squarish_crop_gets_a_second_look_at_its_tilted_views():
    """A round road sign's ZONE, cut square and slanted: unsure upright, sure in one of its tilted views."""
    from ocr_lab.images import TILT_ANGLES, TILT_BANDS

    views = len(TILT_ANGLES) * len(TILT_BANDS)
    second = [""] + ["ZONE"] + ["Z"] * (views - 2), [1.0, 0.8] + [0.2] * (views - 2)  # an empty view never wins
    crops = [word_crop(120, 30), word_crop(60, 60), word_crop(50, 40)]
    rec = BatchScripted([(["HELLO", "ZONP", "NO"], [1.0, 0.3, 1.0]), second])
    assert [text for text, _ in recognize(crops, rec)] == ["HELLO", "ZONE", "NO"]
    assert rec.calls == [(3, 100, 32, 3), (views, 100, 32, 3)]  # only the unsure squarish crop is looked at again
    rec = BatchScripted([(["HELLO", "ZONP", "NO"], [1.0, 0.3, 1.0])])
    assert [text for text, _ in recognize(crops, rec, tilt=False)] == ["HELLO", "ZONP", "NO"]
    assert rec.calls == [(3, 100, 32, 3)]
    rec = BatchScripted([(["HELLO", "ZONP", "NO"], [1.0, 0.3, 1.0]), ([""] + ["X"] * (views - 1), [0.9] + [0.1] * 15)])
    assert [text for text, _ in recognize(crops, rec)] == ["HELLO", "ZONP", "NO"]  # no view surer: the reading stays


def test_tilted_views_level_a_slanted_word_in_a_band_through_the_middle():
    from ocr_lab.images import TILT_ANGLES, TILT_BANDS, is_squarish, tilted_views

    crop = Image.new("RGB", (60, 60), (200, 200, 200))
    views = tilted_views(crop)
    assert len(views) == len(TILT_ANGLES) * len(TILT_BANDS)
    assert all(v.width > v.height for v in views)  # each a band, wider than high
    assert {v.height for v in views} == {30, 45}   # half and three quarters of the crop's side
    assert views[0].getpixel((0, 0)) == (200, 200, 200)  # uncovered corners take the mean colour
    assert is_squarish(crop) and is_squarish(word_crop(50, 40)) and is_squarish(word_crop(40, 50))
    assert not is_squarish(word_crop(120, 30)) and not is_squarish(word_crop(30, 120))


def test_recognize_nothing_makes_no_call():
    rec = ScriptedRecognizer([])
    assert recognize([], rec) == [] and rec.calls == []


def test_untrained_crnn_gives_a_text_and_a_confidence_per_crop(untrained):
    results = recognize([word_crop(), word_crop(30, 30), word_crop(400, 20)], untrained)
    assert len(results) == 3
    for text, confidence in results:
        assert isinstance(text, str) and set(text) <= set(TARGET_CHARACTERS)
        assert isinstance(confidence, float) and 0.0 <= confidence <= 1.0
    assert isinstance(recognize_img(word_crop(), untrained), str)


def test_a_bare_keras_model_is_accepted(untrained):
    assert len(recognize([word_crop()], untrained.model)) == 1


# ----------------------------------------------------------------------------- reading order

def test_reading_order_two_lines_shuffled():
    # line 1: A B C, line 2: D E; heights differ a little, tops are not aligned
    boxes = {"A": rect(10, 10, 60, 40), "B": rect(80, 14, 120, 38), "C": rect(150, 8, 260, 44),
             "D": rect(12, 70, 90, 100), "E": rect(120, 72, 170, 98)}
    names = list(boxes)
    rng = np.random.default_rng(0)
    for _ in range(5):
        shuffled = [names[i] for i in rng.permutation(len(names))]
        order = reading_order([boxes[n] for n in shuffled])
        assert "".join(shuffled[i] for i in order) == "ABCDE"


def test_reading_order_keeps_a_tilted_line_together_and_a_tall_word_in_its_line():
    boxes = [rect(10, 10, 60, 30), rect(70, 16, 120, 36), rect(130, 22, 180, 42),  # drifting down
             rect(200, 0, 260, 60),                                                # tall, spans both lines
             rect(10, 50, 60, 70)]                                                 # next line
    order = reading_order(boxes)
    assert order[:4] == [0, 1, 2, 3] and order[4] == 4
    assert reading_order([]) == []


# ----------------------------------------------------------------------------- the pipeline

def test_pipeline_returns_words_in_reading_order_with_box_and_confidence():
    boxes = [rect(300, 200, 400, 240), rect(20, 20, 120, 60), rect(20, 200, 120, 240), rect(300, 20, 400, 60)]
    rec = ScriptedRecognizer(["FOUR", "ONE", "THREE", "TWO"])
    pipeline = OCRPipeline(rec, FakeDetector(boxes))
    results = pipeline(Image.new("RGB", (640, 480), "white"))
    assert [r.text for r in results] == ["ONE", "TWO", "THREE", "FOUR"]
    assert all(isinstance(r, OCRResult) and r.confidence == pytest.approx(1.0) for r in results)
    np.testing.assert_array_equal(results[0].box, boxes[1])
    record = results[0].to_dict()
    assert record == {"text": "ONE", "confidence": 1.0, "box": [[20.0, 20.0], [120.0, 20.0], [120.0, 60.0], [20.0, 60.0]]}
    assert rec.calls == [(4, 100, 32, 3)], "all crops of an image go through the model together"


def test_pipeline_drops_empty_and_unsure_words():
    boxes = [rect(20, 20, 120, 60), rect(200, 20, 300, 60), rect(400, 20, 500, 60)]
    rec = ScriptedRecognizer(["SURE", "", "UNSURE"], certainty=[1.0, 1.0, 0.5])
    everything = OCRPipeline(rec, FakeDetector(boxes), min_confidence=0.0)(Image.new("RGB", (640, 480)))
    assert [r.text for r in everything] == ["SURE", "UNSURE"]  # the empty reading is always dropped
    assert everything[1].confidence < DEFAULT_MIN_CONFIDENCE
    by_default = OCRPipeline(rec, FakeDetector(boxes))(Image.new("RGB", (640, 480)))
    assert [r.text for r in by_default] == ["SURE"]


class UnsureRecognizer(ScriptedRecognizer):
    """Spells "PACIIC" but gives 0.45 to an F between the two Is (step 7): PACIFIC is nearly as likely."""

    def predict(self, images):
        y = super().predict(images)
        y[:, 7] = 0.0
        y[:, 7, 0], y[:, 7, 1 + self.characters.index("F")] = 0.55, 0.45
        return y


def test_pipeline_checks_unsure_readings_against_the_lexicon(tmp_path):
    image, boxes = Image.new("RGB", (640, 480)), [rect(20, 20, 120, 60)]
    read = lambda **kw: [(r.text, round(r.confidence, 2)) for r in OCRPipeline(  # noqa: E731
        UnsureRecognizer(["PACIIC"]), FakeDetector(boxes), **kw)(image)]
    assert read() == [("PACIFIC", 0.55)]  # English by default; the confidence stays the reading's own
    assert read(lexicon="none") == [("PACIIC", 0.55)]
    (tmp_path / "oceans.txt").write_text("Atlantic\nPacific\n")
    assert read(lexicon=tmp_path / "oceans.txt") == [("PACIFIC", 0.55)]
    (tmp_path / "other.txt").write_text("Atlantic\n")
    assert read(lexicon=tmp_path / "other.txt") == [("PACIIC", 0.55)]


def test_pipeline_rejects_an_unknown_crop_method():
    with pytest.raises(ValueError, match="crop_method"):
        OCRPipeline(ScriptedRecognizer([]), FakeDetector([]), crop_method="rotate")


def test_a_blank_image_gives_an_empty_result(untrained, craft):
    pipeline = OCRPipeline(untrained, craft)
    assert pipeline(Image.new("RGB", (320, 240), (255, 255, 255))) == []


def test_bad_inputs_raise_clear_errors(tmp_path):
    pipeline = OCRPipeline(ScriptedRecognizer([]), FakeDetector([]))
    with pytest.raises(FileNotFoundError, match="no image"):
        pipeline(tmp_path / "missing.jpg")
    (tmp_path / "text.png").write_text("not pixels")
    with pytest.raises(ValueError, match="not an image"):
        pipeline(tmp_path / "text.png")
    with pytest.raises(ValueError, match="empty"):
        pipeline(Image.new("RGB", (0, 0)))


# ----------------------------------------------------------------------------- the command line

@pytest.fixture(scope="session")
def checkpoint(untrained, tmp_path_factory):
    from ocr_lab.checkpoint import save_recognizer

    return save_recognizer(untrained.model, tmp_path_factory.mktemp("ckpt") / "untrained.h5")


def test_ocr_verb_writes_annotated_png_and_json(checkpoint, craft, tmp_path, capsys):
    from ocr_lab.cli import main

    image = SAMPLES / "scene_0008.jpg"
    # An untrained recognizer is never confident: keep every word it reads.
    assert main(["ocr", str(image), "--out", str(tmp_path / "out"), "--checkpoint", str(checkpoint),
                 "--min-confidence", "0"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert len(printed) == 1 and printed[0]["image"] == str(image)
    written = json.loads((tmp_path / "out" / "scene_0008.json").read_text())
    assert written["words"] == printed[0]["words"] and len(written["words"]) >= 4
    for word in written["words"]:
        assert set(word) == {"text", "box", "confidence"} and len(word["box"]) == 4
    with Image.open(tmp_path / "out" / "scene_0008.png") as png:
        assert png.size == (640, 480)


def test_ocr_verb_errors_are_one_line(checkpoint, tmp_path, capsys):
    from ocr_lab.cli import main

    assert main(["ocr", str(tmp_path / "nope.png"), "--out", str(tmp_path)]) == 2
    assert "no image at" in capsys.readouterr().err
    assert main(["ocr", str(SAMPLES / "scene_0008.jpg"), "--out", str(tmp_path),
                 "--checkpoint", str(tmp_path / "none.h5")]) == 2
    assert "no checkpoint" in capsys.readouterr().err
    assert main(["ocr", str(SAMPLES / "scene_0008.jpg"), "--out", str(tmp_path),
                 "--lexicon", str(tmp_path / "words.txt")]) == 2
    assert "no lexicon file at" in capsys.readouterr().err


def test_demo_verb_reads_the_samples(checkpoint, craft, tmp_path, capsys):
    from ocr_lab.cli import main

    samples = tmp_path / "samples"
    samples.mkdir()
    shutil.copy(SAMPLES / "scene_0009.jpg", samples)
    shutil.copy(SAMPLES / "ground_truth.json", samples)
    assert main(["demo", "--samples", str(samples), "--out", str(tmp_path / "demo"), "--checkpoint", str(checkpoint)]) == 0
    out = capsys.readouterr().out
    assert "scene_0009.jpg" in out and "written: MAW 146 SLIMNESS DALEA BRET PIG57 ADOPTION TUFA" in out
    assert (tmp_path / "demo" / "scene_0009.png").exists() and (tmp_path / "demo" / "scene_0009.json").exists()
    # and the real photo: scikit-image's book page, its words typed in by hand, scored
    assert "page.png" in out and "written: REGION-BASED SEGMENTATION LET US FIRST" in out
    assert re.search(r"right: +\d+ of 45 words case-insensitively\n", out)
    assert (tmp_path / "demo" / "page.png").exists() and (tmp_path / "demo" / "page.json").exists()
    assert main(["demo", "--samples", str(samples), "--out", str(tmp_path / "demo2"), "--checkpoint", str(checkpoint),
                 "--no-photo"]) == 0
    assert "page.png" not in capsys.readouterr().out


def test_words_on_a_page_are_matched_as_a_multiset():
    from ocr_lab.photos import words_right

    written = "Let us first determine markers of the coins and the".split()
    assert words_right(["LET", "us", "the", "the", "the", "x"], written) == (4, 6, 10)  # one "the" too many
    assert words_right(["LET", "us", "coins,"], written, case_sensitive=True) == (2, 3, 10)  # "LET" is not "Let"
    assert words_right([">>>", "np.zeros_like(coins)"], [">>>", "np.zeros_like(coins)"]) == (1, 1, 1)


# ----------------------------------------------------------------------------- outputs never replace inputs

def scripted_pipeline(words=("HELLO",)):
    boxes = [rect(10 + 60 * i, 10, 60 + 60 * i, 40) for i in range(len(words))]
    return OCRPipeline(ScriptedRecognizer(list(words) * 20), FakeDetector(boxes))


def photo(path, colour="white", size=(320, 120)):
    Image.new("RGB", size, colour).save(path)
    return path


def test_ocr_into_the_photos_own_folder_keeps_the_photo(tmp_path):
    from ocr_lab.pipeline import ocr_files

    image = photo(tmp_path / "photo.png", "yellow")
    original = image.read_bytes()
    [record] = ocr_files([image], tmp_path, scripted_pipeline())
    assert image.read_bytes() == original
    assert record["annotated"] == str(tmp_path / "photo_1.png")
    assert json.loads((tmp_path / "photo_1.json").read_text())["image"] == str(image)


def test_reading_photo_jpg_never_replaces_an_unrelated_photo_png(tmp_path):
    from ocr_lab.pipeline import ocr_files

    out = tmp_path / "out"
    out.mkdir()
    mine = photo(out / "photo.png", "blue")  # a learner's own file that happens to share the name
    kept = mine.read_bytes()
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    jpg = photo(tmp_path / "a" / "photo.jpg")
    png = photo(tmp_path / "b" / "photo.png")

    first = ocr_files([jpg], out, scripted_pipeline())
    second = ocr_files([png], out, scripted_pipeline())  # another image, another run: its own name
    again = ocr_files([jpg], out, scripted_pipeline())   # the same image again: its own last results
    assert mine.read_bytes() == kept
    assert [r["annotated"] for r in first + second + again] == [str(out / n) for n in ("photo_1.png", "photo_2.png", "photo_1.png")]
    assert sorted(p.name for p in out.iterdir()) == ["photo.png", "photo_1.json", "photo_1.png", "photo_2.json", "photo_2.png"]


def test_ocr_writes_its_outputs_atomically(tmp_path, monkeypatch):
    from ocr_lab.pipeline import ocr_files

    out = tmp_path / "out"
    ocr_files([photo(tmp_path / "photo.jpg")], out, scripted_pipeline())
    before = {p.name: p.read_bytes() for p in out.iterdir()}

    def crash(self, fp, *args, **kwargs):
        Path(fp).write_bytes(b"\x89PNG half")
        raise KeyboardInterrupt

    monkeypatch.setattr(Image.Image, "save", crash)
    with pytest.raises(KeyboardInterrupt):
        ocr_files([tmp_path / "photo.jpg"], out, scripted_pipeline(["OTHER"]))
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


# ----------------------------------------------------------------------------- one bad image in a batch

@pytest.fixture
def scripted_cli(monkeypatch):
    """The ocr verb with the scripted recognizer and a fake detector instead of the real models."""
    from ocr_lab import pipeline

    monkeypatch.setattr(pipeline, "_make_pipeline", lambda args: scripted_pipeline())


def test_one_bad_image_does_not_stop_the_others(tmp_path, capsys, scripted_cli):
    from ocr_lab.cli import main

    good_a, good_c = photo(tmp_path / "a.jpg"), photo(tmp_path / "c.jpg")
    bad = tmp_path / "bad.jpg"
    bad.write_text("not a photo")
    missing = tmp_path / "gone.jpg"
    out = tmp_path / "out"
    assert main(["ocr", str(good_a), str(bad), str(missing), str(good_c), "--out", str(out)]) == 1
    captured = capsys.readouterr()
    printed = json.loads(captured.out)
    assert [r["image"] for r in printed] == [str(p) for p in (good_a, bad, missing, good_c)]
    assert [("error" in r) for r in printed] == [False, True, True, False]
    errors = [line for line in captured.err.splitlines() if line.startswith("error: ")]
    assert len(errors) == 2 and str(bad) in errors[0] and "not an image" in errors[0] and str(missing) in errors[1]
    assert sorted(p.name for p in out.iterdir()) == ["a.json", "a.png", "c.json", "c.png"]


def test_ocr_into_a_folder_it_may_not_write_says_so_in_one_line(tmp_path, capsys, monkeypatch, scripted_cli):
    from ocr_lab.cli import main

    def denied(self, fp, *args, **kwargs):  # what the OS says in a read-only folder (tests run as root here)
        raise PermissionError(13, "Permission denied", str(fp))

    image = photo(tmp_path / "a.png")
    monkeypatch.setattr(Image.Image, "save", denied)
    assert main(["ocr", str(image), "--out", str(tmp_path / "readonly")]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and err.startswith("error: permission denied"), err
    assert f"permission denied: '{tmp_path / 'readonly' / 'a.png'}'" in err  # not a temporary name


def test_the_json_size_is_the_size_a_viewer_shows(tmp_path, kit):
    from ocr_lab.pipeline import ocr_files

    upright = Image.new("RGB", (320, 120), "white")
    path = tmp_path / "phone.jpg"
    path.write_bytes(kit.stored_sideways(upright))
    [record] = ocr_files([path], tmp_path / "out", scripted_pipeline())
    assert record["size"] == [320, 120]
    assert json.loads((tmp_path / "out" / "phone.json").read_text())["size"] == [320, 120]
    with Image.open(tmp_path / "out" / "phone.png") as annotated:
        assert annotated.size == (320, 120)


# ----------------------------------------------------------------------------- detection size and early errors

class RecordingDetector(FakeDetector):
    """A fake detector that remembers the size of every image it is given."""

    def __init__(self, boxes):
        super().__init__(boxes)
        self.sizes: list[tuple[int, int]] = []

    def detect(self, images):
        self.sizes += [np.asarray(img).shape[:2] for img in images]
        return super().detect(images)


@pytest.mark.parametrize("flag", [[], ["--detect-side", "500"], ["--detect-side", "2000"]],
                         ids=["default", "--detect-side 500", "--detect-side 2000"])
def test_the_detect_side_flag_sets_the_size_craft_sees(checkpoint, tmp_path, monkeypatch, flag):
    from ocr_lab import detect_onnx
    from ocr_lab.cli import main
    from ocr_lab.detect import MAX_DETECT_SIDE

    fake = RecordingDetector([rect(100, 100, 200, 150)])   # in the pixels of the image the detector sees
    monkeypatch.setattr(detect_onnx, "load_onnx_detector", lambda: fake)
    photo = tmp_path / "photo.png"
    Image.new("RGB", (1500, 1000), "white").save(photo)
    assert main(["ocr", str(photo), "--out", str(tmp_path / "out"), "--checkpoint", str(checkpoint),
                 "--min-confidence", "0", *flag]) == 0
    side = min(1500, int(flag[1]) if flag else MAX_DETECT_SIDE)   # a photo is shrunk, never enlarged
    assert fake.sizes == [(round(side * 2 / 3), side)]   # (boxes mapped back: tests/test_detect.py)


def test_a_detect_side_too_small_is_refused(tmp_path, capsys):
    from ocr_lab.cli import main

    with pytest.raises(SystemExit) as exit_info:
        main(["ocr", str(SAMPLES / "scene_0008.jpg"), "--out", str(tmp_path), "--detect-side", "10"])
    assert exit_info.value.code == 2 and "--detect-side: must be at least" in capsys.readouterr().err


@pytest.mark.parametrize("case", ["missing image", "--out is a file", "--out under a file"])
def test_argument_errors_come_before_the_models_load(tmp_path, case, kit):
    """A wrong path is reported at once: neither TensorFlow nor ONNX Runtime (seconds to import) is loaded."""
    a_file = tmp_path / "notes.txt"
    a_file.write_text("not a folder")
    image, out = str(SAMPLES / "scene_0008.jpg"), str(tmp_path / "out")
    if case == "missing image":
        image = str(tmp_path / "missing.jpg")
    elif case == "--out is a file":
        out = str(a_file)
    else:
        out = str(a_file / "out")
    done = kit.fresh_python("import sys\nfrom ocr_lab.cli import main\nprint(main(sys.argv[1:]))\n",
                            "ocr", image, "--out", out)
    assert done.stdout.strip() == "2", done.stderr
    assert done.heavy == []
    error = done.stderr.strip()
    assert error.startswith("error: ") and "\n" not in error
    assert (tmp_path / "missing.jpg" if case == "missing image" else a_file).name in error


def test_the_ocr_command_never_imports_tensorflow(tmp_path, kit):
    """`python -m ocr_lab ocr` reads a photo on ONNX Runtime alone: TensorFlow, tf-keras and keras-ocr stay unloaded.

    Importing them took most of the command's start-up time and memory (benchmarks/bench_speed.py).
    """
    code = ("import runpy, sys\nsys.argv = ['ocr_lab', *sys.argv[1:]]\n"
            "try:\n    runpy.run_module('ocr_lab', run_name='__main__')\n"
            "except SystemExit as done:\n    print('status', done.code)\n")
    done = kit.fresh_python(code, "ocr", str(SAMPLES / "scene_0008.jpg"), "--out", str(tmp_path),
                            cwd=SAMPLES.parent.parent)
    assert done.stdout.strip().splitlines()[-1] == "status 0", done.stderr[-3000:]
    assert done.heavy == ["onnxruntime"]
    words = json.loads((tmp_path / "scene_0008.json").read_text())["words"]
    assert "obit" in [w["text"] for w in words]  # and it still reads the photo, as printed, with the shipped checkpoint


def test_the_pipeline_loads_only_the_default_models_it_is_not_given(monkeypatch):
    """OCRPipeline(recognizer) keeps that recognizer and loads the shipped int8 detector, and the other way round."""
    from ocr_lab import detect_onnx, recognize_onnx
    from ocr_lab.checkpoint import OCR_CHECKPOINT

    loaded = []
    monkeypatch.setattr(detect_onnx, "load_onnx_detector", lambda: loaded.append("detector") or "int8 CRAFT")
    monkeypatch.setattr(recognize_onnx, "load_onnx_recognizer", lambda path: loaded.append(path) or "shipped CRNN")
    mine = object()
    assert (OCRPipeline(recognizer=mine).recognizer, loaded) == (mine, ["detector"])
    loaded.clear()
    assert (OCRPipeline(detector=mine).recognizer, loaded) == ("shipped CRNN", [OCR_CHECKPOINT])


# ----------------------------------------------------------------------------- a batch survives each image (issue 31)

def test_a_batch_survives_a_symlink_loop_a_memory_failure_and_a_full_disk(tmp_path, capsys, monkeypatch, scripted_cli):
    from onnxruntime.capi.onnxruntime_pybind11_state import RuntimeException

    from ocr_lab import pipeline
    from ocr_lab.cli import main

    first, big, crowded, last = (photo(tmp_path / f"{name}.jpg") for name in ("first", "big", "crowded", "last"))
    loop = tmp_path / "loop.jpg"
    loop.symlink_to(loop)
    real_run, real_write = OCRPipeline.run, pipeline.atomic_write

    def run(self, image):
        if Path(image).name == "big.jpg":
            raise RuntimeException("[ONNXRuntimeError] : 6 : RUNTIME_EXCEPTION : Failed to allocate memory for "
                                   "requested buffer of size 7516192768")
        return real_run(self, image)

    def write(path, fill):
        if Path(path).name == "crowded.png":
            raise OSError(28, "No space left on device", str(path))
        return real_write(path, fill)

    monkeypatch.setattr(OCRPipeline, "run", run)
    monkeypatch.setattr(pipeline, "atomic_write", write)
    out = tmp_path / "out"
    assert main(["ocr", str(first), str(loop), str(big), str(crowded), str(last), "--out", str(out)]) == 1
    captured = capsys.readouterr()
    printed = json.loads(captured.out)
    assert [("error" in r) for r in printed] == [False, True, True, True, False]
    errors = [line for line in captured.err.splitlines() if line.startswith("error: ")]
    assert len(errors) == 3
    assert str(loop) in errors[0] and "symbolic link" in errors[0]
    assert str(big) in errors[1] and "ONNX Runtime failed" in errors[1] and "allocate memory" in errors[1]
    assert str(crowded) in errors[2] and "no space left on the disk" in errors[2]
    assert "2 of 5 images read; 3 could not be" in captured.err
    assert sorted(p.name for p in out.iterdir()) == ["first.json", "first.png", "last.json", "last.png"]


def test_ctrl_c_in_ocr_exits_130_saying_what_was_kept(tmp_path, capsys, monkeypatch, scripted_cli):
    from ocr_lab.cli import main

    first, second = photo(tmp_path / "first.jpg"), photo(tmp_path / "second.jpg")
    real_run = OCRPipeline.run

    def run(self, image):
        if Path(image).name == "second.jpg":
            raise KeyboardInterrupt
        return real_run(self, image)

    monkeypatch.setattr(OCRPipeline, "run", run)
    out = tmp_path / "out"
    assert main(["ocr", str(first), str(second), "--out", str(out)]) == 130
    err = capsys.readouterr().err
    assert err.startswith(f"interrupted: the results of the images read so far are in {str(out)!r}") and err.count("\n") == 1
    assert sorted(p.name for p in out.iterdir()) == ["first.json", "first.png"]


@pytest.mark.parametrize("case", ["a symlink loop", "a regular file"])
def test_out_that_cannot_be_a_folder_is_named_for_what_it_is(tmp_path, capsys, case):
    from ocr_lab.cli import main

    out = tmp_path / "out"
    if case == "a symlink loop":
        out.symlink_to(out)
        expected = f"error: {str(out)!r} is a symbolic link that leads nowhere"
    else:
        out.write_text("my notes")
        expected = f"error: --out {str(out)!r} is a file; give a folder"
    assert main(["ocr", str(photo(tmp_path / "a.jpg")), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(expected) and err.count("\n") == 1 and "file exists" not in err, err


def test_min_confidence_nan_is_refused_not_a_silent_empty_result(tmp_path, capsys, scripted_cli):
    from ocr_lab.cli import main

    assert main(["ocr", str(photo(tmp_path / "a.jpg")), "--out", str(tmp_path / "out"), "--min-confidence", "nan"]) == 2
    assert capsys.readouterr().err == "error: --min-confidence must be a finite number, got nan\n"
    with pytest.raises(ValueError, match="--min-confidence must be between 0 and 1, got 2"):
        OCRPipeline(ScriptedRecognizer([]), FakeDetector([]), min_confidence=2)


@pytest.mark.parametrize("fmt", ["GIF", "TIFF"])
def test_an_animation_or_a_multi_page_file_says_only_its_first_frame_was_read(tmp_path, capsys, scripted_cli, fmt):
    from ocr_lab.cli import main

    pages = [Image.new("RGB", (320, 120), colour) for colour in ("white", "yellow", "pink")]
    path = tmp_path / f"pages.{fmt.lower()}"
    pages[0].save(path, format=fmt, save_all=True, append_images=pages[1:])
    assert main(["ocr", str(path), "--out", str(tmp_path / "out")]) == 0
    [record] = json.loads(capsys.readouterr().out)
    assert record["frames"] == 3 and "only the first was read" in record["note"]
    assert json.loads((tmp_path / "out" / "pages.json").read_text())["frames"] == 3
    photo(tmp_path / "one.png")
    assert main(["ocr", str(tmp_path / "one.png"), "--out", str(tmp_path / "out")]) == 0
    assert "frames" not in json.loads(capsys.readouterr().out)[0]


@pytest.mark.parametrize("content", [b"caf\xe9\nstra\xdfe\n", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"],
                         ids=["latin-1", "binary"])
def test_a_word_file_that_is_not_utf8_text_is_named(tmp_path, capsys, content):
    from ocr_lab.cli import main

    words = tmp_path / "words.txt"
    words.write_bytes(content)
    assert main(["ocr", str(photo(tmp_path / "a.jpg")), "--out", str(tmp_path / "out"), "--lexicon", str(words)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"error: the lexicon {str(words)!r} is not UTF-8 text") and err.count("\n") == 1, err
