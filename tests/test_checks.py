"""ocr_lab.checks: a right answer passes in any of its fair forms, each kind of wrong answer gets a message
that names its real cause, every message is short, and the course's own answers are refused."""
import hashlib
import os

import numpy as np
import pytest
from PIL import Image, ImageDraw

from ocr_lab.course import answers, checks
from ocr_lab.decode import decode_predict_ctc
from ocr_lab.detect import detect_text as reference_detect_text
from ocr_lab.detect import load_detector
from ocr_lab.labels import TARGET_CHARACTERS
from ocr_lab.pipeline import recognize_img as reference_recognize_img
from ocr_lab.checkpoint import load_recognizer


class MemoDetector:
    """CRAFT, run once per distinct image: the wrong answers below reuse the same scene."""

    def __init__(self, detector):
        self.detector, self.cache = detector, {}

    def detect(self, images):
        out = []
        for image in images:
            image = np.ascontiguousarray(image)
            key = hashlib.sha1(image.tobytes() + str(image.shape).encode()).hexdigest()
            if key not in self.cache:
                self.cache[key] = self.detector.detect([image])[0]
            out.append(self.cache[key])
        return out


@pytest.fixture(scope="module")
def detector():
    return MemoDetector(load_detector())


@pytest.fixture(scope="module")
def model_pred():
    return load_recognizer().model


# ----------------------------------------------------------------------------- detect_text

def lecture_detect(img_path, detector, margin=5, from_annotated=False, draw=True, keep=None, warp=False,
                   reverse=False, swap=False):
    """The lecture's detect_text, with knobs to make it differ in the usual ways, fair or not."""
    img_pil = Image.open(img_path).convert("RGB")
    ocr_result = detector.detect([np.asarray(img_pil)])[0]
    result_img = img_pil.copy()
    img_draw = ImageDraw.Draw(result_img)
    cropped = []
    for box in ocr_result[:keep]:
        if draw:
            img_draw.polygon([tuple(p) for p in box], outline="red", width=2)
        if warp:
            from keras_ocr.tools import warpBox

            cropped.append(Image.fromarray(warpBox(np.asarray(img_pil), box, margin=margin)))
            continue
        xs, ys = (box[:, 1], box[:, 0]) if swap else (box[:, 0], box[:, 1])
        word_box = (max(xs.min() - margin, 0), max(ys.min() - margin, 0), min(xs.max() + margin, img_pil.width),
                    min(ys.max() + margin, img_pil.height))
        cropped.append((result_img if from_annotated else img_pil).crop(word_box))
    return result_img, cropped[::-1] if reverse else cropped


@pytest.mark.parametrize("fair", [
    lambda p, d: lecture_detect(p, d),
    lambda p, d: lecture_detect(p, d, margin=0),
    lambda p, d: lecture_detect(p, d, reverse=True),
    lambda p, d: lecture_detect(p, d, warp=True),
    lambda p, d: lecture_detect(p, d, warp=True, margin=5, reverse=True),
], ids=["lecture", "no margin", "any order", "warped", "warped with margin, reversed"])
def test_every_fair_detect_text_passes(detector, fair):
    result = checks.evaluate_detect_text(fair, detector)
    assert result.passed, result.message
    assert result.details["crops"] >= 3


def test_the_lecture_signature_with_one_argument_is_accepted(detector):
    assert checks.evaluate_detect_text(lambda img_path: lecture_detect(img_path, detector), detector).passed


@pytest.mark.parametrize("wrong, message", [
    (lambda p, d: (_ for _ in ()).throw(NotImplementedError("your code here")), "not written yet"),
    (lambda p, d: lecture_detect(p, d)[1], "should return a pair (annotated image, list of crops)"),
    (lambda p, d: (np.asarray(Image.open(p)), lecture_detect(p, d)[1]), "should be the annotated PIL image"),
    (lambda p, d: (lecture_detect(p, d)[0], [np.asarray(c) for c in lecture_detect(p, d)[1]]),
     "should be a list of PIL images"),
    (lambda p, d: lecture_detect(p, d, keep=1), "one crop per box"),
    (lambda p, d: lecture_detect(p, d, draw=False), "identical to the input"),
    (lambda p, d: lecture_detect(p, d, from_annotated=True), "crop 0 has the box lines in it: cut the crops from"),
    (lambda p, d: (Image.open(p).convert("RGB").resize((10, 10)), []), "the annotated image is 10x10 px"),
    (lambda p, d: (lecture_detect(p, d)[0], [c.resize((c.width * 2, c.height * 2)) for c in lecture_detect(p, d)[1]]),
     "shows no part of the input image"),
    (lambda p, d: (lecture_detect(p, d)[0], [Image.open(p).convert("RGB")]), "much larger than them"),
    (lambda p, d: lecture_detect(p, d, swap=True), "x and y"),
])
def test_a_wrong_detect_text_gets_a_message_that_names_the_cause(detector, wrong, message):
    result = checks.evaluate_detect_text(wrong, detector)
    assert not result.passed
    assert message in result.message, result.message
    assert "margin" not in result.message or "small margin" in result.message  # never the old false hint


def test_detect_text_must_handle_an_image_without_text(detector):
    def crashes_on_blank(img_path, detector):
        out = lecture_detect(img_path, detector)
        if not out[1]:
            raise IndexError("list index out of range")
        return out

    result = checks.evaluate_detect_text(crashes_on_blank, detector)
    assert not result.passed and "on an image without text detect_text raised IndexError" in result.message


def test_crops_of_the_wrong_place_are_caught(detector):
    def corner(img_path, detector):
        annotated, crops = lecture_detect(img_path, detector)
        img = Image.open(img_path).convert("RGB")
        return annotated, [img.crop((img.width - c.width, img.height - c.height, img.width, img.height)) for c in crops]

    result = checks.evaluate_detect_text(corner, detector)
    assert not result.passed and "where there is no word" in result.message, result.message


# ----------------------------------------------------------------------------- recognize_img

def _preprocess(pil_img, cap=True, width_first=True, scale=1.0):
    w, h = pil_img.size
    tw = max(1, int(w * 32 / h))
    tw = min(tw, 100) if cap else tw
    img = np.array(pil_img.convert("RGB").resize((tw, 32)), dtype=np.float32) * scale
    batch = np.zeros((1, 100, 32, 3) if width_first else (1, 32, 100, 3), np.float32)
    if width_first:
        batch[0, :tw] = img.transpose(1, 0, 2)
    else:
        batch[0, :, :tw] = img
    return batch


def _read(model_pred, batch, characters=TARGET_CHARACTERS):
    return decode_predict_ctc(model_pred.predict(batch, verbose=0), characters)


def test_the_recognize_exam_draws_clean_crops():
    """Every effect of the generator is off for the exam's crops, also those a later generator adds
    (v8's circles drew "clean" exam crops until this was so): flat background, no neighbours, no warp."""
    from ocr_lab import synth

    params = checks.clean_render_params()
    effects = [name for name in synth.AUGMENT if name.endswith("_prob") and not name.startswith("plain_")]
    assert len(effects) > 30 and all(params[name] == 0.0 for name in effects)
    for i in range(12):
        crop = np.asarray(synth.render_word("HOTEL", checks._recognize_font(), np.random.default_rng([7, 3, i]),
                                            height=32, params=params)).reshape(-1, 3)
        _, counts = np.unique(crop, axis=0, return_counts=True)
        assert counts.max() > 0.4 * len(crop)  # one flat background colour, not a texture, a photo or noise


def test_a_right_recognize_img_passes(model_pred):
    result = checks.evaluate_recognize_img(lambda img, m: _read(m, _preprocess(img))[0], model_pred)
    assert result.passed, result.message


@pytest.mark.parametrize("wrong, message", [
    (lambda img, m: (_ for _ in ()).throw(NotImplementedError()), "not written yet"),
    (lambda img, m: _read(m, _preprocess(img)), "return one string"),
    (lambda img, m: print(_read(m, _preprocess(img))[0]), "Did you print the text instead of returning it?"),
    (lambda img, m: _read(m, _preprocess(img, cap=False))[0], "cap the width at 100"),
    (lambda img, m: _read(m, _preprocess(img, scale=1 / 255))[0], "read wrong (expected -> got)"),
    (lambda img, m: _read(m, _preprocess(img, width_first=False))[0], "wants a float32 batch of shape (1, 100, 32, 3)"),
    (lambda img, m: "-".join(_read(m, _preprocess(img))[0]), "the '-' is the CTC blank"),
    (lambda img, m: _read(m, _preprocess(img), "-" + TARGET_CHARACTERS)[0], "the lecture's decode_predict_ctc(out, chars='-' + TARGET_CHARACTERS)"),
    (lambda img, m: m.predict(_preprocess(img), verbose=0), "it returned a numpy array of shape (1, "),
])
def test_a_wrong_recognize_img_gets_a_message_that_names_the_cause(model_pred, wrong, message):
    result = checks.evaluate_recognize_img(wrong, model_pred)
    assert not result.passed
    assert message in result.message, result.message


def test_a_huge_wrong_return_gets_a_short_message(model_pred):
    result = checks.evaluate_recognize_img(lambda img, m: [m.predict(_preprocess(img), verbose=0)] * 8 + ["x" * 10**6],
                                           model_pred)
    assert not result.passed and len(result.message) <= checks.MESSAGE_LIMIT
    steps = model_pred.output_shape[1]
    assert f"a list of 9 (a numpy array of shape (1, {steps}, 37), float32" in result.message


# ----------------------------------------------------------------------------- the course's own answers

def test_the_reference_is_refused_even_under_another_name(detector, model_pred):
    from ocr_lab.detect import detect_boxes as imported_before

    result = checks.evaluate_detect_text(lambda p, d: reference_detect_text(p, d), detector)
    assert not result.passed and checks.STANDIN_MESSAGE in result.message
    assert "ocr_lab.detect.detect_text" in result.message

    def with_detect_boxes(img_path, detector):
        img, boxes = imported_before(img_path, detector)
        return lecture_detect(img_path, detector)

    result = checks.evaluate_detect_text(with_detect_boxes, detector)
    assert not result.passed and "ocr_lab.detect.detect_boxes" in result.message

    def swallows(img, m):
        try:
            return reference_recognize_img(img, m)
        except Exception:  # the stand-in is not an Exception: it gets through
            return "HELLO"

    result = checks.evaluate_recognize_img(swallows, model_pred)
    assert not result.passed and "ocr_lab.pipeline.recognize_img" in result.message
    # outside an exam the reference works again
    assert reference_detect_text(checks.sample_photo(), detector)[1]


def test_standins_swap_the_code_and_put_it_back():
    from ocr_lab import pipeline

    code = pipeline.recognize.__code__
    with answers.reference_standins() as calls:
        with pytest.raises(answers.ReferenceCalled):
            pipeline.recognize([], None)
        assert calls == ["ocr_lab.pipeline.recognize"]
    assert pipeline.recognize.__code__ is code and pipeline.recognize([], None) == []


# ----------------------------------------------------------------------------- end to end

def test_end_to_end_reads_a_generated_scene(detector, model_pred):
    result = checks.evaluate_end_to_end(lecture_detect, lambda img, m: _read(m, _preprocess(img))[0], detector,
                                        model_pred)
    assert result.passed, result.message
    assert result.details["correct"] >= 2 and result.details["words"]


def test_end_to_end_fails_when_nothing_is_read(detector, model_pred):
    result = checks.evaluate_end_to_end(lecture_detect, lambda img, m: "", detector, model_pred)
    assert not result.passed and "read 0 of the" in result.message


def test_end_to_end_asks_for_80_percent_of_the_reference_rounded_down():
    """A 3-word scene that ocr_lab reads whole: 2 of 3 pass (one slip of a lecture-style crop), 1 of 3 does not."""
    exam = checks.EndToEndExam(Image.new("RGB", (64, 48)), ["UNPUNISHED", "SUBSCRIPT", "LIMICOLINE"],
                               ["LIMICOLINE", "SUBSCRIPT", "UNPUNISHED"])
    slip = checks.score_end_to_end(exam, {"scene": answers.Call(value=["LIMICOLINE", "SUBSCRIPT", "UNPUMISHED"])}, "en")
    assert slip.passed and slip.details["correct"] == 2
    one = checks.score_end_to_end(exam, {"scene": answers.Call(value=["LIMICOLINE"])}, "en")
    assert not one.passed and "At least 2 should be read" in one.message
    five = checks.EndToEndExam(exam.image, ["A1", "B2", "C3", "D4", "E5"], ["A1", "B2", "C3", "D4", "E5"])
    assert not checks.score_end_to_end(five, {"scene": answers.Call(value=["A1", "B2", "C3"])}, "en").passed


# ----------------------------------------------------------------------------- answers read from files

def test_answers_are_read_without_following_links_or_blocking(tmp_path):
    (tmp_path / "secret.json").write_text('{"calls": {}}')
    os.symlink(tmp_path / "secret.json", tmp_path / "result.json")
    with pytest.raises(ValueError, match="could not be read"):
        answers.read_answers(tmp_path)
    fifo = tmp_path / "fifo"
    fifo.mkdir()
    os.mkfifo(fifo / "result.json")
    with pytest.raises(ValueError, match="could not be read"):
        answers.read_answers(fifo)


def test_a_forged_answer_file_is_described_not_trusted(tmp_path):
    big = {"kind": "list", "length": 10**9, "items": [{"kind": "array", "shape": [10**6, 37], "dtype": "float32"}]}
    (tmp_path / "result.json").write_text('{"calls": {"scene": {"value": %s, "error": null}}}'
                                          % str(big).replace("'", '"'))
    call = answers.read_answers(tmp_path)["scene"]
    assert isinstance(call.value, answers.Opaque)
    assert answers.describe(call.value).startswith("a list of 1000000000")


# ----------------------------------------------------------------------------- reporting

def test_report_shows_the_result_and_raises_on_failure(capsys):
    ok = checks.CheckResult("detect_text", True, "fine")
    assert checks.report(ok) is ok
    assert "✔ detect_text: passed. fine" in capsys.readouterr().out
    with pytest.raises(checks.CheckFailed, match="recognize_img: expected 'A', got 'B'"):
        checks.report(checks.CheckResult("recognize_img", False, "expected 'A', got 'B'"))


def test_every_message_is_capped():
    assert len(checks.CheckResult("end_to_end", False, "x" * 100_000).message) == checks.MESSAGE_LIMIT


def test_check_cells_stand_aside_while_grading(monkeypatch, capsys):
    monkeypatch.setenv(checks.GRADING_ENV, "1")
    checks.check_detect_text(lambda p, d: None)  # would fail, and would need the detector, outside grading
    assert "checked by the grader" in capsys.readouterr().out


def test_check_failed_renders_as_one_line_in_ipython():
    err = checks.CheckFailed(checks.CheckResult("end_to_end", False, "read 0 of 8"))
    assert len(err._render_traceback_()) == 1


# ----------------------------------------------------------------------------- the table

def test_every_check_is_one_whole_record_with_its_messages_in_both_languages():
    from ocr_lab.course import messages

    assert [c.name for c in checks.of_notebook("06_end_to_end")] == ["detect_text", "recognize_img", "end_to_end"]
    for name, check in checks.CHECKS.items():
        assert check.name == name and check.notebook in checks.EXERCISES
        assert check.functions and set(check.needs) <= set(answers.Models.NAMES)
        for field in ("make_exam", "write_inputs", "inputs", "call", "score"):
            assert callable(getattr(check, field)), (name, field)
        keys = [k for k in messages.CATALOGUE if k.startswith(check.messages)]
        assert keys and all(set(messages.CATALOGUE[k]) == {"en", "ko"} for k in keys), name
        assert check.rubric("en") != check.rubric("ko")
    assert sum((checks.of_notebook(n) for n in checks.EXERCISES), []) == list(checks.CHECKS.values())


def test_a_new_check_is_one_record(tmp_path):
    """A check made of nothing but a record runs through the same machinery as the three of notebook 06."""
    from ocr_lab.course.checks.cells import evaluate
    from ocr_lab.course.checks.record import Check, CheckResult

    def write(exam, folder):
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "a.txt").write_text(exam["text"])

    double = Check("double", "99_test", functions=("double",), needs=(),
                   make_exam=lambda seed, models: {"text": str(seed)}, write_inputs=write,
                   inputs=lambda folder: {"a": folder / "a.txt"},
                   call=lambda functions, path, models: functions["double"](path.read_text()),
                   score=lambda exam, calls, lang=None: CheckResult("double", calls["a"].value == exam["text"] * 2,
                                                                    "ok"), messages="detect.")
    assert evaluate(double, {"double": lambda s: s * 2}, answers.Models(), seed=12).passed
    assert not evaluate(double, {"double": lambda s: s}, answers.Models(), seed=12).passed
