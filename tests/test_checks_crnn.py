"""Notebook 03's checks (ocr_lab.course.checks.crnn): the solution passes on every exam, the blank fails, and
the plausible wrong stages get messages that say what to change."""
import pytest
from tf_keras import layers

from ocr_lab.course import checks
from ocr_lab.course.checks import crnn
from ocr_lab.model import CONFIGS

LECTURE_FILTERS = CONFIGS["lecture"]["conv_filters"]


def feature_extractor(image_input, filters=LECTURE_FILTERS, last=((2, 2), "valid"), pools=((2, 2), (2, 2), (1, 2), (1, 2))):
    """The solution (the lecture's layers), with knobs for the wrong answers below."""
    f = filters
    x = layers.Rescaling(1.0 / 255)(image_input)
    x = layers.Conv2D(f[0], (3, 3), activation="relu", padding="same")(x)
    x = layers.MaxPooling2D(pools[0])(x)
    x = layers.Conv2D(f[1], (3, 3), activation="relu", padding="same")(x)
    x = layers.MaxPooling2D(pools[1])(x)
    x = layers.Conv2D(f[2], (3, 3), activation="relu", padding="same")(x)
    x = layers.Conv2D(f[3], (3, 3), activation="relu", padding="same")(x)
    x = layers.MaxPooling2D(pools[2])(x)
    x = layers.BatchNormalization()(layers.Conv2D(f[4], (3, 3), activation="relu", padding="same")(x))
    x = layers.BatchNormalization()(layers.Conv2D(f[5], (3, 3), activation="relu", padding="same")(x))
    x = layers.MaxPooling2D(pools[3])(x)
    x = layers.Conv2D(f[6], last[0], activation="relu", padding=last[1])(x)
    return layers.Reshape((x.shape[1] * x.shape[2], f[6]))(x)


def sequence_stage(features, dense=64, lstm=256, bidirectional=True, sequences=True):
    x = layers.Dense(dense, activation="relu")(features)
    wrap = layers.Bidirectional if bidirectional else (lambda layer: layer)
    x = wrap(layers.LSTM(lstm, return_sequences=True))(x)
    return wrap(layers.LSTM(lstm, return_sequences=sequences))(x)


def not_written(*args, **kwargs):
    raise NotImplementedError("your code here")


@pytest.mark.parametrize("seed", range(6))
def test_the_solution_passes_every_exam(seed):
    assert crnn.evaluate_feature_extractor(feature_extractor, seed).passed
    assert crnn.evaluate_sequence_stage(sequence_stage, seed).passed


def test_the_blank_fails_saying_so():
    assert "not written yet" in crnn.evaluate_feature_extractor(not_written).message
    assert "not written yet" in crnn.evaluate_sequence_stage(not_written).message


@pytest.mark.parametrize("wrong, says", [
    (lambda x, filters: layers.Reshape((24, 1, filters[-1]))(feature_extractor(x, filters)), "layers.Reshape((24, "),
    (lambda x, filters: feature_extractor(x, filters, last=((1, 2), "valid")), "25 steps, one too many"),
    (lambda x, filters: feature_extractor(x, filters, pools=((2, 2),) * 4, last=((1, 1), "same")), "pool_size is (width, height)"),
    (lambda x, filters: layers.Reshape((24, filters[-1]))(layers.Dense(24 * filters[-1])(layers.Flatten()(
        feature_extractor(x, filters)))), "changed the step at the other end"),
    (lambda x, filters: feature_extractor(x, filters[:-1] + (7,)), "not filters[-1]"),
    (lambda x, filters: x, "it should be [b, 24, "),
])
def test_plausible_wrong_feature_extractors_are_told_what_to_change(wrong, says):
    result = crnn.evaluate_feature_extractor(wrong)
    assert not result.passed and says in result.message, result.message


@pytest.mark.parametrize("kwargs, says", [
    (dict(sequences=False), "return_sequences=True"),
    (dict(bidirectional=False), "one LSTM's. Wrap each LSTM in layers.Bidirectional"),
])
def test_plausible_wrong_sequence_stages_are_told_what_to_change(kwargs, says):
    result = crnn.evaluate_sequence_stage(lambda x, dense, lstm: sequence_stage(x, dense, lstm, **kwargs))
    assert not result.passed and says in result.message, result.message


def test_a_forward_only_or_contextless_sequence_stage_is_caught_by_what_it_does():
    forward = crnn.evaluate_sequence_stage(lambda x, dense, lstm: sequence_stage(x, dense, 2 * lstm, bidirectional=False))
    assert not forward.passed and "the context flows forward only" in forward.message
    dense_only = crnn.evaluate_sequence_stage(lambda x, dense, lstm: layers.Dense(2 * lstm)(layers.Dense(dense)(x)))
    assert not dense_only.passed and "depends on its own features only" in dense_only.message


def test_calling_the_package_is_the_reference_and_the_messages_read_in_korean():
    from ocr_lab import model

    result = crnn.evaluate_feature_extractor(lambda x, filters: model.feature_extractor(x, filters))
    assert not result.passed and checks.STANDIN_MESSAGE in result.message
    exam = crnn.make_sequence_exam(0)
    korean = crnn.score_sequence(exam, {"params": crnn.Call(value=([2, exam.steps, exam.lstm], [0.1, 0.1, 0.1]))}, "ko")
    assert "layers.Bidirectional로 감싸세요" in korean.message


def test_the_records_are_in_the_table_for_notebook_03():
    assert [c.name for c in checks.of_notebook("03_crnn_model")] == ["feature_extractor", "sequence_stage"]
    for check in checks.of_notebook("03_crnn_model"):
        assert check.rubric("en") and check.rubric("ko") and check.package
