"""Messages: what `ocr_lab` says to a learner, in English and in Korean.

The lecture is Korean, and so are most of its learners; the course has a Korean
edition in `notebooks/ko/`. The text a learner reads from the library (the labels of
`ocr_lab.viz`'s plots) is kept here, one template per message and language, so the
code that speaks stays one piece of code; the course machinery's own text (the
exercise checks, the grader's table) is in `ocr_lab.course.messages`, built the same way.

The language is, in order: `$OCR_LAB_LANG` (`ko` or `en`), then Korean when the
working directory is a `notebooks/ko/` folder (where Jupyter runs a Korean notebook),
then English. Errors that are not for learners (bad arguments, broken files) stay English.
`use_language_font` gives matplotlib a font that can draw the learner's language.
"""
from __future__ import annotations

import os
from pathlib import Path

LANG_ENV = "OCR_LAB_LANG"
LANGUAGES = ("en", "ko")


def language() -> str:
    """The learner's language: "ko" or "en" (see the module docstring for how it is chosen)."""
    chosen = os.environ.get(LANG_ENV, "").strip().lower()
    if chosen:
        return "ko" if chosen.startswith("ko") else "en"
    cwd = Path.cwd()
    return "ko" if cwd.name == "ko" and cwd.parent.name == "notebooks" else "en"


def message(key: str, lang: str | None = None, **fields) -> str:
    """The message `key` in `lang` (default: `language()`), with `fields` filled in."""
    return fill(CATALOGUE, "ocr_lab.messages", key, lang, fields)


def fill(catalogue: dict[str, dict[str, str]], module: str, key: str, lang: str | None, fields: dict) -> str:
    """`key` of `catalogue` (the CATALOGUE of `module`) in `lang` (default: `language()`), with `fields`
    filled in."""
    templates = catalogue.get(key)
    if templates is None:
        raise KeyError(f"no message {key!r} in {module}.CATALOGUE")
    lang = lang or language()
    return templates.get(lang, templates["en"]).format(**fields)


# matplotlib's own DejaVu Sans has no Hangul: a Korean label would be drawn as empty boxes.
# Noto Sans CJK (from the `cvttf-NotoSansCJK-Regular` package: a font file, nothing downloaded
# at run time) has Hangul and Latin; DejaVu Sans stays as the fallback for symbols.
HANGUL_FONT_FAMILY = "Noto Sans CJK TC"


def hangul_font_path() -> str:
    """The file of the Hangul font the Korean edition's plots use."""
    try:
        import cvttf_NotoSansCJK_Regular
    except ImportError:
        raise ImportError("Korean plots need the font package cvttf-NotoSansCJK-Regular (in requirements.txt): "
                          "run `make venv`, or `pip install cvttf-NotoSansCJK-Regular==1.0`") from None
    return cvttf_NotoSansCJK_Regular.get_TTF_path()


def use_language_font(lang: str | None = None) -> list[str]:
    """Make matplotlib's default font one that can draw the learner's language; returns the family list.

    For Korean, Noto Sans CJK first (Hangul and Latin), then DejaVu Sans; for English,
    matplotlib's default is left alone. `ocr_lab.notebooks` calls this when a Korean
    notebook imports it, so every plot of that notebook, ours or the learner's, can draw Hangul.
    """
    import matplotlib
    from matplotlib import font_manager

    if (lang or language()) != "ko":
        return list(matplotlib.rcParams["font.family"])
    if HANGUL_FONT_FAMILY not in {f.name for f in font_manager.fontManager.ttflist}:
        font_manager.fontManager.addfont(hangul_font_path())
    families = [HANGUL_FONT_FAMILY, "DejaVu Sans"]
    matplotlib.rcParams["font.family"] = "sans-serif"
    matplotlib.rcParams["font.sans-serif"] = families + [
        f for f in matplotlib.rcParams["font.sans-serif"] if f not in families]
    matplotlib.rcParams["axes.unicode_minus"] = False  # Noto Sans CJK's minus sign is the ASCII one
    return families


CATALOGUE: dict[str, dict[str, str]] = {
    # ------------------------------------------------------------------ plots (ocr_lab.viz)
    "viz.skipped": {"en": "{label}: skipped, {reason}", "ko": "{label}: 제외됨, {reason}"},
    "skip.empty after filtering": {"en": "empty after filtering", "ko": "필터링 후 빈 라벨"},
    "skip.too long": {"en": "too long", "ko": "너무 긴 라벨"},
    "skip.too long for CTC": {"en": "too long for CTC", "ko": "CTC에 너무 긴 라벨"},
    "skip.unreadable image": {"en": "unreadable image", "ko": "읽을 수 없는 이미지"},
    "viz.height": {"en": "image height (px)", "ko": "이미지 높이 (픽셀)"},
    "viz.width": {"en": "image width (px, {bin}-px bins)", "ko": "이미지 너비 (픽셀, {bin}픽셀 구간)"},
    "viz.label_length": {"en": "label length (characters)", "ko": "라벨 길이 (글자 수)"},
    "viz.char_frequency": {"en": "character frequency", "ko": "글자 빈도"},
    # the lecture's opening, drawn (notebook 01)
    "diagram.ocr_title": {"en": "An OCR system: detection, then recognition",
                          "ko": "OCR 시스템: 검출(Detection) 다음 인식(Recognition)"},
    "diagram.photo": {"en": "photo", "ko": "사진"},
    "diagram.detection": {"en": "text detection\n(CRAFT, keras-ocr)", "ko": "텍스트 검출\n(CRAFT, keras-ocr)"},
    "diagram.crops": {"en": "word crops", "ko": "단어 crop"},
    "diagram.recognition": {"en": "text recognition\n(our CRNN + CTC)", "ko": "텍스트 인식\n(직접 만드는 CRNN + CTC)"},
    "diagram.text": {"en": "text", "ko": "텍스트"},
    "diagram.stages_title": {
        "en": "The four stages of a scene-text recognizer (Baek et al. 2019)",
        "ko": "장면 텍스트 인식 모델의 네 단계 (Baek et al. 2019)"},
    "diagram.stage_transformation": {"en": "1. transformation", "ko": "1. 변환\n(Transformation)"},
    "diagram.stage_features": {"en": "2. feature extraction", "ko": "2. 특징 추출\n(Feature extraction)"},
    "diagram.stage_sequence": {"en": "3. sequence modelling", "ko": "3. 시퀀스 모델링\n(Sequence modeling)"},
    "diagram.stage_prediction": {"en": "4. prediction", "ko": "4. 예측\n(Prediction)"},
    "diagram.crnn_row": {"en": "CRNN (2015),\nthis course", "ko": "CRNN (2015),\n이 코스"},
    "diagram.later_row": {"en": "what came after\n(best in the paper)", "ko": "그 이후\n(논문의 최고 조합)"},
    "diagram.none": {"en": "none", "ko": "없음"},
    "diagram.tps": {"en": "TPS (thin-plate spline)", "ko": "TPS (thin-plate spline)"},
    "diagram.vgg": {"en": "VGG-style convs", "ko": "VGG식 합성곱"},
    "diagram.resnet": {"en": "ResNet", "ko": "ResNet"},
    "diagram.bilstm": {"en": "BiLSTM", "ko": "BiLSTM"},
    "diagram.ctc": {"en": "CTC", "ko": "CTC"},
    "diagram.attention": {"en": "attention decoder", "ko": "Attention 디코더"},
}
