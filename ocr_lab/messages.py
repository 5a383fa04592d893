"""Messages: what `ocr_lab` says to a learner, in English and in Korean.

The lecture is Korean, and so are most of its learners; the course has a Korean
edition in `notebooks/ko/`. The text a learner reads from the package (the exercise
checks, the grader's table, the labels of `ocr_lab.viz`'s plots) is kept here, one
template per message and language, so the code that speaks stays one piece of code.

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
    templates = CATALOGUE.get(key)
    if templates is None:
        raise KeyError(f"no message {key!r} in ocr_lab.messages.CATALOGUE")
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
    # ------------------------------------------------------------------ a check's result (ocr_lab.checks)
    "result.passed": {"en": "passed", "ko": "통과"},
    "result.failed": {"en": "FAILED", "ko": "실패"},
    "result.passed_mark": {"en": "✔ passed", "ko": "✔ 통과"},
    "result.failed_mark": {"en": "✘ failed", "ko": "✘ 실패"},
    "result.did_not_pass": {"en": "{check} did not pass (see the message above)",
                            "ko": "{check} 체크를 통과하지 못했습니다 (위의 메시지를 보세요)"},
    "rubric.detect_text": {"en": "detect_text returns the annotated image and one crop per word box, 5-px margin",
                           "ko": "detect_text가 박스를 그린 이미지와, 단어 박스마다 5픽셀 여백을 둔 crop 하나씩을 돌려준다"},
    "rubric.recognize_img": {"en": "recognize_img reads rendered word crops as ocr_lab's recognizer does",
                             "ko": "recognize_img가 렌더링한 단어 crop을 ocr_lab의 인식 모델처럼 읽는다"},
    "rubric.end_to_end": {"en": "detect_text + recognize_img read the words of the sample photo",
                          "ko": "detect_text + recognize_img로 샘플 사진의 단어를 읽는다"},
    # ------------------------------------------------------------------ check_detect_text
    "detect.not_written": {
        "en": "detect_text is not written yet: replace `raise NotImplementedError` with your code.",
        "ko": "detect_text가 아직 작성되지 않았습니다: `raise NotImplementedError`를 여러분의 코드로 바꾸세요."},
    "detect.raised": {"en": "detect_text({path!r}) raised {error}",
                      "ko": "detect_text({path!r})에서 오류가 났습니다: {error}"},
    "detect.not_pair": {
        "en": "detect_text should return a pair (annotated image, list of crops), like the lecture's "
              "`return result_img, cropped_imgs`; got {got}.",
        "ko": "detect_text는 강의의 `return result_img, cropped_imgs`처럼 (박스를 그린 이미지, crop 리스트) "
              "한 쌍을 돌려줘야 합니다. 돌려준 값: {got}."},
    "detect.not_image": {"en": "the first value returned should be the annotated PIL image; got {got}.",
                         "ko": "첫 번째 반환값은 박스를 그린 PIL 이미지여야 합니다. 돌려준 값: {got}."},
    "detect.wrong_size": {
        "en": "the annotated image is {width}x{height} px but the input is {in_width}x{in_height} px: "
              "draw on a copy of the input image.",
        "ko": "박스를 그린 이미지는 {width}x{height} 픽셀인데 입력 이미지는 {in_width}x{in_height} 픽셀입니다: "
              "입력 이미지의 복사본 위에 그리세요."},
    "detect.not_crops": {
        "en": "the second value returned should be a list of PIL images (the crops); got {got}.",
        "ko": "두 번째 반환값은 PIL 이미지(crop)의 리스트여야 합니다. 돌려준 값: {got}."},
    "detect.crop_count": {
        "en": "on the test scene CRAFT finds {boxes} word boxes, so detect_text should return {boxes} crops; "
              "it returned {crops}.",
        "ko": "테스트 장면에서 CRAFT가 단어 박스 {boxes}개를 찾으므로 detect_text는 crop {boxes}개를 돌려줘야 합니다. "
              "돌려준 개수: {crops}."},
    "detect.not_drawn": {
        "en": "the annotated image is identical to the input: draw each box on it "
              "(for example `ImageDraw.Draw(img).polygon(points, outline='red')`).",
        "ko": "박스를 그린 이미지가 입력과 똑같습니다: 박스를 하나씩 그 위에 그리세요 "
              "(예: `ImageDraw.Draw(img).polygon(points, outline='red')`)."},
    "detect.hint_margin": {
        "en": " That is the size of the box itself: add the {margin}-pixel margin on every side "
              "(x_min - {margin}, y_min - {margin}, x_max + {margin}, y_max + {margin}).",
        "ko": " 이것은 박스 자체의 크기입니다: 모든 방향으로 {margin}픽셀 여백을 더하세요 "
              "(x_min - {margin}, y_min - {margin}, x_max + {margin}, y_max + {margin})."},
    "detect.hint_rect": {
        "en": " Crop the box's bounding rectangle, x from the min to the max of the box's x values, y likewise, "
              "each grown by {margin} px; the box's points are (x, y).",
        "ko": " 박스를 감싸는 직사각형을 자르세요: x는 박스 x 값의 최솟값부터 최댓값까지, y도 마찬가지로, "
              "각각 {margin}픽셀씩 넓혀서. 박스의 점은 (x, y)입니다."},
    "detect.crop_size": {
        "en": "crop {index} is {width}x{height} px, but box {index} plus a {margin}-pixel margin is "
              "{expected_width}x{expected_height} px.{hint}",
        "ko": "crop {index}는 {width}x{height} 픽셀인데, 박스 {index}에 {margin}픽셀 여백을 더하면 "
              "{expected_width}x{expected_height} 픽셀입니다.{hint}"},
    "detect.red_lines": {
        "en": "crop {index} has the red box lines in it: cut the crops from the original image, "
              "not from the copy you drew on.",
        "ko": "crop {index}에 빨간 박스 선이 들어 있습니다: 박스를 그린 복사본이 아니라 원본 이미지에서 자르세요."},
    "detect.wrong_pixels": {
        "en": "crop {index} does not show the pixels inside box {index} (mean difference {diff:.0f} grey levels): "
              "crop the input image at the box's x and y range.",
        "ko": "crop {index}가 박스 {index} 안의 픽셀을 보여주지 않습니다 (평균 차이 {diff:.0f} 밝기 단계): "
              "입력 이미지를 박스의 x, y 범위로 자르세요."},
    "detect.blank_raised": {
        "en": "on an image without text detect_text raised {error}; it should return the image and an empty list.",
        "ko": "글자가 없는 이미지에서 detect_text가 오류를 냈습니다: {error}. 이미지와 빈 리스트를 돌려줘야 합니다."},
    "detect.blank_crops": {"en": "on a blank white image detect_text returned {crops} crops; expected none.",
                           "ko": "빈 흰색 이미지에서 detect_text가 crop {crops}개를 돌려줬습니다. 0개여야 합니다."},
    "detect.passed": {
        "en": "{crops} crops for the {boxes} word boxes on a generated scene, each the box plus a {margin}-px margin; "
              "no crops on a blank image.",
        "ko": "생성한 장면의 단어 박스 {boxes}개에 대해 crop {crops}개, 모두 박스에 {margin}픽셀 여백을 더한 크기입니다. "
              "빈 이미지에서는 crop이 없습니다."},
    # ------------------------------------------------------------------ check_recognize_img
    "recognize.bad_model": {
        "en": "the model passed to the check reads only {read} of {total} clean word crops even with ocr_lab's own "
              "code, so it cannot judge your function: pass the shipped model (`load_recognizer().model`).",
        "ko": "체크에 넘긴 모델은 ocr_lab의 코드로도 깨끗한 단어 crop {total}개 중 {read}개만 읽으므로 여러분의 함수를 "
              "판단할 수 없습니다: 함께 제공되는 모델(`load_recognizer().model`)을 넘기세요."},
    "recognize.not_written": {
        "en": "recognize_img is not written yet: replace `raise NotImplementedError` with your code.",
        "ko": "recognize_img가 아직 작성되지 않았습니다: `raise NotImplementedError`를 여러분의 코드로 바꾸세요."},
    "recognize.hint_wide": {
        "en": " This crop is {width}x{height} px: resized to height 32 it is wider than 100 px, so cap the width at "
              "100 (min(width * 32 / height, 100)), as MJDatasetSequence does.",
        "ko": " 이 crop은 {width}x{height} 픽셀이라 높이 32로 줄이면 너비가 100픽셀을 넘습니다: MJDatasetSequence처럼 "
              "너비를 100으로 제한하세요 (min(width * 32 / height, 100))."},
    "recognize.hint_shape": {
        "en": " model_pred wants a float32 batch of shape (1, 100, 32, 3): one image, width first (transpose the "
              "(32, width, 3) array to (width, 32, 3)), padded with black to 100.",
        "ko": " model_pred의 입력은 (1, 100, 32, 3) 모양의 float32 배치입니다: 이미지 한 장, 너비가 먼저 오도록 "
              "((32, width, 3) 배열을 (width, 32, 3)으로 transpose), 100까지 검은색으로 채워서."},
    "recognize.raised": {"en": "recognize_img on a {width}x{height} crop of {word!r} raised {error}.{hint}",
                         "ko": "{word!r}의 {width}x{height} crop에서 recognize_img가 오류를 냈습니다: {error}.{hint}"},
    "recognize.returned_list": {
        "en": "recognize_img should return one string (e.g. {expected!r}); it returned {got}. decode_predict_ctc "
              "returns a list, one text per image: take element [0].",
        "ko": "recognize_img는 문자열 하나(예: {expected!r})를 돌려줘야 합니다. 돌려준 값: {got}. decode_predict_ctc는 "
              "이미지마다 텍스트 하나씩 리스트를 돌려주므로 [0] 원소를 꺼내세요."},
    "recognize.hint_printed": {"en": " Did you print the text instead of returning it?",
                               "ko": " 텍스트를 return하지 않고 print하지 않았나요?"},
    "recognize.not_str": {"en": "recognize_img should return the text as a str; it returned {got}.{hint}",
                          "ko": "recognize_img는 텍스트를 str로 돌려줘야 합니다. 돌려준 값: {got}.{hint}"},
    "recognize.blank_left": {
        "en": "recognize_img returned {got!r} for {word!r}: the '-' is the CTC blank and must not appear in the text "
              "(decode_predict_ctc drops it).",
        "ko": "recognize_img가 {word!r}에 대해 {got!r}를 돌려줬습니다: '-'는 CTC의 공백 문자(blank)이므로 텍스트에 "
              "남으면 안 됩니다 (decode_predict_ctc가 지워 줍니다)."},
    "recognize.wrong": {
        "en": "{wrong} of {total} clean word crops read wrong (expected -> got): {listing}. ocr_lab's recognizer reads "
              "them all. Check the preprocessing: RGB, height 32 keeping the aspect ratio (width at most 100), "
              "transposed to width first and padded with black to (100, 32, 3), pixel values 0..255, a batch of one; "
              "then decode with decode_predict_ctc.",
        "ko": "깨끗한 단어 crop {total}개 중 {wrong}개를 잘못 읽었습니다 (정답 -> 결과): {listing}. ocr_lab의 인식 모델은 "
              "모두 읽습니다. 전처리를 확인하세요: RGB, 비율을 유지한 채 높이 32 (너비는 최대 100), 너비가 먼저 오도록 "
              "transpose하고 (100, 32, 3)까지 검은색으로 채우기, 픽셀 값 0..255, 한 장짜리 배치. 그다음 "
              "decode_predict_ctc로 디코딩합니다."},
    "recognize.passed": {"en": "read all {total} rendered word crops correctly: {words}.",
                         "ko": "렌더링한 단어 crop {total}개를 모두 맞게 읽었습니다: {words}."},
    # ------------------------------------------------------------------ check_end_to_end
    "e2e.not_written": {"en": "detect_text or recognize_img is not written yet.",
                        "ko": "detect_text 또는 recognize_img가 아직 작성되지 않았습니다."},
    "e2e.raised": {"en": "OCR of {photo} raised {error}", "ko": "{photo}의 OCR에서 오류가 났습니다: {error}"},
    "e2e.read_only": {"en": "read {count} words on {photo}: {words}", "ko": "{photo}에서 단어 {count}개를 읽었습니다: {words}"},
    "e2e.summary": {
        "en": "read {correct} of the {total} words on {photo} (ocr_lab's own pipeline reads {reference}).\n"
              "read:    {read}\nwritten: {written}",
        "ko": "{photo}의 단어 {total}개 중 {correct}개를 읽었습니다 (ocr_lab의 파이프라인은 {reference}개).\n"
              "읽은 것:  {read}\n쓰인 것:  {written}"},
    "e2e.too_few": {"en": "{summary}\nAt least {needed} should be read.",
                    "ko": "{summary}\n적어도 {needed}개는 읽어야 합니다."},
    "words.none": {"en": "(none)", "ko": "(없음)"},
    "words.nothing": {"en": "(nothing)", "ko": "(없음)"},
    # ------------------------------------------------------------------ the grader's table (ocr_lab.grade)
    "grade.header": {"en": "{notebook}: {passed} of {total} checks passed, ran {seconds:.0f} s, {status}",
                     "ko": "{notebook}: 체크 {total}개 중 {passed}개 통과, 실행 {seconds:.0f}초, {status}"},
    "grade.check": {"en": "check", "ko": "체크"},
    "grade.result": {"en": "result", "ko": "결과"},
    "grade.message": {"en": "message", "ko": "메시지"},
    "grade.pass": {"en": "pass", "ko": "통과"},
    "grade.fail": {"en": "FAIL", "ko": "실패"},
    "grade.not_run": {"en": "not run", "ko": "실행 안 됨"},
    "grade.stopped": {"en": "did not run: the notebook stopped before it (see above)",
                      "ko": "실행되지 않음: 노트북이 그 전에 멈췄습니다 (위를 보세요)"},
    "grade.missing": {"en": "the check cell is missing, or it never ran",
                      "ko": "체크 셀이 없거나 한 번도 실행되지 않았습니다"},
    "grade.end_to_end": {"en": "end-to-end on the sample photo: {words}", "ko": "샘플 사진의 end-to-end 결과: {words}"},
    "grade.words_read": {"en": "{correct}/{total} words: {words}", "ko": "단어 {total}개 중 {correct}개: {words}"},
    "grade.error": {"en": "error: {error}", "ko": "오류: {error}"},
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
    "diagram.boxes": {"en": "word boxes", "ko": "단어 박스"},
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
