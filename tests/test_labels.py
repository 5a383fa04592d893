"""Labels: the charset, LabelConverter's CTC encoding and the lecture's variant, ctc_min_steps."""
import numpy as np
import pytest

from ocr_lab.labels import (
    BLANK,
    BLANK_INDEX,
    TARGET_CHARACTERS,
    LabelConverter,
    ctc_min_steps,
)


@pytest.fixture(scope="module")
def converter():
    return LabelConverter(TARGET_CHARACTERS)


def test_charset_is_the_lectures():
    assert TARGET_CHARACTERS == "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
    assert (BLANK, BLANK_INDEX) == ("-", 0)


def test_num_classes_is_blank_plus_characters(converter):
    assert converter.num_classes == 37
    assert LabelConverter("ABC").num_classes == 4


def test_blank_is_index_zero_and_characters_follow(converter):
    assert converter.encode("A").tolist() == [1]
    assert converter.encode("Z").tolist() == [26]
    assert converter.encode("0").tolist() == [27]
    assert converter.encode("9").tolist() == [36]
    assert converter.decode([0]) == "-"


def test_encode_hello_needs_no_separator(converter):
    encoded = converter.encode("HELLO")
    assert encoded.tolist() == [8, 5, 12, 12, 15]
    assert encoded.dtype == np.int64
    assert converter.decode(encoded) == "HELLO"


@pytest.mark.parametrize("text", ["HELLO", "LUBE", "BOOKKEEPER", "AAA", "MISSISSIPPI", "2024", "A1B2C3", "Q", ""])
def test_round_trip(converter, text):
    encoded = converter.encode(text)
    assert len(encoded) == len(text)
    assert BLANK_INDEX not in encoded.tolist()
    assert converter.decode(encoded) == text


def test_decode_accepts_numpy_and_lists(converter):
    assert converter.decode(np.array([3, 1, 20], dtype=np.int32)) == "CAT"
    assert converter.decode([3, 1, 20]) == "CAT"


def test_lecture_separator_reproduces_the_lecture():
    lecture = LabelConverter(TARGET_CHARACTERS, lecture_separator=True)
    encoded = lecture.encode("HELLO")
    assert encoded.tolist() == [8, 5, 12, 0, 12, 15]  # the lecture's printed output
    assert lecture.decode(encoded) == "HEL-LO"
    assert lecture.encode("AAA").tolist() == [1, 0, 1, 0, 1]
    assert lecture.encode("ABC").tolist() == [1, 2, 3]  # no repeats, no separator
    # the encoding is as long as CTC's minimum number of steps
    for text in ["HELLO", "BOOKKEEPER", "MISSISSIPPI", "AAA"]:
        assert len(lecture.encode(text)) == ctc_min_steps(text)


@pytest.mark.parametrize("text, bad", [("hello", "h"), ("HELLo", "o"), ("HI!", "!"), ("A B", " "), ("É", "É")])
def test_out_of_charset_raises_naming_the_character(converter, text, bad):
    with pytest.raises(ValueError) as err:
        converter.encode(text)
    assert repr(bad) in str(err.value)
    assert repr(text) in str(err.value)


def test_the_blank_symbol_is_not_a_character(converter):
    with pytest.raises(ValueError, match="'-'"):
        converter.encode("CO-OP")


def test_lecture_variant_also_rejects_out_of_charset():
    with pytest.raises(ValueError, match="'a'"):
        LabelConverter(TARGET_CHARACTERS, lecture_separator=True).encode("aa")


def test_charset_may_not_contain_the_blank_or_repeats():
    with pytest.raises(ValueError, match="reserved"):
        LabelConverter("AB-")
    with pytest.raises(ValueError, match="repeated"):
        LabelConverter("ABA")


@pytest.mark.parametrize(
    "text, steps",
    [("", 0), ("A", 1), ("ABC", 3), ("HELLO", 6), ("AAA", 5), ("BOOKKEEPER", 13), ("MISSISSIPPI", 14),
     ("A" * 12, 23), ("A" * 12 + "B", 24), ("A" * 13, 25), ("A" * 23, 45)],
)
def test_ctc_min_steps(text, steps):
    assert ctc_min_steps(text) == steps


def test_the_cased_charset_keeps_case_and_the_lecture_charset_folds_it():
    from ocr_lab.data import clean_label
    from ocr_lab.labels import CASED_CHARACTERS, is_cased

    assert is_cased(CASED_CHARACTERS) and not is_cased(TARGET_CHARACTERS)
    assert len(set(CASED_CHARACTERS)) == len(CASED_CHARACTERS) and "-" not in CASED_CHARACTERS
    assert clean_label("3rd Ave", CASED_CHARACTERS, 22, 49) == ("3rdAve", None)
    assert clean_label("03/09/2009", CASED_CHARACTERS, 22, 49) == ("03/09/2009", None)
    assert clean_label("e-mail", CASED_CHARACTERS, 22, 49) == ("email", None)
    assert clean_label("FOSTER'S", CASED_CHARACTERS, 22, 49) == ("FOSTER'S", None)
    assert clean_label("Chevron", TARGET_CHARACTERS, 22, 49) == ("CHEVRON", None)
    LabelConverter(CASED_CHARACTERS).encode("Pacific.")
