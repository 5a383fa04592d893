"""Decode: greedy, beam and lexicon CTC decoding of hand-made probability matrices (blank = class 0)."""
import numpy as np
import pytest

from ocr_lab.decode import (DECODERS, Lexicon, beam_decode, ctc_log_likelihood, decode_predict_ctc, decode_readings,
                            greedy_decode, lexicon_decode, lexicon_from, snap_to_lexicon)
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


# ----------------------------------------------------------------------------- lexicon decoding

def random_softmax(steps: int, classes: int, seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).dirichlet(np.ones(classes), size=steps)


def path_sum(y: np.ndarray, text: str, characters: str) -> float:
    """p(text | y) the slow way: every path of the softmax, collapsed and compared."""
    import itertools

    total = 0.0
    for path in itertools.product(range(y.shape[1]), repeat=y.shape[0]):
        spelt = "".join(characters[c - 1] for i, c in enumerate(path) if c != 0 and (i == 0 or c != path[i - 1]))
        if spelt == text:
            total += float(np.prod(y[np.arange(len(path)), path]))
    return total


def test_ctc_log_likelihood_sums_every_path_that_spells_the_text():
    y = random_softmax(4, 3)
    texts = ["", "A", "B", "AB", "AA", "ABA", "BBBB"]
    got = np.exp(ctc_log_likelihood(y, texts, "AB"))
    assert np.allclose(got, [path_sum(y, t, "AB") for t in texts])
    assert got[-1] == 0.0  # "BBBB" needs 7 steps (blanks between the repeats), 4 are not enough
    with pytest.raises(ValueError, match=r"\['c'\] are not in the charset 'AB'"):
        ctc_log_likelihood(y, ["Ac"], "AB")


def test_the_likelihoods_of_every_text_sum_to_one():
    import itertools

    y = random_softmax(3, 3, seed=1)
    texts = ["".join(p) for n in range(4) for p in itertools.product("AB", repeat=n)]
    assert np.exp(ctc_log_likelihood(y, texts, "AB")).sum() == pytest.approx(1.0)


def unsure(path: str, step: int, second: str, p_second: float) -> np.ndarray:
    """The softmax of `path` (0.9 sure of each step) with `second` taking `p_second` at `step`."""
    y = path_probs(path)
    y[step] *= (1 - p_second) / y[step].sum()
    y[step, CONVERTER.label_map[second]] += p_second
    return y


LEXICON = Lexicon(["PACIFIC", "PANIC", "HOTEL"])


def test_an_unsure_reading_becomes_the_word_the_model_found_nearly_as_likely():
    y = unsure("P-A-C-I-I-C", 7, "F", 0.4)           # the blank between the Is is 0.4 F: read "PACIIC"
    assert greedy_decode(y[None])[0] == ["PACIIC"]
    assert snap_to_lexicon(y, "PACIIC", LEXICON) == "PACIFIC"
    assert lexicon_decode(y[None], lexicon=LEXICON)[0] == ["PACIFIC"]


def test_a_word_far_less_likely_than_the_reading_does_not_replace_it():
    y = unsure("P-A-C-I-I-C", 7, "F", 0.4)
    assert snap_to_lexicon(y, "PACIIC", LEXICON.with_settings(margin=0.1)) == "PACIIC"
    far = unsure("P-A-C-I-I-C", 7, "F", 0.001)
    assert snap_to_lexicon(far, "PACIIC", LEXICON) == "PACIIC"


def test_sure_short_listed_and_faraway_readings_are_kept():
    sure = path_probs("P-A-C-I-I-C", p=0.999)        # the model is sure: no word can come within the margin
    assert snap_to_lexicon(sure, "PACIIC", LEXICON) == "PACIIC"
    y = unsure("H-O-T-E-L", 4, "A", 0.45)
    assert snap_to_lexicon(y, "HOTEL", LEXICON) == "HOTEL"      # already a word
    assert snap_to_lexicon(path_probs("P-A", 0.5), "PA", LEXICON) == "PA"  # too short to search
    code = unsure("B-5-2", 2, "A", 0.45)
    assert snap_to_lexicon(code, "B52", LEXICON) == "B52"       # no word within two edits


def test_the_search_finds_words_within_the_edit_radius():
    assert sorted(LEXICON.near("PACIIC")) == ["PACIFIC", "PANIC"]      # insert F; drop an I and C -> N
    assert LEXICON.with_settings(max_edits=1).near("PACIIC") == ["PACIFIC"]
    assert LEXICON.near("PACKAGE") == []
    assert "HOTEL" in LEXICON and "HOTE" not in LEXICON and len(LEXICON) == 3


def test_the_english_lexicon_is_read_only_when_first_needed(monkeypatch):
    from ocr_lab import decode

    calls = []
    monkeypatch.setattr(decode, "english_word_forms", lambda: calls.append(1) or ("hotel", "naïve", "pacific"))
    decode.english.cache_clear()
    try:
        lexicon = decode.english()
        assert calls == []
        assert "HOTEL" in lexicon and "PACIFIC" in lexicon and len(lexicon) == 2  # upper case, in the charset
        assert calls == [1]
    finally:
        decode.english.cache_clear()


def test_lexicon_from_names_files_and_none(tmp_path):
    assert lexicon_from("none") is None and lexicon_from(None) is None
    assert "PACIFIC" in lexicon_from("english")
    words = tmp_path / "streets.txt"
    words.write_text("Main\n\nElm\nCafé\n", encoding="utf-8")
    streets = lexicon_from(words)
    assert "MAIN" in streets and "ELM" in streets and len(streets) == 2
    with pytest.raises(FileNotFoundError, match="no lexicon file at .*nowhere.txt.*one word per line"):
        lexicon_from(tmp_path / "nowhere.txt")
    (tmp_path / "cafe.txt").write_text("Café\n", encoding="utf-8")
    with pytest.raises(ValueError, match="no word written only in the charset"):
        lexicon_from(tmp_path / "cafe.txt")


# ----------------------------------------------------------------------------- lexicon decoding, cased

CASED = LabelConverter(__import__("ocr_lab.labels", fromlist=["CASED_CHARACTERS"]).CASED_CHARACTERS)


def cased_unsure(path: str, step: int, second: str, p_second: float, p: float = 0.9) -> np.ndarray:
    """`unsure` for a cased model: the softmax of `path` with `second` taking `p_second` at `step`."""
    y = np.full([len(path), CASED.num_classes], (1 - p) / (CASED.num_classes - 1), dtype=np.float32)
    for t, ch in enumerate(path):
        y[t, CASED.label_map[ch]] = p
    y[step] *= (1 - p_second) / y[step].sum()
    y[step, CASED.label_map[second]] += p_second
    return y


@pytest.mark.parametrize("path, second, word", [
    ("P-a-c-i-i-c", "f", "Pacific"),      # read capitalised: the word comes back capitalised
    ("P-A-C-I-I-C", "F", "PACIFIC"),      # read in capitals: it stays in capitals
    ("p-a-c-i-i-c", "f", "pacific"),
])
def test_a_cased_model_gets_the_word_in_the_case_it_read(path, second, word):
    chars = CASED.character[1:]
    y = cased_unsure(path, 7, second, 0.4)
    reading = greedy_decode(y[None], chars)[0][0]
    assert reading == path.replace("-", "")
    for words in (["pacific", "panic"], ["PACIFIC"], ["Pacific"]):  # word files in any case
        lexicon = Lexicon(in_charset_of(words, chars))
        assert snap_to_lexicon(y, reading, lexicon, chars) == word
        assert lexicon_decode(y[None], chars, lexicon)[0] == [word]


def in_charset_of(words, chars):
    from ocr_lab.decode import in_charset

    return in_charset(words, chars)


def test_a_cased_reading_already_in_the_lexicon_keeps_its_case():
    chars = CASED.character[1:]
    y = cased_unsure("H-o-t-e-l", 4, "a", 0.45)
    assert snap_to_lexicon(y, "Hotel", Lexicon(["HOTEL"]), chars) == "Hotel"


def test_case_as_read_lines_the_word_up_with_the_reading():
    from ocr_lab.decode import case_as_read
    from ocr_lab.labels import CASED_CHARACTERS

    assert case_as_read("pacific", "Pacilic", CASED_CHARACTERS)[0] == "Pacific"
    assert case_as_read("mean", "MeaN", CASED_CHARACTERS)[0] == "MeaN"
    assert case_as_read("hotel", "HOTE", CASED_CHARACTERS)[0] == "HOTEL"  # the added letter takes its neighbour's case
    assert case_as_read("pacific", "Pacilic") == ["PACIFIC"]  # the lecture's charset spells capitals only


def test_the_english_lexicon_for_a_cased_model_matches_any_case(monkeypatch):
    from ocr_lab import decode
    from ocr_lab.labels import CASED_CHARACTERS

    monkeypatch.setattr(decode, "english_word_forms", lambda: ("hotel", "naïve", "pacific"))
    decode.english.cache_clear()
    try:
        lexicon = decode.english(CASED_CHARACTERS)
        assert "Pacific" in lexicon and "PACIFIC" in lexicon and "pacific" in lexicon and len(lexicon) == 2
        assert lexicon.near("PACIIC") == ["pacific"]
    finally:
        decode.english.cache_clear()


def test_a_word_file_outside_the_charset_is_matched_case_folded_and_the_rest_counted(tmp_path):
    from ocr_lab.labels import CASED_CHARACTERS

    words = tmp_path / "words.txt"
    words.write_text("Main\nCafé\nwell-known\niPhone\nELM\nnaïve\n", encoding="utf-8")
    cased = lexicon_from(words, CASED_CHARACTERS)
    assert len(cased) == 3 and "main" in cased and "IPHONE" in cased and "Elm" in cased
    assert cased.skipped == {"é": 1, "-": 1, "ï": 1} and cased.skipped_words == 3
    assert cased.note() == "lexicon: 3 word(s) left out, with characters the model cannot print ('-' 1, 'é' 1, 'ï' 1); 3 words kept"
    lecture = lexicon_from(words)
    assert len(lecture) == 3 and "MAIN" in lecture and lecture.skipped == {"É": 1, "-": 1, "Ï": 1}
    y = cased_unsure("M-a-i-m", 6, "n", 0.4)
    assert snap_to_lexicon(y, "Maim", cased, CASED_CHARACTERS) == "Main"
    y = cased_unsure("C-a-f-e-e", 7, "s", 0.4)  # near the skipped "Café" only: no crash, kept as read
    assert snap_to_lexicon(y, "Cafee", cased, CASED_CHARACTERS) == "Cafee"


# ----------------------------------------------------------------------------- the decode entry point

def test_decode_readings_keeps_the_most_confident_view_of_a_tall_crop():
    # crops 0 and 1, then the two turned views of crop 1 (the second turned view reads best)
    y = np.stack([path_probs("CAT-", 0.9), path_probs("X---", 0.5), path_probs("Y---", 0.6), path_probs("DOG-", 0.95)])
    readings = decode_readings(y, TARGET_CHARACTERS, tall=[1])
    assert [text for text, _ in readings] == ["CAT", "DOG"]
    assert readings[1][1] == pytest.approx(greedy_decode(y[3:], TARGET_CHARACTERS)[1][0])


def test_decode_readings_reads_what_greedy_and_beam_read():
    y = batch("HH-EL-LLO", "W-OO-RLD")
    assert [t for t, _ in decode_readings(y, TARGET_CHARACTERS)] == greedy_decode(y)[0]
    assert [t for t, _ in decode_readings(y, TARGET_CHARACTERS, beam_width=5)] == beam_decode(y, beam_width=5)[0]


def test_decode_readings_names_the_heads_it_knows():
    assert sorted(DECODERS) == ["ctc"]
    with pytest.raises(ValueError, match="no decoder for the prediction head 'attention'.*'ctc'"):
        decode_readings(batch("CAT"), TARGET_CHARACTERS, head="attention")



def test_a_cased_model_keeps_a_letter_whose_belief_is_split_between_its_cases():
    """0.35 "o" + 0.30 "O" against a 0.35 blank: greedy on the classes would drop the letter."""
    chars = CASED.character[1:]
    y = cased_unsure("d-g", 1, "o", 0.0)  # "d", an unsure middle step, "g"
    y[1] = 0.0
    y[1, CASED.label_map["o"]], y[1, CASED.label_map["O"]], y[1, 0] = 0.34, 0.30, 0.36
    assert greedy_decode(y[None], chars)[0] == ["dog"]
    y[1, CASED.label_map["o"]], y[1, CASED.label_map["O"]] = 0.30, 0.34
    assert greedy_decode(y[None], chars)[0] == ["dog"]   # "dOg": the sure "d" and "g" decide the word's case
    _, confidence = greedy_decode(y[None], chars)
    both = lambda t, ch: y[t, CASED.label_map[ch]] + y[t, CASED.label_map[ch.upper()]]  # noqa: E731
    assert confidence[0] == pytest.approx(both(0, "d") * 0.64 * both(2, "g"), rel=1e-4)  # the letters' path


def test_case_folding_changes_nothing_for_the_lecture_charset():
    from ocr_lab.decode import case_folded

    assert list(case_folded(TARGET_CHARACTERS)) == list(range(len(TARGET_CHARACTERS) + 1))
    fold = case_folded(CASED.character[1:])
    assert fold[CASED.label_map["a"]] == fold[CASED.label_map["A"]] != fold[CASED.label_map["b"]]
    assert fold[CASED.label_map["7"]] != fold[CASED.label_map["&"]]


def case_belief(text: str, sure: float = 0.9) -> tuple[np.ndarray, np.ndarray]:
    """Log-probabilities of each letter's upper and lower case, leaning `sure` to the case it has in `text`."""
    up = np.array([sure if c.isupper() else 1 - sure for c in text])
    return np.log(up), np.log(1 - up)


@pytest.mark.parametrize("read, word", [
    ("ALl", "ALL"), ("pRIORY", "PRIORY"), ("cOOD", "COOD"), ("HoUSE", "HOUSE"), ("hOUSE", "HOUSE"),
    ("House", "House"), ("house", "house"), ("HOUSE", "HOUSE"),
    ("3rdAve", "3rdAve"), ("21ST", "21ST"), ("WORD's", "WORD's"), ("FOSTER'S", "FOSTER'S"),   # own-case letters
    ("Route66", "Route66"), ("KG.SUMANGKAP", "KG.SUMANGKAP"), ("31.08.2012", "31.08.2012"), ("x", "x"),
])
def test_a_word_is_written_in_one_case_pattern(read, word):
    from ocr_lab.decode import word_case

    assert word_case(read, *case_belief(read)) == word


def test_a_mixed_case_word_the_network_is_sure_of_keeps_its_case():
    """"iPhone": at 0.999 a letter the five letters' mixed case is far likelier than any pattern's."""
    from ocr_lab.decode import MIXED_CASE_PENALTY, word_case

    assert word_case("iPhone", *case_belief("iPhone", 0.999)) == "iPhone"
    assert word_case("iPhone", *case_belief("iPhone", 0.9)) == "iphone"          # unsure: the likeliest pattern
    assert word_case("iPhone", *case_belief("iPhone", 0.999), penalty=np.inf) == "iphone"
    assert MIXED_CASE_PENALTY == pytest.approx(np.log(99))


def test_the_cased_greedy_decoder_writes_a_word_in_one_case():
    """A small-capital "l" read as 0.55 "l" and about 0.4 "L" after "AL" (letter by letter "ALl"): the word is "ALL"."""
    chars = CASED.character[1:]
    y = cased_unsure("A-L-L", 4, "l", 0.55)
    assert greedy_decode(y[None], chars)[0] == ["ALL"]
    assert greedy_decode(cased_unsure("a-l-l", 4, "L", 0.6)[None], chars)[0] == ["all"]


def test_the_english_lexicon_holds_word_forms_the_dictionary_lacks():
    """Plurals and verb forms ("galleries", "shipped") come from pyspellchecker's list; every dictionary word stays."""
    from ocr_lab.labels import english_lexicon, english_word_forms

    forms, dictionary = english_word_forms(), english_lexicon()
    assert "gallery" in dictionary and "galleries" not in dictionary
    assert {"galleries", "shipped", "hotels"} <= set(forms)
    assert set(dictionary) <= set(forms) and len(forms) > 1.5 * len(dictionary)
    assert all(w.isascii() and w.isalpha() and w == w.lower() for w in forms) and list(forms) == sorted(forms)
