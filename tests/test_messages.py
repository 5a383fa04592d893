"""ocr_lab.messages and ocr_lab.course.messages: every message in both languages, the language chosen as
documented, and a Korean plot drawn in a font that has Hangul (checked without looking at a picture)."""
import re
import string
import unicodedata
import warnings
from pathlib import Path

import numpy as np
import pytest

from ocr_lab import messages
from ocr_lab.course import messages as course_messages
from ocr_lab.course.messages import message
from ocr_lab.messages import LANG_ENV, language

CATALOGUE = {**messages.CATALOGUE, **course_messages.CATALOGUE}  # the library's and the course's


def fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


@pytest.mark.parametrize("key", sorted(CATALOGUE))
def test_every_message_has_both_languages_with_the_same_fields(key):
    templates = CATALOGUE[key]
    assert set(templates) == set(messages.LANGUAGES)
    assert fields(templates["ko"]) == fields(templates["en"]), key
    if key not in SAME_IN_BOTH:
        assert templates["ko"] != templates["en"], f"{key} is not translated"


SAME_IN_BOTH = {"diagram.tps", "diagram.resnet", "diagram.bilstm", "diagram.ctc"}  # names, not words


def test_language_follows_the_setting_then_the_folder(monkeypatch, tmp_path):
    monkeypatch.delenv(LANG_ENV, raising=False)
    (tmp_path / "notebooks" / "ko").mkdir(parents=True)
    monkeypatch.chdir(tmp_path / "notebooks")
    assert language() == "en"
    monkeypatch.chdir(tmp_path / "notebooks" / "ko")
    assert language() == "ko"
    monkeypatch.setenv(LANG_ENV, "en")
    assert language() == "en"
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv(LANG_ENV, "ko_KR.UTF-8")
    assert language() == "ko"


def test_message_fills_fields_in_the_chosen_language(monkeypatch):
    monkeypatch.setenv(LANG_ENV, "ko")
    assert message("detect.blank_crops", crops=2) == "빈 흰색 이미지에서 detect_text가 crop 2개를 돌려줬습니다. 0개여야 합니다."
    assert message("detect.blank_crops", "en", crops=2) == "on a blank white image detect_text returned 2 crops; expected none."
    with pytest.raises(KeyError, match="no message"):
        message("no.such.key")
    assert messages.message("viz.height", "ko") != messages.message("viz.height", "en")


def test_the_library_and_the_course_never_share_a_key():
    assert set(messages.CATALOGUE).isdisjoint(course_messages.CATALOGUE)


def test_every_message_is_used_by_the_code():
    """A key no module asks for is a message nobody reads: it goes, or the code that said it came back."""
    source = "\n".join(path.read_text() for path in Path(messages.__file__).parent.rglob("*.py")
                       if path.name != "messages.py")
    # asked for by a computed key: f"skip.{reason}", f"rubric.{name}", f"lecture_bug.{i}"
    families = {"skip.", "rubric.", "lecture_bug.", "lecture_fix."}
    unused = [key for key in CATALOGUE if f'"{key}"' not in source and f"'{key}'" not in source
              and not key.startswith(tuple(families))]
    assert unused == []


# ----------------------------------------------------------------------------- checks and grader, in Korean

def tiny_exam():
    """An exam made without the detector or the recognizer: enough for answers that raise before using either."""
    from PIL import Image

    from ocr_lab.course import checks

    scene = Image.new("RGB", (64, 48), "white")
    crops = [Image.new("RGB", (40, 32), "white") for _ in range(3)]
    return checks.Exam(7, {"detect_text": checks.DetectExam(scene, [], np.zeros((0, 4, 2)), [], frozenset(), scene),
                           "recognize_img": checks.RecognizeExam(["ABC", "DEF", "GHI"], crops, ["ABC", "DEF", "GHI"]),
                           "end_to_end": checks.EndToEndExam(scene, ["ABC"], ["ABC"])})


def not_written(*args):
    raise NotImplementedError("your code here")


def test_a_check_cell_speaks_the_learners_language(monkeypatch, capsys):
    from ocr_lab.course import checks

    from ocr_lab.course.checks import cells

    monkeypatch.setattr(cells, "exam_part", lambda check, seed, models: tiny_exam().parts[check.name])
    monkeypatch.setenv(LANG_ENV, "ko")
    with pytest.raises(checks.CheckFailed) as failed:
        checks.check_detect_text(not_written, detector=object())
    assert "✘ detect_text: 실패. detect_text가 아직 작성되지 않았습니다" in capsys.readouterr().out
    assert "detect_text 체크를 통과하지 못했습니다" in failed.value._render_traceback_()[0]
    monkeypatch.setenv(checks.GRADING_ENV, "1")
    checks.check_recognize_img(not_written)
    assert capsys.readouterr().out.startswith("recognize_img: 노트북 실행이 끝난 뒤 채점기가 체크합니다")
    monkeypatch.delenv(checks.GRADING_ENV)
    monkeypatch.setenv(LANG_ENV, "en")
    result = checks.evaluate_detect_text(not_written, detector=object())
    assert result.message.startswith("detect_text is not written yet") and str(result).startswith("✘ detect_text: FAILED.")


class InProcessBox:
    """The grader's box, without the box: code runs in this process, in one namespace per notebook."""

    made: list["InProcessBox"] = []

    def __init__(self, work, memory_bytes, env=None, stripped=None):
        self.env, self.namespace = dict(env or {}), {}
        InProcessBox.made.append(self)

    def start(self):
        pass

    def stop(self):
        pass

    def alive(self):
        return True

    def run(self, code, timeout):
        from ocr_lab.course.box import Reply

        if "load_models" in code:  # the warm-up: these learner functions never reach the models
            return Reply("ok")
        try:
            exec(code, self.namespace)
        except Exception as err:
            return Reply("error", type(err).__name__, str(err))
        return Reply("ok")


@pytest.mark.parametrize("edition", ["ko", "en"])
def test_the_grader_grades_a_notebook_in_its_language_and_writes_the_csv_in_english(edition, tmp_path, monkeypatch):
    import csv

    import nbformat
    from nbformat.v4 import new_code_cell, new_notebook

    from ocr_lab.course import box, grade

    monkeypatch.delenv(LANG_ENV, raising=False)
    monkeypatch.setattr(box, "Box", InProcessBox)
    nb = new_notebook(cells=[new_code_cell("def detect_text(img_path, detector):\n    raise NotImplementedError\n\n"
                                           "def recognize_img(pil_img, model_pred):\n    raise NotImplementedError")])
    if edition == "ko":
        nb.metadata["ocr_lab"] = {"language": "ko"}  # as ocr_lab.notebooks writes it into notebooks/ko/
    nbformat.write(nb, tmp_path / "learner.ipynb")
    InProcessBox.made.clear()
    g = grade.grade_notebook(tmp_path / "learner.ipynb", tiny_exam())
    assert InProcessBox.made[0].env[LANG_ENV] == edition  # the kernel's check cells speak it too
    assert g.language == edition and g.passed == 0 and g.status == "finished"
    table = grade.format_grade(g, width=200)
    if edition == "ko":
        assert re.match(r"learner.ipynb: 체크 3개 중 0개 통과, 실행 \d+초, 끝까지 실행됨\n", table)
        assert "체크" in table and "결과" in table and "실패" in table
        assert "detect_text가 아직 작성되지 않았습니다" in table
        assert "recognize_img가 아직 작성되지 않았습니다" in table
        assert "detect_text 또는 recognize_img가 아직 작성되지 않았습니다" in table
        assert "생성한 장면의 end-to-end 결과: -" in table
        assert not any("\uac00" <= ch <= "\ud7a3" for ch in grade.Grade("x.ipynb", "finished", 1.0).result("detect_text"))
    else:
        assert re.match(r"learner.ipynb: 0 of 3 checks passed, ran \d+ s, finished\n", table)
        assert "detect_text is not written yet" in table and "end-to-end on a generated scene: -" in table
    rows = list(csv.DictReader(grade.write_csv([g], tmp_path / "grades.csv").open(encoding="utf-8")))
    assert list(rows[0]) == grade.CSV_FIELDS
    assert rows[0]["detect_text"] == "FAIL" and rows[0]["detect_text_message"].startswith("detect_text is not written yet")
    assert rows[0]["end_to_end_message"] == "detect_text or recognize_img is not written yet."


def test_the_grade_table_is_in_the_notebooks_language():
    from ocr_lab.course.grade import Grade, format_grade

    checks = {"detect_text": {"passed": True, "message": "ok"}}
    english = format_grade(Grade("x.ipynb", "finished", 3.0, checks, [], language="en"), width=100)
    korean = format_grade(Grade("x.ipynb", "notebook time limit of 5 s reached before cell 2 (x = 1)", 3.0, checks,
                                ["cell 2 (x = 1): stopped"], language="ko"), width=100)
    assert "1 of 3 checks passed" in english and "not run" in english and "error:" not in english
    assert "체크 3개 중 1개 통과" in korean and "실행 안 됨" in korean and "통과" in korean
    assert "채점되지 않음: notebook time limit of 5 s" in korean and "  오류: cell 2 (x = 1): stopped" in korean
    korean_header, english_header = korean.splitlines()[1], english.splitlines()[1]
    assert columns(korean_header[:korean_header.index("결과")]) == english_header.index("result")  # aligned
    row = next(line for line in korean.splitlines() if line.startswith("  end_to_end"))
    assert columns(row[:row.index("채점되지")]) == columns(korean_header[:korean_header.index("메시지")])


def test_the_graders_statuses_errors_and_descriptions_are_korean_in_a_korean_table():
    from PIL import Image

    from ocr_lab.course.answers import Opaque, describe
    from ocr_lab.course.grade import Grade, _Run, format_grade

    run = _Run([(3, "while True: pass")], Path("."), 0, 2.0, "ko")
    run._note(0, "grade.cell_interrupted", seconds=2.0)
    status = run._status("grade.status_time_limit", seconds=5.0, cell=3, line="while True: pass")
    table = format_grade(Grade("x.ipynb", status, 3.0, {}, run.errors, language="ko", status_said=run.said_status,
                               errors_said=run.said_errors), width=120)
    assert "셀 3(while True: pass) 전에 노트북 시간 제한 5초에 도달했습니다" in table
    assert "오류: 셀 3(while True: pass): 2초가 지나 중단했습니다" in table
    assert run.errors == ["cell 3 (while True: pass): stopped after 2 s (interrupted)"]  # the CSV's, in English
    assert status == "notebook time limit of 5 s reached before cell 3 (while True: pass)"
    crops = [Image.new("RGB", (40, 32))] * 2
    assert describe(crops, "ko") == "list (2개, 모두 40x32 PIL 이미지 (RGB))"
    assert describe(crops, "en") == "a list of 2, each a 40x32 PIL image (RGB)"
    forged = Opaque("node", node={"kind": "array", "shape": [1, 24, 38], "dtype": "float32"})
    assert describe(forged, "ko") == "모양이 (1, 24, 38)인 numpy 배열 (float32)"
    assert forged.description == "a numpy array of shape (1, 24, 38), float32"


def test_the_lectures_calls_fail_in_the_learners_language(monkeypatch):
    from ocr_lab.data import lecture_bugs
    from ocr_lab.decode import decode_predict_ctc
    from ocr_lab.labels import TARGET_CHARACTERS

    monkeypatch.setenv(LANG_ENV, "ko")
    y_pred = np.full((1, 24, len(TARGET_CHARACTERS) + 2), 0.1, np.float32)
    with pytest.raises(ValueError, match="강의의 배치입니다"):
        decode_predict_ctc(y_pred)
    with pytest.raises(ValueError, match="characters가 '-'로 시작합니다"):
        decode_predict_ctc(y_pred[..., :-1], chars="-" + TARGET_CHARACTERS)
    from ocr_lab import data
    from ocr_lab.labels import LabelConverter

    with pytest.raises(ValueError, match="라벨 'Hello'에 문자 집합 .*에 없는 'e'가 있습니다"):
        LabelConverter(TARGET_CHARACTERS).encode("Hello")
    assert data.LECTURE_BUGS == lecture_bugs("ko") != lecture_bugs("en")
    assert data.LECTURE_BUGS[0][0].startswith("`__len__`을 `divide_length = 100`으로 나눠서")


def test_plot_history_labels_in_the_learners_language(monkeypatch):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from ocr_lab.train import plot_history

    monkeypatch.setenv(LANG_ENV, "ko")
    history = [{"epoch": e, "loss": 9.0 - e, "val_loss": 9.5 - e, "val_word_accuracy": 0.1 * e, "val_cer": 0.5,
                "real_word_accuracy": 0.0} for e in range(3)]
    ax = plot_history(history)
    texts = [ax[0].get_title(), ax[1].get_title(), ax[0].get_xlabel(), ax[0].get_ylabel()]
    texts += [t.get_text() for a in ax for t in a.get_legend().get_texts()]
    plt.close("all")
    assert texts == ["CTC 손실", "검증 세트", "에폭", "CTC 손실", "학습 손실", "검증 손실", "단어 정확도",
                     "문자 오류율 (CER)", "real 단어 정확도"]


def columns(text: str) -> int:
    """Terminal columns: a Hangul syllable takes two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


# ----------------------------------------------------------------------------- the font of Korean plots

def hangul_in_catalogue() -> set[str]:
    return {ch for templates in CATALOGUE.values() for ch in templates["ko"] if "\uac00" <= ch <= "\ud7a3"}


def test_the_korean_plot_font_has_every_hangul_syllable_we_draw():
    from fontTools.ttLib import TTFont
    from matplotlib import font_manager

    messages.use_language_font("ko")
    path = font_manager.findfont(font_manager.FontProperties(family=["sans-serif"]), fallback_to_default=False)
    assert Path(str(path)).resolve() == Path(messages.hangul_font_path()).resolve()
    cmap = TTFont(path, fontNumber=0).getBestCmap()
    missing = sorted(ch for ch in hangul_in_catalogue() if ord(ch) not in cmap)
    assert len(hangul_in_catalogue()) > 100 and missing == []


def draw_korean_title() -> list[str]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig, ax = plt.subplots()
        ax.set_title(messages.message("diagram.ocr_title", "ko"))
        fig.canvas.draw()
        plt.close(fig)
    return [str(w.message) for w in caught if "missing from font" in str(w.message)]


def test_a_korean_title_draws_without_missing_glyphs_only_with_the_hangul_font():
    import matplotlib

    with matplotlib.rc_context():
        matplotlib.rcParams["font.family"] = "sans-serif"
        matplotlib.rcParams["font.sans-serif"] = ["DejaVu Sans"]
        assert draw_korean_title(), "DejaVu Sans has no Hangul: matplotlib must warn (else this test proves nothing)"
    with matplotlib.rc_context():
        messages.use_language_font("ko")
        assert draw_korean_title() == []


def test_the_graders_own_failure_messages_cap_the_error_and_keep_the_hint_in_both_languages(monkeypatch):
    from ocr_lab.course import answers, box, grade

    class Failing(InProcessBox):
        def run(self, code, timeout):
            if "answer_exam" in code:
                return box.Reply("error", "MemoryError", "x" * 5000)
            return super().run(code, timeout)

    monkeypatch.setattr(box, "Box", Failing)
    run = grade._Run([], Path("."), 0, 2.0, "ko")
    run.start()
    exam = type("Exam", (), {"write": lambda self, folder: None, "parts": {"recognize_img": None}})()
    result = grade._grade_checks(run, exam, 2.0, 1e12)["recognize_img"]
    assert result["message"].startswith("채점기의 호출이 노트북의 커널에서 실패했습니다 (MemoryError: xxx")
    assert result["message_en"].startswith("the grader's call failed in the notebook's kernel (MemoryError: xxx")
    assert result["message"].endswith("...): Python이나 ocr_lab의 이름을 바꾸는 셀이 있나요?")  # the hint, whole
    assert result["message_en"].endswith("...): does a cell replace Python or ocr_lab names?")
    assert result["message_en"].count("x") < answers.ERROR_LIMIT


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_a_check_keeps_the_lecture_aware_decode_hint_whole(monkeypatch, lang):
    """The lecture's decode call fails with a long hint of ocr_lab's: the check cell shows all of it."""
    from ocr_lab.course import checks
    from ocr_lab.course.checks import cells
    from ocr_lab.decode import decode_predict_ctc
    from ocr_lab.messages import message as library_message
    from ocr_lab.labels import TARGET_CHARACTERS

    def lecture_recognize_img(pil_img, model_pred):
        out = np.full((1, 24, len(TARGET_CHARACTERS) + 1), 0.1, np.float32)
        return decode_predict_ctc(out, chars="-" + TARGET_CHARACTERS)[0].replace("-", "")

    def learner_recognize_img(pil_img, model_pred):
        raise ValueError("operands could not be broadcast together " + "with shapes (1,100,32,3) " * 40)

    monkeypatch.setattr(cells, "exam_part", lambda check, seed, models: tiny_exam().parts[check.name])
    monkeypatch.setenv(LANG_ENV, lang)
    result = checks.evaluate_recognize_img(lecture_recognize_img, model_pred=object())
    assert not result.passed
    assert library_message("decode.lecture_chars", lang, blank="-") in result.message
    assert len(result.message) > (400 if lang == "en" else 300) and "..." not in result.message
    long = checks.evaluate_recognize_img(learner_recognize_img, model_pred=object())
    assert "..." in long.message and long.message.count("(1,100,32,3)") < 20  # the learner's value is capped


def test_a_check_shows_the_verdict_not_the_learners_progress_bars(monkeypatch, capsys):
    """recognize_img calling model_pred.predict(batch) without verbose=0: no Keras progress bar in the check."""
    import tf_keras as keras

    from ocr_lab.course import checks
    from ocr_lab.course.checks import cells
    from ocr_lab.labels import TARGET_CHARACTERS

    model_pred = keras.Sequential([keras.layers.Input((100, 32, 3)), keras.layers.Reshape((100, 96)),
                                   keras.layers.Dense(len(TARGET_CHARACTERS) + 1, activation="softmax")])

    def recognize_img(pil_img, model_pred):
        model_pred.predict(np.zeros((1, 100, 32, 3), np.float32))  # verbose="auto": a progress bar
        print("my own debugging line")
        return "ABC"

    monkeypatch.setattr(cells, "exam_part", lambda check, seed, models: tiny_exam().parts[check.name])
    checks.evaluate_recognize_img(recognize_img, model_pred=model_pred)
    out = capsys.readouterr().out
    assert "step" not in out and "=====" not in out
    assert out.count("my own debugging line") == 3
    from tf_keras.src.utils import io_utils

    assert io_utils.is_interactive_logging_enabled()  # restored after the check


def test_train_recipe_is_train_modules_docstring():
    """Notebook 04 prints train.py's docstring; its Korean edition prints `train.recipe` instead, whose
    English must stay that docstring, so a change to one is a change to the other (and to the Korean)."""
    from ocr_lab import train

    assert messages.message("train.recipe", "en") == train.__doc__.split("\n\n", 1)[1]
