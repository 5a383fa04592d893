"""ocr_lab.checks: a right answer passes, each kind of wrong answer gets its own message."""
import hashlib

import numpy as np
import pytest
from nbformat.v4 import new_code_cell, new_notebook, new_output
from PIL import Image, ImageDraw

from ocr_lab import checks
from ocr_lab.detect import detect_text as reference_detect_text
from ocr_lab.detect import load_detector
from ocr_lab.pipeline import recognize_img as reference_recognize_img
from ocr_lab.train import load_recognizer


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

def good_detect(img_path, detector):
    return reference_detect_text(img_path, detector)


def lecture_detect(img_path, detector, margin=5, from_annotated=False, draw=True, keep=None):
    """The lecture's detect_text, with knobs to make it wrong in the usual ways."""
    img_pil = Image.open(img_path).convert("RGB")
    ocr_result = detector.detect([np.asarray(img_pil)])[0]
    result_img = img_pil.copy()
    img_draw = ImageDraw.Draw(result_img)
    cropped = []
    for box in ocr_result[:keep]:
        if draw:
            img_draw.polygon([tuple(p) for p in box], outline="red", width=2)
        word_box = (box[:, 0].min() - margin, box[:, 1].min() - margin, box[:, 0].max() + margin,
                    box[:, 1].max() + margin)
        cropped.append((result_img if from_annotated else img_pil).crop(word_box))
    return result_img, cropped


def test_a_right_detect_text_passes(detector):
    result = checks.evaluate_detect_text(good_detect, detector)
    assert result.passed, result.message
    assert result.details["crops"] >= 3


def test_the_lecture_signature_with_one_argument_is_accepted(detector):
    assert checks.evaluate_detect_text(lambda img_path: lecture_detect(img_path, detector), detector).passed


@pytest.mark.parametrize("wrong, message", [
    (lambda p, d: (_ for _ in ()).throw(NotImplementedError("your code here")), "not written yet"),
    (lambda p, d: good_detect(p, d)[1], "should return a pair (annotated image, list of crops)"),
    (lambda p, d: (np.asarray(Image.open(p)), good_detect(p, d)[1]), "should be the annotated PIL image"),
    (lambda p, d: (good_detect(p, d)[0], [np.asarray(c) for c in good_detect(p, d)[1]]), "should be a list of PIL images"),
    (lambda p, d: lecture_detect(p, d, keep=-1), "so detect_text should return"),
    (lambda p, d: lecture_detect(p, d, draw=False), "identical to the input"),
    (lambda p, d: lecture_detect(p, d, margin=0), "the size of the box itself: add the 5-pixel margin"),
    (lambda p, d: lecture_detect(p, d, from_annotated=True), "red box lines"),
    (lambda p, d: (Image.open(p).convert("RGB").resize((10, 10)), []), "the annotated image is 10x10 px"),
])
def test_a_wrong_detect_text_gets_a_specific_message(detector, wrong, message):
    result = checks.evaluate_detect_text(wrong, detector)
    assert not result.passed
    assert message in result.message


def test_detect_text_must_handle_an_image_without_text(detector):
    def crashes_on_blank(img_path, detector):
        out = good_detect(img_path, detector)
        if not out[1]:
            raise IndexError("list index out of range")
        return out

    result = checks.evaluate_detect_text(crashes_on_blank, detector)
    assert not result.passed and "on an image without text detect_text raised IndexError" in result.message


def test_crops_of_the_wrong_place_are_caught(detector):
    def shifted(img_path, detector):
        annotated, crops = good_detect(img_path, detector)
        img = Image.open(img_path).convert("RGB")
        return annotated, [img.crop((0, 0, c.width, c.height)) for c in crops]

    result = checks.evaluate_detect_text(shifted, detector)
    assert not result.passed and "does not show the pixels inside box" in result.message


# ----------------------------------------------------------------------------- recognize_img

def test_a_right_recognize_img_passes(model_pred):
    result = checks.evaluate_recognize_img(reference_recognize_img, model_pred)
    assert result.passed, result.message


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


def _read(model_pred, batch):
    from ocr_lab.decode import decode_predict_ctc

    return decode_predict_ctc(model_pred.predict(batch, verbose=0))


@pytest.mark.parametrize("wrong, message", [
    (lambda img, m: (_ for _ in ()).throw(NotImplementedError()), "not written yet"),
    (lambda img, m: _read(m, _preprocess(img)), "return one string"),
    (lambda img, m: print(_read(m, _preprocess(img))[0]), "Did you print the text instead of returning it?"),
    (lambda img, m: _read(m, _preprocess(img, cap=False))[0], "cap the width at 100"),
    (lambda img, m: _read(m, _preprocess(img, scale=1 / 255))[0], "read wrong (expected -> got)"),
    (lambda img, m: _read(m, _preprocess(img, width_first=False))[0], "wants a float32 batch of shape (1, 100, 32, 3)"),
    (lambda img, m: "-".join(_read(m, _preprocess(img))[0]), "the '-' is the CTC blank"),
])
def test_a_wrong_recognize_img_gets_a_specific_message(model_pred, wrong, message):
    result = checks.evaluate_recognize_img(wrong, model_pred)
    assert not result.passed
    assert message in result.message


# ----------------------------------------------------------------------------- end to end

def test_end_to_end_reads_the_sample_photo(detector, model_pred):
    result = checks.evaluate_end_to_end(good_detect, reference_recognize_img, detector, model_pred)
    assert result.passed, result.message
    assert result.details["correct"] >= 1 and result.details["words"]


def test_end_to_end_fails_when_nothing_is_read(detector, model_pred):
    result = checks.evaluate_end_to_end(good_detect, lambda img, m: "", detector, model_pred)
    assert not result.passed and "read 0 of the" in result.message


# ----------------------------------------------------------------------------- reporting

def test_report_shows_the_result_and_raises_on_failure(capsys):
    ok = checks.CheckResult("detect_text", True, "fine")
    assert checks.report(ok) is ok
    assert "✔ detect_text: passed. fine" in capsys.readouterr().out
    with pytest.raises(checks.CheckFailed, match="recognize_img: expected 'A', got 'B'"):
        checks.report(checks.CheckResult("recognize_img", False, "expected 'A', got 'B'"))


def test_results_are_machine_readable_in_notebook_outputs():
    first = checks.CheckResult("detect_text", False, "wrong")._repr_mimebundle_()
    second = checks.CheckResult("detect_text", True, "right", {"crops": 6})._repr_mimebundle_()
    assert first["text/plain"].startswith("✘ detect_text: FAILED.")
    nb = new_notebook(cells=[new_code_cell("", outputs=[new_output("display_data", data=first)]),
                             new_code_cell("", outputs=[new_output("display_data", data=second)])])
    found = checks.results_in(nb)
    assert found == {"detect_text": {"check": "detect_text", "passed": True, "message": "right",
                                     "details": {"crops": 6}}}


def test_check_failed_renders_as_one_line_in_ipython():
    err = checks.CheckFailed(checks.CheckResult("end_to_end", False, "read 0 of 8"))
    assert len(err._render_traceback_()) == 1
