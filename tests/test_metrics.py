"""Metrics: word accuracy, character error rate, accuracy by length, character confusions."""
from collections import Counter

import pytest

from ocr_lab.metrics import accuracy_by_length, character_confusions, character_error_rate, word_accuracy


def test_word_accuracy_counts_exact_words():
    assert word_accuracy(["HELLO", "WORLD", "FOO"], ["HELLO", "WORLD", "BAR"]) == pytest.approx(2 / 3)
    assert word_accuracy(["A"], ["A"]) == 1.0
    assert word_accuracy(["A", "B"], ["B", "A"]) == 0.0


def test_word_accuracy_ignores_case():
    assert word_accuracy(["hello", "World"], ["HELLO", "world"]) == 1.0


def test_word_accuracy_is_exact_not_partial():
    assert word_accuracy(["HELO", "HELLOO"], ["HELLO", "HELLO"]) == 0.0


def test_character_error_rate_hand_computed():
    # HELO vs HELLO: 1 deletion; ABD vs ABC: 1 substitution; 8 target characters
    assert character_error_rate(["HELO", "ABD"], ["HELLO", "ABC"]) == pytest.approx(2 / 8)
    # one insertion over 3 characters
    assert character_error_rate(["CATS"], ["CAT"]) == pytest.approx(1 / 3)
    # kitten -> sitting is the textbook edit distance of 3
    assert character_error_rate(["KITTEN"], ["SITTING"]) == pytest.approx(3 / 7)
    assert character_error_rate(["HELLO"], ["HELLO"]) == 0.0


def test_character_error_rate_ignores_case():
    assert character_error_rate(["hello"], ["HELLO"]) == 0.0
    assert character_error_rate(["helo"], ["HELLO"]) == pytest.approx(1 / 5)


def test_character_error_rate_is_pooled_over_characters_not_averaged_over_words():
    # per-word CERs are 1/1 and 0/9: the mean would be 0.5, the pooled rate is 1/10
    assert character_error_rate(["X", "ABCDEFGHI"], ["A", "ABCDEFGHI"]) == pytest.approx(1 / 10)


def test_character_error_rate_of_an_empty_prediction_is_one():
    assert character_error_rate([""], ["WORD"]) == 1.0


def test_accuracy_by_length():
    predictions = ["CAT", "DOG", "HELLO", "WORLX", "A"]
    targets = ["CAT", "DOT", "HELLO", "WORLD", "a"]
    assert accuracy_by_length(predictions, targets) == {1: (1.0, 1), 3: (0.5, 2), 5: (0.5, 2)}
    assert list(accuracy_by_length(predictions, targets)) == [1, 3, 5]  # sorted by length


def test_accuracy_by_length_groups_by_target_length():
    assert accuracy_by_length(["ABCDEF"], ["ABC"]) == {3: (0.0, 1)}


def test_character_confusions():
    predictions = ["C0DE", "HELL0", "OK", "HELO", "SAME"]
    targets = ["CODE", "HELLO", "OX", "HELLO", "same"]
    confusions = character_confusions(predictions, targets)
    assert confusions == Counter({("O", "0"): 2, ("X", "K"): 1, ("", "<length>"): 1})


def test_character_confusions_of_perfect_predictions_is_empty():
    assert character_confusions(["ABC", "xyz"], ["abc", "XYZ"]) == Counter()


@pytest.mark.parametrize("metric", [word_accuracy, character_error_rate, accuracy_by_length, character_confusions])
def test_mismatched_lengths_raise(metric):
    with pytest.raises(ValueError, match="2 predictions but 1 targets"):
        metric(["A", "B"], ["A"])


@pytest.mark.parametrize("metric", [word_accuracy, character_error_rate, accuracy_by_length, character_confusions])
def test_empty_inputs_raise(metric):
    with pytest.raises(ValueError, match="no targets"):
        metric([], [])


def test_fold_case_is_the_lectures_case_insensitive_form():
    from ocr_lab.metrics import fold_case

    assert fold_case("Don't.") == "DONT" and fold_case("03/09/2009") == "03092009"
    assert fold_case("café") == "CAFÉ"  # a letter outside A-Z stays: leaving it out is not right


def test_case_sensitive_scores_text_as_printed():
    from ocr_lab.metrics import character_error_rate, word_accuracy

    assert word_accuracy(["Hotel", "Chevron"], ["HOTEL", "Chevron"]) == 1.0
    assert word_accuracy(["Hotel", "Chevron"], ["HOTEL", "Chevron"], case_sensitive=True) == 0.5
    assert character_error_rate(["Hotel"], ["HOTEL"], case_sensitive=True) == pytest.approx(4 / 5)
