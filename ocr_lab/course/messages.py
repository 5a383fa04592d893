"""Messages of the course machinery: the exercise checks and the grader's table, in English and Korean.

Each check's messages share a prefix (`detect.`, `recognize.`, `e2e.`), which its record in
`ocr_lab.course.checks` names; `rubric.<check>` says what the check grades. The language is
chosen as `ocr_lab.messages.language()` says (`$OCR_LAB_LANG`, then the notebook's folder).
"""
from __future__ import annotations

from ocr_lab.messages import fill


def message(key: str, lang: str | None = None, **fields) -> str:
    """The course message `key` in `lang` (default: `language()`), with `fields` filled in."""
    return fill(CATALOGUE, "ocr_lab.course.messages", key, lang, fields)


CATALOGUE: dict[str, dict[str, str]] = {
    # ------------------------------------------------------------------ a check's result (ocr_lab.course.checks)
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
    # the course's reference implementations, called during an exam (ocr_lab.course.answers)
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
    # ------------------------------------------------------------------ the grader's table (ocr_lab.course.grade)
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
    "grade.status_time_limit": {"en": "notebook time limit of {seconds:g} s reached before cell {cell} ({line})",
                                "ko": "셀 {cell}({line}) 전에 노트북 시간 제한 {seconds:g}초에 도달했습니다"},
    "grade.status_gave_up": {"en": "gave up after {restarts} kernel restarts at cell {cell} ({line})",
                             "ko": "셀 {cell}({line})에서 커널을 {restarts}번 다시 시작한 뒤 포기했습니다"},
    "grade.status_unreadable": {"en": "could not be read ({error})", "ko": "읽을 수 없습니다 ({error})"},
    "grade.status_failed": {"en": "could not be graded ({error})", "ko": "채점할 수 없었습니다 ({error})"},
    "grade.cell_raised": {"en": "cell {cell} ({line}): {error}", "ko": "셀 {cell}({line}): {error}"},
    "grade.cell_interrupted": {"en": "cell {cell} ({line}): stopped after {seconds:g} s (interrupted)",
                               "ko": "셀 {cell}({line}): {seconds:g}초가 지나 중단했습니다"},
    "grade.cell_died": {
        "en": "cell {cell} ({line}): the kernel died; the kernel was restarted and the cells before it run again",
        "ko": "셀 {cell}({line}): 커널이 죽었습니다. 커널을 다시 시작하고 그 앞의 셀을 다시 실행했습니다"},
    "grade.cell_stuck": {
        "en": "cell {cell} ({line}): stopped after {seconds:g} s and could not be interrupted; the kernel was "
              "restarted and the cells before it run again",
        "ko": "셀 {cell}({line}): {seconds:g}초가 지나도 멈추지 않았고 중단할 수도 없었습니다. 커널을 다시 시작하고 "
              "그 앞의 셀을 다시 실행했습니다"},
    # a value the learner's function returned, described instead of printed (ocr_lab.course.answers.describe)
    "describe.str": {"en": "a str of {length} characters", "ko": "{length}글자짜리 str"},
    "describe.image": {"en": "a {width}x{height} PIL image ({mode})", "ko": "{width}x{height} PIL 이미지 ({mode})"},
    "describe.array": {"en": "a numpy array of shape {shape}, {dtype}", "ko": "모양이 {shape}인 numpy 배열 ({dtype})"},
    "describe.each": {"en": "a {kind} of {length}, each {each}", "ko": "{kind} ({length}개, 모두 {each})"},
    "describe.items": {"en": "a {kind} of {length} ({items})", "ko": "{kind} ({length}개: {items})"},
    "describe.length": {"en": " of length {length}", "ko": " (길이 {length})"},
    "describe.other": {"en": "a {type}", "ko": "{type} 값"},
    "describe.unreadable": {"en": "a value the grader could not read", "ko": "채점기가 읽을 수 없는 값"},
    "describe.image_unreadable": {"en": "a {width}x{height} PIL image the grader could not read",
                                  "ko": "채점기가 읽을 수 없는 {width}x{height} PIL 이미지"},
}
