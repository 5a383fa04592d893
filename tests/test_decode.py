"""Decode: greedy and beam CTC decoding of hand-made probability matrices (blank = class 0)."""
import numpy as np
import pytest

from ocr_lab.decode import beam_decode, decode_predict_ctc, greedy_decode
from ocr_lab.labels import TARGET_CHARACTERS, LabelConverter

CONVERTER = LabelConverter(TARGET_CHARACTERS)
NUM_CLASSES = len(TARGET_CHARACTERS) + 1


def path_probs(path: str, p: float = 0.9, num_classes: int = NUM_CLASSES) -> np.ndarray:
    """(time, classes) softmax whose best path spells `path` ('-' is the blank), with
    probability `p` on the path and the rest spread evenly over the other classes."""
    probs = np.full([len(path), num_classes], (1 - p) / (num_classes - 1), dtype=np.float32)
    for t, ch in enumerate(path):
        probs[t, CONVERTER.label_map[ch]] = p
    return probs


def batch(*paths: str) -> np.ndarray:
    length = max(len(p) for p in paths)
    return np.stack([path_probs(p.ljust(length, "-")) for p in paths])


# ----------------------------------------------------------------------------- greedy

def test_greedy_merges_repeats_and_drops_blanks():
    assert decode_predict_ctc(batch("HH-EL-LLO")) == ["HELLO"]
    assert decode_predict_ctc(batch("--HHHEEELLL---LLLOO--")) == ["HELLO"]


def test_greedy_needs_a_blank_between_repeated_letters():
    assert decode_predict_ctc(batch("LL")) == ["L"]
    assert decode_predict_ctc(batch("L-L")) == ["LL"]
    assert decode_predict_ctc(batch("A-A-A")) == ["AAA"]


def test_greedy_maps_the_first_and_last_classes():
    # class 1 is 'A', class 36 (the last) is '9'; an off-by-one would shift both
    assert decode_predict_ctc(batch("A-Z09")) == ["AZ09"]


def test_greedy_confidence_is_the_best_path_probability():
    y = np.zeros([1, 3, NUM_CLASSES], dtype=np.float32)
    y[0, :, 0] = [0.5, 0.2, 0.9]
    y[0, :, 1] = [0.5, 0.8, 0.1]  # 'A' wins step 1; ties at step 0 go to the blank (argmax)
    texts, confidences = greedy_decode(y)
    assert texts == ["A"]
    assert confidences[0] == pytest.approx(0.5 * 0.8 * 0.9)


def test_greedy_decodes_every_row_including_all_blank():
    y = batch("C-A-T", "-----", "D-O-G", "-----")
    texts, confidences = greedy_decode(y)
    assert texts == ["CAT", "", "DOG", ""]
    assert confidences.shape == (4,)


# ----------------------------------------------------------------------------- beam

def test_beam_prefers_the_most_probable_labelling_over_the_best_path():
    # Two steps, P(blank) = 0.6 and P('A') = 0.4 at each. The best single path is
    # "--" (0.36), so greedy says "". But "A" has three paths, AA + A- + -A =
    # 0.16 + 0.24 + 0.24 = 0.64, so the most probable labelling is "A".
    y = np.zeros([1, 2, NUM_CLASSES], dtype=np.float32)
    y[0, :, 0] = 0.6
    y[0, :, 1] = 0.4
    assert decode_predict_ctc(y, beam_width=1) == [""]
    assert decode_predict_ctc(y, beam_width=5) == ["A"]
    texts, probs = beam_decode(y, beam_width=5)
    assert texts == ["A"]
    assert probs[0] == pytest.approx(0.64, abs=1e-3)
    _, greedy_conf = greedy_decode(y)
    assert greedy_conf[0] == pytest.approx(0.36)


def test_beam_agrees_with_greedy_on_confident_outputs():
    y = batch("HH-EL-LLO", "L-L", "A-Z09", "C-A-T")
    assert decode_predict_ctc(y, beam_width=4) == ["HELLO", "LL", "AZ09", "CAT"]


def test_beam_decodes_every_row_including_all_blank():
    # all-blank rows in the middle and at the end: a sparse result has no entries for them
    y = batch("C-A-T", "-----", "D-O-G", "-----")
    texts, probs = beam_decode(y, beam_width=3)
    assert texts == ["CAT", "", "DOG", ""]
    assert probs.shape == (4,)


def test_beam_of_an_all_blank_batch():
    assert decode_predict_ctc(batch("----", "----"), beam_width=3) == ["", ""]


def test_a_smaller_charset():
    y = np.zeros([1, 4, 3], dtype=np.float32)  # blank, 'X', 'Y'
    y[0, np.arange(4), [1, 0, 2, 2]] = 1.0
    assert decode_predict_ctc(y, characters="XY") == ["XY"]
    assert decode_predict_ctc(y, characters="XY", beam_width=2) == ["XY"]


# ----------------------------------------------------------------------------- confidences and errors

def test_confidences_are_probabilities():
    rng = np.random.default_rng(0)
    logits = rng.normal(size=[6, 24, NUM_CLASSES]) * 3
    y = np.exp(logits) / np.exp(logits).sum(-1, keepdims=True)
    for decode in (greedy_decode, beam_decode):
        texts, confidences = decode(y)
        assert len(texts) == 6
        assert confidences.shape == (6,)
        assert np.all((confidences >= 0) & (confidences <= 1)), (decode.__name__, confidences)
    # the best labelling is at least as probable as the best single path
    assert np.all(beam_decode(y)[1] >= greedy_decode(y)[1] * (1 - 1e-4))
    # a certain output has confidence 1
    certain = np.zeros([1, 3, NUM_CLASSES], dtype=np.float32)
    certain[0, :, 1] = 1.0
    assert greedy_decode(certain)[1][0] == pytest.approx(1.0)


@pytest.mark.parametrize("beam_width", [1, 3])
def test_wrong_class_count_names_the_charset(beam_width):
    y = np.full([2, 24, len(TARGET_CHARACTERS)], 1 / 36, dtype=np.float32)  # forgot the blank
    with pytest.raises(ValueError, match="charset"):
        decode_predict_ctc(y, beam_width=beam_width)
    with pytest.raises(ValueError, match="charset"):
        decode_predict_ctc(batch("AB"), characters="ABC", beam_width=beam_width)


def test_a_single_matrix_without_batch_axis_is_rejected():
    with pytest.raises(ValueError, match="batch"):
        decode_predict_ctc(path_probs("A-B"))


def test_beam_width_must_be_positive():
    with pytest.raises(ValueError, match="beam_width"):
        decode_predict_ctc(batch("A"), beam_width=0)


# ----------------------------------------------------------------------------- the lecture's calls

def test_the_lectures_dash_prefixed_charset_is_explained():
    y = batch("AB")  # a 37-class output, blank at 0
    for call in (lambda: decode_predict_ctc(y, "-" + TARGET_CHARACTERS),
                 lambda: decode_predict_ctc(y, chars="-" + TARGET_CHARACTERS)):
        with pytest.raises(ValueError, match=r"lecture.*not part of the charset.*decode_predict_ctc\(y_pred\)"):
            call()


def test_the_lectures_chars_keyword_is_the_charset():
    assert decode_predict_ctc(batch("AB"), chars=TARGET_CHARACTERS) == decode_predict_ctc(batch("AB"))
    with pytest.raises(ValueError, match="once"):
        decode_predict_ctc(batch("AB"), "ABC", chars=TARGET_CHARACTERS)


def test_a_lecture_layout_output_with_38_classes_is_named():
    y = np.full([1, 24, len(TARGET_CHARACTERS) + 2], 1 / 38, dtype=np.float32)
    with pytest.raises(ValueError, match="38 classes, the lecture's layout"):
        decode_predict_ctc(y)


def test_top_paths_above_one_says_what_to_do_instead():
    assert decode_predict_ctc(batch("A"), top_paths=1) == ["A"]
    with pytest.raises(ValueError, match="beam_width=5"):
        decode_predict_ctc(batch("A"), top_paths=3)
