"""Notebook 05's checks (ocr_lab.course.checks.inference): the solution passes, the blank fails, and the plausible
mistakes (the lecture's among them) each get their own message."""
import numpy as np
import pytest

from ocr_lab.course import checks
from ocr_lab.course.checks import inference
from ocr_lab.labels import TARGET_CHARACTERS


def decode_solution(y_pred, characters=TARGET_CHARACTERS):
    texts = []
    for best in np.asarray(y_pred).argmax(-1):
        merged = [c for t, c in enumerate(best) if t == 0 or c != best[t - 1]]
        texts.append("".join(characters[c - 1] for c in merged if c != 0))
    return texts


def decode_blank(y_pred, characters=TARGET_CHARACTERS):
    raise NotImplementedError("your code here")


def decode_blanks_first(y_pred, characters=TARGET_CHARACTERS):
    """Drops the blanks, then merges: what the lecture's K.ctc_decode did to double letters."""
    texts = []
    for best in np.asarray(y_pred).argmax(-1):
        kept = [c for c in best if c != 0]
        texts.append("".join(characters[c - 1] for t, c in enumerate(kept) if t == 0 or c != kept[t - 1]))
    return texts


def decode_no_merge(y_pred, characters=TARGET_CHARACTERS):
    return ["".join(characters[c - 1] for c in best if c != 0) for best in np.asarray(y_pred).argmax(-1)]


def decode_off_by_one(y_pred, characters=TARGET_CHARACTERS):
    """The lecture's chars='-' + ... habit, without the '-': class i read as characters[i]."""
    texts = []
    for best in np.asarray(y_pred).argmax(-1):
        merged = [c for t, c in enumerate(best) if t == 0 or c != best[t - 1]]
        texts.append("".join(characters[c] if c < len(characters) else "?" for c in merged if c != 0))
    return texts


def decode_blank_kept(y_pred, characters=TARGET_CHARACTERS):
    chars = "-" + characters
    return ["".join(chars[c] for t, c in enumerate(best) if t == 0 or c != best[t - 1])
            for best in np.asarray(y_pred).argmax(-1)]


def decode_first_only(y_pred, characters=TARGET_CHARACTERS):
    return decode_solution(y_pred, characters)[:1]


def test_the_solution_decoder_passes_and_so_does_the_package_s():
    assert checks.evaluate_decode_predict_ctc(decode_solution).passed
    from ocr_lab.decode import greedy_decode

    exam = inference.make_decode_exam(3)
    for charset, paths, y in zip(exam.charsets, exam.paths, exam.y_pred):
        assert greedy_decode(y, charset)[0] == [inference.collapse(p) for p in paths]


def test_the_blank_decoder_fails_as_not_written():
    result = checks.evaluate_decode_predict_ctc(decode_blank)
    assert not result.passed and "not written yet" in result.message


@pytest.mark.parametrize("wrong, words", [
    (decode_blanks_first, "dropped before the repeats were merged"), (decode_no_merge, "Merge repeated classes"),
    (decode_off_by_one, "characters[i - 1]"), (decode_blank_kept, "drop the blanks"),
    (decode_first_only, "the first image"), (lambda y, c: decode_solution(y, c)[0], "one str")])
def test_a_wrong_decoder_is_told_its_mistake(wrong, words):
    result = checks.evaluate_decode_predict_ctc(wrong)
    assert not result.passed and words in result.message, result.message


def test_the_decode_exam_has_double_letters_and_two_lengths():
    exam = inference.make_decode_exam(11)
    assert [y.shape[1] for y in exam.y_pred] == [24, 49] and exam.charsets[1] != TARGET_CHARACTERS
    assert all(any(a == b for a, b in zip(w, w[1:])) for w in (inference.collapse(p) for p in exam.paths[0]))


# ----------------------------------------------------------------------------- check_inference

def inference_solution(model, dataset, index=5):
    return [decode_solution(model.predict(dataset[i][0]["input_image"][0:1]))[0] for i in range(index)]


def inference_blank(model, dataset, index=5):
    raise NotImplementedError("your code here")


model_pred = inference.CodeModel()  # a global, as the lecture's notebook had


def inference_global(model, dataset, index=5):
    """The lecture's bug: the global model_pred, never the argument."""
    return [decode_solution(model_pred.predict(dataset[i][0]["input_image"][0:1]))[0] for i in range(index)]


def inference_prints(model, dataset, index=5):
    for i in range(index):
        print("Result: \t", decode_solution(model.predict(dataset[i][0]["input_image"][0:1]))[0])


def inference_from_one(model, dataset, index=5):
    return [decode_solution(model.predict(dataset[i][0]["input_image"][0:1]))[0] for i in range(1, index + 1)]


def inference_default_index(model, dataset, index=5):
    return inference_solution(model, dataset, 5)


def test_the_solution_inference_passes():
    result = checks.evaluate_check_inference(inference_solution)
    assert result.passed, result.message


def test_the_blank_inference_fails_as_not_written():
    assert "not written yet" in checks.evaluate_check_inference(inference_blank).message


@pytest.mark.parametrize("wrong, words", [
    (inference_global, "global model_pred"), (inference_prints, "returned None"), (inference_from_one, "dataset[1]"),
    (inference_default_index, "asked for index=")])
def test_a_wrong_inference_is_told_its_mistake(wrong, words):
    result = checks.evaluate_check_inference(wrong)
    assert not result.passed and words in result.message, result.message


def test_the_package_s_check_inference_is_the_fallback_and_a_reference(capsys):
    assert checks.yours_or_ours("check_inference", inference_global) is inference.check_inference
    assert "global model_pred" in capsys.readouterr().out
    result = checks.evaluate_check_inference(lambda m, d, i=5: inference.check_inference(m, d, i))
    assert not result.passed and "reference implementation" in result.message
