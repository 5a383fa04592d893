"""ocr_lab.messages: every message in both languages, the language chosen as documented, and a
Korean plot drawn in a font that has Hangul (checked without looking at a picture)."""
import string
import warnings
from pathlib import Path

import pytest

from ocr_lab import messages
from ocr_lab.messages import CATALOGUE, LANG_ENV, language, message


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
    assert message("detect.crop_count", boxes=6, crops=5) == (
        "테스트 장면에서 CRAFT가 단어 박스 6개를 찾으므로 detect_text는 crop 6개를 돌려줘야 합니다. 돌려준 개수: 5.")
    assert message("detect.crop_count", "en", boxes=6, crops=5).startswith("on the test scene CRAFT finds 6")
    with pytest.raises(KeyError, match="no message"):
        message("no.such.key")


def test_check_results_speak_the_learners_language(monkeypatch):
    from ocr_lab import checks

    def not_written(img_path, detector):
        raise NotImplementedError("your code here")

    monkeypatch.setattr(checks, "_detect_scene", lambda: (__import__("PIL.Image").Image.new("RGB", (64, 48)), [1]))
    monkeypatch.setenv(LANG_ENV, "ko")
    result = checks.evaluate_detect_text(not_written, detector=object())
    assert not result.passed and result.message.startswith("detect_text가 아직 작성되지 않았습니다")
    assert "✘ detect_text: 실패." in str(result)
    monkeypatch.setenv(LANG_ENV, "en")
    result = checks.evaluate_detect_text(not_written, detector=object())
    assert result.message.startswith("detect_text is not written yet")


def test_the_grade_table_is_in_the_notebooks_language():
    from ocr_lab.grade import Grade, format_grade

    checks = {"detect_text": {"passed": True, "message": "ok"}}
    english = format_grade(Grade("x.ipynb", "finished", 3.0, checks, [], "en"), width=100)
    korean = format_grade(Grade("x.ipynb", "finished", 3.0, checks, [], "ko"), width=100)
    assert "1 of 3 checks passed" in english and "not run" in english
    assert "체크 3개 중 1개 통과" in korean and "실행 안 됨" in korean and "통과" in korean


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
        ax.set_title(message("diagram.ocr_title", "ko"))
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
