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
    "rubric.detect_text": {
        "en": "detect_text's crops cover the words of a scene generated at grading time; none on a blank image",
        "ko": "detect_text의 crop이 채점할 때 생성한 장면의 단어를 덮는다. 빈 이미지에서는 crop이 없다"},
    "rubric.recognize_img": {
        "en": "recognize_img reads word crops rendered at grading time, as ocr_lab's recognizer does",
        "ko": "recognize_img가 채점할 때 렌더링한 단어 crop을 ocr_lab의 인식 모델처럼 읽는다"},
    "rubric.end_to_end": {"en": "detect_text + recognize_img read the words of another generated scene",
                          "ko": "detect_text + recognize_img로 생성한 다른 장면의 단어를 읽는다"},
    "check.graded_elsewhere": {
        "en": "{name}: checked by the grader after the notebook has run (this cell stands aside while grading).",
        "ko": "{name}: 노트북 실행이 끝난 뒤 채점기가 체크합니다 (채점 중에는 이 셀이 물러나 있습니다)."},
    "check.no_answer": {"en": "no answer", "ko": "답이 없음"},
    # the course's reference implementations, called during an exam (ocr_lab.answers' stand-ins)
    "answers.standin": {"en": "write it yourself: this calls the course's reference implementation",
                        "ko": "직접 작성하세요: 코스의 참조 구현을 호출하고 있습니다"},
    "check.reference": {"en": "{standin} ({called}). Write {name} with the building blocks the exercise names.",
                        "ko": "{standin} ({called}). 연습 문제가 알려 주는 구성 요소로 {name}를 작성하세요."},
    "check.both_functions": {"en": "detect_text and recognize_img", "ko": "detect_text와 recognize_img"},
    # ------------------------------------------------------------------ detect_text (checks.score_detect_text)
    "detect.not_written": {
        "en": "detect_text is not written yet: replace `raise NotImplementedError` with your code.",
        "ko": "detect_text가 아직 작성되지 않았습니다: `raise NotImplementedError`를 여러분의 코드로 바꾸세요."},
    "detect.hint_crop_order": {
        "en": " PIL's crop takes (x_min, y_min, x_max, y_max), each max above its min: are x and y swapped? "
              "keras-ocr's boxes are (x, y) points already.",
        "ko": " PIL의 crop은 (x_min, y_min, x_max, y_max)를 받고, max는 각각 min보다 커야 합니다: x와 y가 바뀌지 "
              "않았나요? keras-ocr의 박스는 이미 (x, y) 점입니다."},
    "detect.raised": {"en": "detect_text(scene_path, detector) raised {error}.{hint}",
                      "ko": "detect_text(scene_path, detector)에서 오류가 났습니다: {error}.{hint}"},
    "detect.hint_list": {"en": " You returned a list; `return result_img, cropped_imgs` makes the pair.",
                         "ko": " 리스트를 돌려줬습니다. `return result_img, cropped_imgs`라고 쓰면 한 쌍이 됩니다."},
    "detect.not_pair": {
        "en": "detect_text should return a pair (annotated image, list of crops), like the lecture's "
              "`return result_img, cropped_imgs`; got {got}.{hint}",
        "ko": "detect_text는 강의의 `return result_img, cropped_imgs`처럼 (박스를 그린 이미지, crop 리스트) "
              "한 쌍을 돌려줘야 합니다. 돌려준 값: {got}.{hint}"},
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
    "detect.not_drawn": {
        "en": "the annotated image is identical to the input: draw each box on it "
              "(for example `ImageDraw.Draw(img).polygon(points, outline='red')`).",
        "ko": "박스를 그린 이미지가 입력과 똑같습니다: 박스를 하나씩 그 위에 그리세요 "
              "(예: `ImageDraw.Draw(img).polygon(points, outline='red')`)."},
    "detect.no_crops": {
        "en": "detect_text returned no crops on a scene where the detector finds {boxes} word boxes: "
              "one crop per box in `detector.detect([image])[0]`.",
        "ko": "검출기가 단어 박스 {boxes}개를 찾는 장면에서 detect_text가 crop을 하나도 돌려주지 않았습니다: "
              "`detector.detect([image])[0]`의 박스마다 crop을 하나씩 만드세요."},
    "detect.annotated_crop": {
        "en": "crop {index} has the box lines in it: cut the crops from the original image, "
              "not from the copy you drew on.",
        "ko": "crop {index}에 박스 선이 들어 있습니다: 박스를 그린 복사본이 아니라 원본 이미지에서 자르세요."},
    "detect.foreign_crop": {
        "en": "crop {index} ({width}x{height} px, {mode}) shows no part of the input image: crop the RGB input "
              "itself, at each box's x and y range (or warp the box with keras_ocr.tools.warpBox), without resizing.",
        "ko": "crop {index}({width}x{height} 픽셀, {mode})는 입력 이미지의 어느 부분도 아닙니다: RGB 입력 이미지 자체를 "
              "박스마다 x, y 범위로 자르세요 (또는 keras_ocr.tools.warpBox로 박스를 펴세요). 크기는 바꾸지 마세요."},
    "detect.too_large": {
        "en": "crop {index} ({where}) holds {count} word(s) but is much larger than them: "
              "cut each box, with at most a small margin.",
        "ko": "crop {index}({where})에 단어 {count}개가 들어 있지만 단어보다 훨씬 큽니다: "
              "박스를 하나씩, 여백은 조금만 두고 자르세요."},
    "detect.hint_swapped": {"en": " x and y are swapped: keras-ocr's boxes are (x, y) points already.",
                            "ko": " x와 y가 바뀌었습니다: keras-ocr의 박스는 이미 (x, y) 점입니다."},
    "detect.no_word": {"en": "crop {index} shows a part of the scene where there is no word ({where}).{hint}",
                       "ko": "crop {index}는 장면에서 단어가 없는 부분입니다 ({where}).{hint}"},
    "detect.hint_one_per_box": {
        "en": " It returned {crops} crops for the {boxes} boxes the detector finds: one crop per box.",
        "ko": " 검출기가 찾은 박스 {boxes}개에 대해 crop {crops}개를 돌려줬습니다: 박스마다 crop 하나씩입니다."},
    "detect.missed": {
        "en": "the crops cover {covered} of the {total} words that ocr_lab's detect_text covers on a generated "
              "scene; missed: {missed}.{hint}",
        "ko": "생성한 장면에서 ocr_lab의 detect_text가 덮는 단어 {total}개 중 crop이 덮는 단어는 {covered}개입니다. "
              "놓친 곳: {missed}.{hint}"},
    "detect.blank_raised": {
        "en": "on an image without text detect_text raised {error}; it should return the image and an empty list.",
        "ko": "글자가 없는 이미지에서 detect_text가 오류를 냈습니다: {error}. 이미지와 빈 리스트를 돌려줘야 합니다."},
    "detect.blank_not_pair": {
        "en": "on a blank image detect_text returned {got}; expected (the image, an empty list).",
        "ko": "빈 이미지에서 detect_text가 {got}를 돌려줬습니다. (이미지, 빈 리스트)여야 합니다."},
    "detect.blank_crops": {"en": "on a blank white image detect_text returned {crops} crops; expected none.",
                           "ko": "빈 흰색 이미지에서 detect_text가 crop {crops}개를 돌려줬습니다. 0개여야 합니다."},
    "detect.passed": {
        "en": "{crops} crops covering {covered} of the {total} words ocr_lab's detect_text covers on a generated "
              "scene; no crops on a blank image.",
        "ko": "crop {crops}개가 생성한 장면에서 ocr_lab의 detect_text가 덮는 단어 {total}개 중 {covered}개를 덮습니다. "
              "빈 이미지에서는 crop이 없습니다."},
    # ------------------------------------------------------------------ recognize_img (checks.score_recognize_img)
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
    "recognize.bad_checkpoint": {
        "en": "ocr_lab's own recognizer reads only {read} of {total} exam crops, so the exam cannot judge your "
              "function: the checkpoint is wrong.",
        "ko": "ocr_lab의 인식 모델이 시험 crop {total}개 중 {read}개만 읽으므로 이 시험으로는 여러분의 함수를 "
              "판단할 수 없습니다: 체크포인트가 잘못되었습니다."},
    "recognize.not_written": {
        "en": "recognize_img is not written yet: replace `raise NotImplementedError` with your code.",
        "ko": "recognize_img가 아직 작성되지 않았습니다: `raise NotImplementedError`를 여러분의 코드로 바꾸세요."},
    "recognize.raised": {"en": "recognize_img on a {width}x{height} crop of {word!r} raised {error}.{hint}",
                         "ko": "{word!r}의 {width}x{height} crop에서 recognize_img가 오류를 냈습니다: {error}.{hint}"},
    "recognize.returned_list": {
        "en": "recognize_img should return one string (e.g. {expected!r}); it returned {got}. decode_predict_ctc "
              "returns a list, one text per image: take element [0].",
        "ko": "recognize_img는 문자열 하나(예: {expected!r})를 돌려줘야 합니다. 돌려준 값: {got}. decode_predict_ctc는 "
              "이미지마다 텍스트 하나씩 리스트를 돌려주므로 [0] 원소를 꺼내세요."},
    "recognize.returned_array": {
        "en": "recognize_img should return one string (e.g. {expected!r}); it returned {got}: decode the prediction "
              "with decode_predict_ctc(y_pred, TARGET_CHARACTERS) and return element [0].",
        "ko": "recognize_img는 문자열 하나(예: {expected!r})를 돌려줘야 합니다. 돌려준 값: {got}. 예측을 "
              "decode_predict_ctc(y_pred, TARGET_CHARACTERS)로 디코딩해서 [0] 원소를 돌려주세요."},
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
              "width first, padded with black to (100, 32, 3), values 0..255, a batch of one.",
        "ko": "깨끗한 단어 crop {total}개 중 {wrong}개를 잘못 읽었습니다 (정답 -> 결과): {listing}. ocr_lab의 인식 모델은 "
              "모두 읽습니다. 전처리를 확인하세요: RGB, 비율을 유지한 채 높이 32 (너비는 최대 100), 너비가 먼저 오도록, "
              "(100, 32, 3)까지 검은색으로 채우기, 값 0..255, 한 장짜리 배치."},
    "recognize.passed": {"en": "read all {total} word crops rendered for this exam: {words}.",
                         "ko": "이 시험을 위해 렌더링한 단어 crop {total}개를 모두 맞게 읽었습니다: {words}."},
    # ------------------------------------------------------------------ both together (checks.score_end_to_end)
    "e2e.not_written": {"en": "detect_text or recognize_img is not written yet.",
                        "ko": "detect_text 또는 recognize_img가 아직 작성되지 않았습니다."},
    "e2e.raised": {"en": "OCR of a generated scene raised {error}.{hint}",
                   "ko": "생성한 장면의 OCR에서 오류가 났습니다: {error}.{hint}"},
    "e2e.not_strings": {"en": "recognize_img should return a str for each crop of detect_text; got {got}.",
                        "ko": "recognize_img는 detect_text의 crop마다 str을 돌려줘야 합니다. 돌려준 값: {got}."},
    "e2e.summary": {
        "en": "read {correct} of the {total} words on a generated scene (ocr_lab's own pipeline reads {reference}).\n"
              "read:    {read}\nwritten: {written}",
        "ko": "생성한 장면의 단어 {total}개 중 {correct}개를 읽었습니다 (ocr_lab의 파이프라인은 {reference}개).\n"
              "읽은 것:  {read}\n쓰인 것:  {written}"},
    "e2e.too_few": {"en": "{summary}\nAt least {needed} should be read.",
                    "ko": "{summary}\n적어도 {needed}개는 읽어야 합니다."},
    "words.nothing": {"en": "(nothing)", "ko": "(없음)"},
    # ------------------------------------------------------------------ the grader's table (ocr_lab.grade)
    "grade.header": {"en": "{notebook}: {passed} of {total} checks passed, ran {seconds:.0f} s, {status}",
                     "ko": "{notebook}: 체크 {total}개 중 {passed}개 통과, 실행 {seconds:.0f}초, {status}"},
    "grade.finished": {"en": "finished", "ko": "끝까지 실행됨"},
    "grade.check": {"en": "check", "ko": "체크"},
    "grade.result": {"en": "result", "ko": "결과"},
    "grade.message": {"en": "message", "ko": "메시지"},
    "grade.pass": {"en": "pass", "ko": "통과"},
    "grade.fail": {"en": "FAIL", "ko": "실패"},
    "grade.not_run": {"en": "not run", "ko": "실행 안 됨"},
    "grade.not_graded": {"en": "not graded: {status}", "ko": "채점되지 않음: {status}"},
    "grade.end_to_end": {"en": "end-to-end on a generated scene: {words}",
                         "ko": "생성한 장면의 end-to-end 결과: {words}"},
    "grade.words_read": {"en": "{correct}/{total} words: {words}", "ko": "단어 {total}개 중 {correct}개: {words}"},
    "grade.error": {"en": "error: {error}", "ko": "오류: {error}"},
    "grade.kernel_lost": {"en": "not run: the notebook's kernel could not be restarted",
                          "ko": "실행 안 됨: 노트북의 커널을 다시 시작할 수 없었습니다"},
    "grade.answers_unreadable": {"en": "{error}: did the notebook's code change ocr_lab?",
                                 "ko": "{error}: 노트북의 코드가 ocr_lab을 바꾸지 않았나요?"},
    "grade.call_failed": {
        "en": "the grader's call failed in the notebook's kernel ({error}): does a cell replace Python or ocr_lab names?",
        "ko": "채점기의 호출이 노트북의 커널에서 실패했습니다 ({error}): Python이나 ocr_lab의 이름을 바꾸는 셀이 있나요?"},
    "grade.check_timeout": {"en": "took longer than {seconds:g} s and was interrupted: does a loop never end?",
                            "ko": "{seconds:g}초보다 오래 걸려서 중단했습니다: 끝나지 않는 반복문이 있나요?"},
    "grade.kernel_died": {"en": "the kernel died while the grader called the functions",
                          "ko": "채점기가 함수를 호출하는 동안 커널이 죽었습니다"},
    "grade.check_stuck": {
        "en": "took longer than {seconds:g} s and could not be interrupted while the grader called the functions",
        "ko": "채점기가 함수를 호출하는 동안 {seconds:g}초보다 오래 걸렸고 중단할 수도 없었습니다"},
    # ------------------------------------------------------------------ the command line's errors (ocr_lab.cli, the verbs)
    "run.locked": {
        "en": "--run-dir {run_dir!r} is in use by another training run (process {pid} on {host}, since {since}); "
              "wait for it to finish, stop it, or choose another --run-dir",
        "ko": "--run-dir {run_dir!r}는 다른 학습이 쓰고 있습니다 ({host}의 프로세스 {pid}, {since}부터): 그 학습이 끝나기를 "
              "기다리거나, 그 학습을 멈추거나, 다른 --run-dir를 고르세요"},
    "run.lock_taken_over": {
        "en": "note: {run_dir!r} was locked by process {pid} on {host}, which has ended without unlocking it; "
              "this run takes the folder over",
        "ko": "참고: {run_dir!r}는 {host}의 프로세스 {pid}가 잠근 채 끝났습니다. 이 학습이 폴더를 넘겨받습니다"},
    "run.not_a_folder": {"en": "--run-dir {run_dir!r} exists and is not a folder; give a folder for the run",
                         "ko": "--run-dir {run_dir!r}는 폴더가 아닙니다: 학습 결과를 넣을 폴더를 주세요"},
    "interrupted.train": {
        "en": "interrupted: {run_dir!r} keeps every finished epoch (state.json, last/, best.h5), the epoch under way "
              "is lost; run the same command again to resume",
        "ko": "중단됨: {run_dir!r}에는 끝난 epoch가 모두 남아 있고 (state.json, last/, best.h5) 진행 중이던 epoch만 "
              "사라졌습니다. 같은 명령을 다시 실행하면 이어서 학습합니다"},
    "interrupted.make_lmdb": {
        "en": "interrupted: {output!r} is as it was before (the unfinished LMDB was removed); run the command again",
        "ko": "중단됨: {output!r}는 실행 전 그대로입니다 (다 만들지 못한 LMDB는 지웠습니다). 명령을 다시 실행하세요"},
    "interrupted.synth": {
        "en": "interrupted: the splits already finished under {out!r} are kept, the unfinished one was removed, and "
              "the set is not marked complete; run the command again with --force to build it",
        "ko": "중단됨: {out!r}에 이미 다 만든 split은 남아 있고, 만들던 split은 지웠으며, 데이터 세트는 완성 표시가 "
              "없습니다. --force를 붙여 명령을 다시 실행하면 새로 만듭니다"},
    "interrupted.ocr": {
        "en": "interrupted: the results of the images read so far are in {out!r}, each whole; no image was left "
              "half-written; run the command again for the rest",
        "ko": "중단됨: 지금까지 읽은 이미지의 결과는 {out!r}에 온전히 있고, 반쯤 쓰인 파일은 없습니다. 나머지는 명령을 "
              "다시 실행하세요"},
    "interrupted.other": {"en": "interrupted: every file this command writes is written whole or not at all",
                          "ko": "중단됨: 이 명령이 쓰는 파일은 모두 온전히 쓰였거나 전혀 쓰이지 않았습니다"},
    "error.symlink_loop": {
        "en": "{path!r} is a symbolic link that leads nowhere (a loop, or a missing target); give a real file or folder",
        "ko": "{path!r}는 아무 데도 이어지지 않는 심볼릭 링크입니다 (순환하거나 대상이 없습니다): 실제 파일이나 폴더를 주세요"},
    "error.disk_full": {
        "en": "no space left on the disk while writing {path!r}; free some space or choose another folder, "
              "then run the command again",
        "ko": "{path!r}를 쓰는 중에 디스크 공간이 모자랐습니다: 공간을 비우거나 다른 폴더를 고른 뒤 명령을 다시 실행하세요"},
    "error.out_of_memory": {
        "en": "not enough memory to read this image; try a smaller --detect-side, or a smaller photo",
        "ko": "이 이미지를 읽기에는 메모리가 모자랍니다: 더 작은 --detect-side나 더 작은 사진을 쓰세요"},
    "error.library": {"en": "{library} failed: {error}", "ko": "{library}에서 오류가 났습니다: {error}"},
    "error.not_writable": {
        "en": "{flag} {path!r} cannot be written: no permission to write in {folder!r}; choose another path",
        "ko": "{flag} {path!r}를 쓸 수 없습니다: {folder!r}에 쓸 권한이 없습니다. 다른 경로를 고르세요"},
    "error.under_a_file": {"en": "{flag} {path!r} cannot be made: {parent!r} is a file",
                           "ko": "{flag} {path!r}를 만들 수 없습니다: {parent!r}가 파일입니다"},
    "error.not_finite": {"en": "{flag} must be a finite number, got {value}",
                         "ko": "{flag}는 유한한 수여야 합니다. 받은 값: {value}"},
    "error.not_positive": {"en": "{flag} must be greater than 0, got {value}",
                           "ko": "{flag}는 0보다 커야 합니다. 받은 값: {value}"},
    "error.not_in_range": {"en": "{flag} must be between {low} and {high}, got {value}",
                           "ko": "{flag}는 {low}와 {high} 사이여야 합니다. 받은 값: {value}"},
    "train.diverged": {
        "en": "training stopped at epoch {epoch}: the loss became {loss} (the weights blew up, usually a learning "
              "rate too high for this data); {kept} Run again with --restart and a smaller --lr (this run used {lr:g})",
        "ko": "epoch {epoch}에서 학습을 멈췄습니다: 손실이 {loss}가 되었습니다 (가중치가 발산했습니다. 보통 이 데이터에 "
              "비해 학습률이 너무 큽니다). {kept} --restart와 더 작은 --lr로 다시 실행하세요 (이번 학습은 {lr:g})"},
    "train.diverged_kept": {"en": "best.h5 keeps epoch {epoch}, the best one before it.",
                            "ko": "best.h5에는 그 전의 가장 좋은 epoch {epoch}가 남아 있습니다."},
    "train.diverged_nothing": {"en": "No checkpoint was saved.", "ko": "저장된 체크포인트는 없습니다."},
    "train.memory": {
        "en": "training needs about {needed:.1f} GB of memory (batch {batch_size}, config {config!r}); "
              "{available:.1f} GB is available here. Lower --batch-size, or run where there is more memory",
        "ko": "학습에는 메모리가 약 {needed:.1f} GB 필요합니다 (배치 {batch_size}, 설정 {config!r}). 여기서 쓸 수 있는 "
              "메모리는 {available:.1f} GB입니다. --batch-size를 줄이거나 메모리가 더 많은 곳에서 실행하세요"},
    "train.address_space": {
        "en": "training needs about {needed:.1f} GB of memory and {address_space:.1f} GB of address space (batch "
              "{batch_size}, config {config!r}), and `ulimit -v` allows {available:.1f} GB; raise the limit "
              "(ulimit -v unlimited), or run where it is higher",
        "ko": "학습에는 메모리가 약 {needed:.1f} GB, 주소 공간이 {address_space:.1f} GB 필요한데 (배치 {batch_size}, 설정 "
              "{config!r}) `ulimit -v`가 {available:.1f} GB만 허용합니다: 제한을 올리거나 (ulimit -v unlimited) "
              "제한이 더 큰 곳에서 실행하세요"},
    "train.memory_note": {"en": "training needs about {needed:.1f} GB of memory",
                          "ko": "학습에는 메모리가 약 {needed:.1f} GB 필요합니다"},
    "checkpoint.not_finite": {
        "en": "{path!r} holds weights that are not finite numbers (NaN or infinity, in {arrays}): the training that "
              "saved it diverged; it cannot read anything. Use another checkpoint, or retrain with a smaller --lr",
        "ko": "{path!r}의 가중치에 유한하지 않은 값(NaN이나 무한대)이 있습니다 ({arrays}): 이 체크포인트를 저장한 학습이 "
              "발산했으므로 아무것도 읽을 수 없습니다. 다른 체크포인트를 쓰거나, 더 작은 --lr로 다시 학습하세요"},
    "checkpoint.damaged": {
        "en": "{path!r} is damaged (HDF5 cannot read it: {error}); copy the checkpoint again, or retrain",
        "ko": "{path!r}가 손상되었습니다 (HDF5로 읽을 수 없습니다: {error}). 체크포인트를 다시 복사하거나 다시 학습하세요"},
    "detector.cache_rebuilt": {
        "en": "note: the cached detector {path!r} was damaged; it was removed and is built again (a few seconds)",
        "ko": "참고: 캐시에 있던 검출기 {path!r}가 손상되어 지우고 다시 만듭니다 (몇 초 걸립니다)"},
    "lexicon.not_text": {
        "en": "the lexicon {path!r} is not UTF-8 text (byte {byte} on line {line}); give a UTF-8 text file with one "
              "word per line (e.g. iconv -f latin1 -t utf-8)",
        "ko": "단어 목록 {path!r}는 UTF-8 텍스트가 아닙니다 ({line}번째 줄의 바이트 {byte}): 한 줄에 한 단어씩 쓴 UTF-8 "
              "텍스트 파일을 주세요 (예: iconv -f latin1 -t utf-8)"},
    "state.wrong_type": {
        "en": "{path!r} is corrupt ({entry!r} should be {expected}, it is {got!r}); run again with --restart to start "
              "over, which deletes the run folder, or use another --run-dir",
        "ko": "{path!r}가 손상되었습니다 ({entry!r}는 {expected}여야 하는데 {got!r}입니다). --restart로 다시 실행해 처음부터 "
              "학습하거나 (run 폴더를 지웁니다), 다른 --run-dir를 쓰세요"},
    "make_lmdb.nothing": {
        "en": "nothing to write: {reason}; {output!r} was not created",
        "ko": "쓸 것이 없습니다: {reason}. {output!r}는 만들지 않았습니다"},
    "make_lmdb.empty_gt": {"en": "the label file {gt_file!r} has no labelled line ('image_path<TAB>label')",
                           "ko": "라벨 파일 {gt_file!r}에 라벨이 달린 줄('image_path<TAB>label')이 없습니다"},
    "make_lmdb.no_image": {
        "en": "none of the {count} images listed in {gt_file!r} can be read ({problems})",
        "ko": "{gt_file!r}에 있는 이미지 {count}개 중 읽을 수 있는 것이 없습니다 ({problems})"},
    "ocr.frames": {
        "en": "note: {path!r} has {frames} frames (an animation or a multi-page file); only the first was read. "
              "Save each page as an image of its own to read the others",
        "ko": "참고: {path!r}에는 프레임이 {frames}개 있습니다 (애니메이션이나 여러 페이지 파일). 첫 프레임만 읽었습니다. "
              "나머지를 읽으려면 페이지마다 이미지 파일로 저장하세요"},
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
