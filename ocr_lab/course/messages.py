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
    # ------------------------------------------------------------------ notebook 02 (checks/labels_and_ctc.py)
    "rubric.label_converter": {
        "en": "LabelConverter.encode / decode with the blank '-' at 0, on the lecture's charset and one drawn at grading time",
        "ko": "공백 문자 '-'를 0으로 둔 LabelConverter.encode / decode: 강의의 charset과 채점할 때 뽑은 charset에서"},
    "rubric.ctc_lengths": {
        "en": "ctc_lengths gives input_length (T for every sample) and label_length (each label's U) of padded batches",
        "ko": "ctc_lengths가 padding된 배치의 input_length(모든 샘플에 T)와 label_length(라벨마다 U)를 돌려준다"},
    "rubric.ctc_loss": {
        "en": "ctc_loss gives the per-sample CTC loss, blank at 0, on logits drawn at grading time",
        "ko": "ctc_loss가 채점할 때 뽑은 logits에서 샘플별 CTC loss(공백 문자는 0)를 돌려준다"},
    "label.not_written": {
        "en": "LabelConverter.{method} is not written yet: replace `raise NotImplementedError` with your code.",
        "ko": "LabelConverter.{method}가 아직 작성되지 않았습니다: `raise NotImplementedError`를 여러분의 코드로 바꾸세요."},
    "label.raised": {
        "en": "LabelConverter({charset!r}).{method}({arg}) raised {error}.{hint}",
        "ko": "LabelConverter({charset!r}).{method}({arg})에서 오류가 났습니다: {error}.{hint}"},
    "label.hint_label_map": {
        "en": " This charset is not the lecture's: build the indices from `self.label_map` (made from "
              "`self.character`), not from TARGET_CHARACTERS.",
        "ko": " 이 charset은 강의의 것이 아닙니다: index는 TARGET_CHARACTERS가 아니라 `self.character`로 만든 "
              "`self.label_map`에서 가져오세요."},
    "label.hint_index": {
        "en": " Index 0 is the blank and the characters are 1..N: `self.character` (with the '-' in front) has "
              "one entry for each of them.",
        "ko": " index 0은 공백 문자이고 글자는 1..N입니다: 앞에 '-'가 붙은 `self.character`에 각각 하나씩 있습니다."},
    "label.encode_type": {
        "en": "encode({arg}) should return class indices (a numpy array of ints, as in the lecture), got {got}.",
        "ko": "encode({arg})는 class index(강의처럼 int로 된 numpy 배열)를 돌려줘야 합니다. 돌려준 값: {got}."},
    "label.hel_lo": {
        "en": "encode({arg}) gave {got}: the lecture's HEL-LO encoding, a 0 between the double letters. Our loss "
              "has CTC's own blank at class 0, and CTC puts that blank between repeats by itself, so the target is "
              "just one index per character: {want}.",
        "ko": "encode({arg})가 {got}를 돌려줬습니다: 같은 글자 사이에 0을 넣는 강의의 HEL-LO 인코딩입니다. 우리 loss는 "
              "CTC의 공백 문자를 class 0에 두고, CTC가 반복되는 글자 사이에 그 공백을 스스로 넣습니다. 그래서 "
              "정답은 글자마다 index 하나뿐입니다: {want}."},
    "label.off_by_one": {
        "en": "encode({arg}) gave {got}, each index one too small: {first!r} is not 0, because 0 is the blank. "
              "The characters are 1..N: look them up in `self.label_map`, built on '-' + charset. Expected {want}.",
        "ko": "encode({arg})가 {got}를 돌려줬습니다. index가 모두 하나씩 작습니다: 0은 공백 문자라서 {first!r}는 0이 "
              "아닙니다. 글자는 1..N입니다: '-' + charset으로 만든 `self.label_map`에서 찾으세요. 정답: {want}."},
    "label.target_characters": {
        "en": "With the charset {charset!r}, encode({arg}) gave {got}, the indices in TARGET_CHARACTERS. Use the "
              "charset the converter was made with (`self.label_map`). Expected {want}.",
        "ko": "charset {charset!r}에서 encode({arg})가 {got}, 즉 TARGET_CHARACTERS에서의 index를 돌려줬습니다. "
              "converter를 만들 때 받은 charset(`self.label_map`)을 쓰세요. 정답: {want}."},
    "label.encode_wrong": {
        "en": "With the charset {charset!r}, encode({arg}) gave {got}; expected {want} (the blank '-' is 0, the "
              "charset's characters 1..N, one index per character).",
        "ko": "charset {charset!r}에서 encode({arg})가 {got}를 돌려줬습니다. 정답은 {want}입니다 (공백 문자 '-'는 0, "
              "charset의 글자는 1..N, 글자마다 index 하나)."},
    "label.hint_join": {"en": " Join the characters into one string: ''.join(...).",
                        "ko": " 글자들을 하나의 문자열로 이으세요: ''.join(...)."},
    "label.decode_type": {
        "en": "decode({arg}) should return one str, got {got}.{hint}",
        "ko": "decode({arg})는 문자열 하나를 돌려줘야 합니다. 돌려준 값: {got}.{hint}"},
    "label.decode_collapsed": {
        "en": "decode({arg}) gave {got!r}; expected {want!r}. decode maps every index to its character, '-' for "
              "0, as the lecture's `decode` prints HEL-LO: merging repeats and dropping blanks is the CTC "
              "decoder's job (decode_predict_ctc), not the converter's.",
        "ko": "decode({arg})가 {got!r}를 돌려줬습니다. 정답은 {want!r}입니다. decode는 강의의 `decode`가 HEL-LO를 "
              "출력하듯이 모든 index를 글자로 바꾸고 0은 '-'로 씁니다: 반복을 합치고 공백을 지우는 것은 converter가 "
              "아니라 CTC 디코더(decode_predict_ctc)의 일입니다."},
    "label.decode_off_by_one": {
        "en": "decode({arg}) gave {got!r}, every character shifted by one; expected {want!r}. Index i is "
              "`self.character[i]`, where `self.character` is '-' + charset: 0 is the blank.",
        "ko": "decode({arg})가 {got!r}를 돌려줬습니다. 글자가 모두 한 칸씩 밀렸습니다. 정답은 {want!r}입니다. index i는 "
              "`self.character[i]`이고, `self.character`는 '-' + charset입니다: 0이 공백 문자입니다."},
    "label.target_characters_decode": {
        "en": "With the charset {charset!r}, decode({arg}) gave {got!r}, read with TARGET_CHARACTERS; expected "
              "{want!r}. Use `self.character`, the converter's own charset.",
        "ko": "charset {charset!r}에서 decode({arg})가 TARGET_CHARACTERS로 읽은 {got!r}를 돌려줬습니다. 정답은 "
              "{want!r}입니다. converter 자신의 charset인 `self.character`를 쓰세요."},
    "label.decode_wrong": {
        "en": "With the charset {charset!r}, decode({arg}) gave {got!r}; expected {want!r}.",
        "ko": "charset {charset!r}에서 decode({arg})가 {got!r}를 돌려줬습니다. 정답은 {want!r}입니다."},
    "label.passed": {
        "en": "encode and decode are right on {words} labels of two charsets, the lecture's and {charset!r}; "
              "HELLO is {hello}, one index per character.",
        "ko": "두 charset(강의의 것과 {charset!r})의 라벨 {words}개에서 encode와 decode가 맞습니다. HELLO는 글자마다 "
              "index 하나인 {hello}입니다."},
    "lengths.not_written": {
        "en": "ctc_lengths is not written yet: replace `raise NotImplementedError` with your code.",
        "ko": "ctc_lengths가 아직 작성되지 않았습니다: `raise NotImplementedError`를 여러분의 코드로 바꾸세요."},
    "lengths.raised": {
        "en": "ctc_lengths(labels of shape ({batch}, {width}), time_steps={steps}) raised {error}.",
        "ko": "ctc_lengths(shape ({batch}, {width})의 labels, time_steps={steps})에서 오류가 났습니다: {error}."},
    "lengths.not_pair": {
        "en": "ctc_lengths should return a pair (input_length, label_length), got {got}.",
        "ko": "ctc_lengths는 (input_length, label_length) 한 쌍을 돌려줘야 합니다. 돌려준 값: {got}."},
    "lengths.shape": {
        "en": "{arg} should be an array of shape ({batch}, 1), one number per sample as Keras' ctc_batch_cost "
              "wants it, got {got}.",
        "ko": "{arg}는 Keras의 ctc_batch_cost가 원하는 대로 샘플마다 숫자 하나인 shape ({batch}, 1)의 배열이어야 "
              "합니다. 돌려준 값: {got}."},
    "lengths.swapped": {
        "en": "input_length and label_length are swapped: input_length is T, the model's {steps} time steps, and "
              "label_length is U, each label's number of characters.",
        "ko": "input_length와 label_length가 바뀌었습니다: input_length는 T, 즉 모델의 time step {steps}개이고, "
              "label_length는 U, 즉 라벨마다의 글자 수입니다."},
    "lengths.input_max_text_len": {
        "en": "input_length is {got}, the label array's width (max_text_len {width}), as the lecture's "
              "MJDatasetSequence set it: that worked only because its loss cut y_pred to 22 steps (y_pred[:, 2:]). "
              "input_length is T, the number of softmax steps the model outputs: {steps} here.",
        "ko": "input_length가 {got}, 즉 라벨 배열의 폭(max_text_len {width})입니다. 강의의 MJDatasetSequence가 그렇게 "
              "두었지만, 그것은 loss가 y_pred를 22 step으로 잘랐기(y_pred[:, 2:]) 때문에만 맞았습니다. "
              "input_length는 T, 즉 모델이 출력하는 softmax step의 수입니다: 여기서는 {steps}."},
    "lengths.input_pixels": {
        "en": "input_length is {got}, a width in pixels (the lecture's text says 74, the width of the LUBE image). "
              "CTC's T counts the model's output steps, not pixels: {steps} here (time_steps).",
        "ko": "input_length가 {got}, 즉 픽셀 단위의 폭입니다 (강의 본문은 LUBE 이미지의 폭인 74라고 합니다). CTC의 T는 "
              "픽셀이 아니라 모델의 출력 step 수입니다: 여기서는 {steps} (time_steps)."},
    "lengths.input_fixed": {
        "en": "input_length is {got} for a model of {steps} time steps: use the `time_steps` argument, not a fixed "
              "24 (the shipped wide model has 49).",
        "ko": "time step이 {steps}개인 모델인데 input_length가 {got}입니다: 고정된 24가 아니라 `time_steps` 인자를 "
              "쓰세요 (배포된 wide 모델은 49개입니다)."},
    "lengths.input_is_label_length": {
        "en": "input_length is {got}, each label's length: that is label_length (U). input_length is T, the "
              "model's {steps} time steps, the same for every sample.",
        "ko": "input_length가 {got}, 즉 라벨마다의 길이입니다: 그것은 label_length(U)입니다. input_length는 T, 즉 "
              "모든 샘플에 같은 모델의 time step {steps}개입니다."},
    "lengths.input_wrong": {
        "en": "input_length is {got}; it should be T = {steps}, the model's time steps, for every sample.",
        "ko": "input_length가 {got}입니다. 모든 샘플에서 모델의 time step인 T = {steps}여야 합니다."},
    "lengths.label_padding": {
        "en": "label_length is {got}, the padded width of the label array: count each label's real characters "
              "(the entries that are not the padding 0): {want}.",
        "ko": "label_length가 {got}, 즉 padding된 라벨 배열의 폭입니다. 라벨마다 실제 글자(padding인 0이 아닌 값)를 "
              "세세요: {want}."},
    "lengths.label_off_by_one": {
        "en": "label_length is {got}, one off; expected {want}: the number of entries of each label that are not "
              "the padding 0.",
        "ko": "label_length가 {got}로 하나 틀립니다. 정답은 {want}: 라벨마다 padding인 0이 아닌 값의 수입니다."},
    "lengths.label_wrong": {
        "en": "label_length is {got}; expected {want}, the number of non-zero entries of each label.",
        "ko": "label_length가 {got}입니다. 정답은 {want}, 즉 라벨마다 0이 아닌 값의 수입니다."},
    "lengths.passed": {
        "en": "input_length is T ({steps} time steps) for every sample and label_length each label's length.",
        "ko": "input_length는 모든 샘플에서 T(time step {steps})이고 label_length는 라벨마다의 길이입니다."},
    "ctc.not_written": {
        "en": "ctc_loss is not written yet: replace `raise NotImplementedError` with your code.",
        "ko": "ctc_loss가 아직 작성되지 않았습니다: `raise NotImplementedError`를 여러분의 코드로 바꾸세요."},
    "ctc.raised": {"en": "ctc_loss(labels, logits, input_length, label_length) raised {error}.{hint}",
                   "ko": "ctc_loss(labels, logits, input_length, label_length)에서 오류가 났습니다: {error}.{hint}"},
    "ctc.hint_time_major": {
        "en": " tf.nn.ctc_loss reads logits as (T, batch, classes) unless told otherwise: ours are (batch, T, "
              "classes), so pass logits_time_major=False; it also wants label_length and logit_length as "
              "(batch,) int32 (tf.reshape(x, [-1])).",
        "ko": " tf.nn.ctc_loss는 따로 말하지 않으면 logits를 (T, batch, classes)로 읽습니다. 우리 logits는 (batch, T, "
              "classes)이니 logits_time_major=False를 넘기세요. label_length와 logit_length도 (batch,) int32로 "
              "원합니다 (tf.reshape(x, [-1]))."},
    "ctc.keras_refused": {
        "en": "ctc_loss raised TensorFlow's \"Saw a non-null label ... following a null label\": that is Keras' "
              "K.ctc_batch_cost, the lecture's ctc_lambda_func. Its blank is the last class, so it refuses a label "
              "with the last character (9, class 36). Ours is class 0: use tf.nn.ctc_loss(..., blank_index=0) on "
              "the logits.",
        "ko": "ctc_loss에서 TensorFlow의 \"Saw a non-null label ... following a null label\" 오류가 났습니다: 강의의 "
              "ctc_lambda_func이 쓴 Keras의 K.ctc_batch_cost입니다. 공백 문자가 마지막 class라서 마지막 글자(9, class 36)가 "
              "든 라벨을 거부합니다. 우리 공백은 class 0입니다: logits에 tf.nn.ctc_loss(..., blank_index=0)을 쓰세요."},
    "ctc.time_major": {
        "en": "ctc_loss raised {type} about shapes.{hint}",
        "ko": "ctc_loss에서 shape에 관한 {type} 오류가 났습니다.{hint}"},
    "ctc.not_array": {"en": "ctc_loss should return the loss of each sample, a (batch, 1) tensor, got {got}.",
                      "ko": "ctc_loss는 샘플마다의 loss, 즉 (batch, 1) 텐서를 돌려줘야 합니다. 돌려준 값: {got}."},
    "ctc.not_per_sample": {
        "en": "ctc_loss returned one number (shape {shape}) for a batch of {batch}: return one loss per sample, "
              "(batch, 1), as K.ctc_batch_cost does; Keras averages them itself.",
        "ko": "ctc_loss가 배치 {batch}개에 숫자 하나(shape {shape})를 돌려줬습니다. K.ctc_batch_cost처럼 샘플마다 "
              "loss 하나, 즉 (batch, 1)을 돌려주세요. 평균은 Keras가 냅니다."},
    "ctc.shape_flat": {
        "en": "ctc_loss returned shape ({batch},): the values may be right, but the model's output is (batch, 1), "
              "as K.ctc_batch_cost's: add a last axis with tf.expand_dims(loss, -1).",
        "ko": "ctc_loss가 shape ({batch},)를 돌려줬습니다. 값은 맞을 수 있지만 모델의 출력은 K.ctc_batch_cost처럼 "
              "(batch, 1)입니다: tf.expand_dims(loss, -1)로 마지막 축을 붙이세요."},
    "ctc.shape": {"en": "ctc_loss returned shape {shape}; expected ({batch}, 1), one loss per sample.",
                  "ko": "ctc_loss가 shape {shape}를 돌려줬습니다. 샘플마다 loss 하나인 ({batch}, 1)이어야 합니다."},
    "ctc.not_finite": {
        "en": "ctc_loss gave {got}, not finite numbers (expected {want}). K.ctc_batch_cost takes the log of its "
              "input, so it wants the softmax, not logits, and its blank is the last class; use tf.nn.ctc_loss on "
              "the logits with blank_index=0.",
        "ko": "ctc_loss가 유한한 수가 아닌 {got}를 돌려줬습니다 (정답 {want}). K.ctc_batch_cost는 입력에 log를 취하므로 "
              "logits가 아니라 softmax를 원하고, 공백 문자가 마지막 class입니다: logits에 blank_index=0으로 "
              "tf.nn.ctc_loss를 쓰세요."},
    "ctc.blank_last": {
        "en": "ctc_loss gave {got}, Keras' K.ctc_batch_cost (expected {want}). That is the lecture's "
              "ctc_lambda_func, and Keras puts the blank at the last class; ours is class 0, where LabelConverter "
              "put it. Use tf.nn.ctc_loss(..., blank_index=0) on the logits.",
        "ko": "ctc_loss가 Keras의 K.ctc_batch_cost 값인 {got}를 돌려줬습니다 (정답 {want}). 강의의 ctc_lambda_func이지만 "
              "Keras는 공백 문자를 마지막 class에 둡니다. 우리 공백은 LabelConverter가 둔 class 0입니다: logits에 "
              "tf.nn.ctc_loss(..., blank_index=0)을 쓰세요."},
    "ctc.blank_last_tf": {
        "en": "ctc_loss gave {got} (expected {want}): that is the loss with the blank at the last class "
              "(blank_index=-1). Ours is class 0: blank_index=0.",
        "ko": "ctc_loss가 {got}를 돌려줬습니다 (정답 {want}): 공백 문자를 마지막 class에 둔 loss(blank_index=-1)입니다. "
              "우리 공백은 class 0입니다: blank_index=0."},
    "ctc.softmax_as_logits": {
        "en": "ctc_loss gave {got} (expected {want}): that is the loss of the softmax passed as logits. "
              "tf.nn.ctc_loss applies its own log-softmax: give it the logits as they come.",
        "ko": "ctc_loss가 {got}를 돌려줬습니다 (정답 {want}): softmax를 logits 자리에 넘긴 loss입니다. tf.nn.ctc_loss는 "
              "log-softmax를 스스로 적용합니다: logits를 받은 그대로 넘기세요."},
    "ctc.lecture_slice": {
        "en": "ctc_loss gave {got} (expected {want}): the loss of y_pred[:, 2:], the lecture's cut of the first two "
              "steps. Our model's every step counts: keep all T steps and the input_length you are given.",
        "ko": "ctc_loss가 {got}를 돌려줬습니다 (정답 {want}): 처음 두 step을 자른 강의의 y_pred[:, 2:]의 loss입니다. "
              "우리 모델은 모든 step을 씁니다: T개 step 전부와 받은 input_length를 그대로 쓰세요."},
    "ctc.wrong": {
        "en": "ctc_loss gave {got}; expected {want}: tf.nn.ctc_loss on the logits, blank_index=0, "
              "logits_time_major=False, one loss per sample.",
        "ko": "ctc_loss가 {got}를 돌려줬습니다. 정답은 {want}: logits에 tf.nn.ctc_loss, blank_index=0, "
              "logits_time_major=False, 샘플마다 loss 하나."},
    "ctc.passed": {
        "en": "the per-sample loss of a batch of {batch} on {steps} steps matches tf.nn.ctc_loss with the blank at 0: "
              "{got}.",
        "ko": "{steps} step에서 배치 {batch}개의 샘플별 loss가 공백 문자를 0에 둔 tf.nn.ctc_loss와 같습니다: {got}."},
    # ------------------------------------------------------------------ notebook 03 (checks/crnn.py)
    "rubric.feature_extractor": {
        "en": "feature_extractor turns a (100, 32, 3) image into (24, filters[-1]) features, one step per slice of "
              "the width, for filters drawn at grading time",
        "ko": "feature_extractor가 (100, 32, 3) 이미지를 너비 조각마다 step 하나인 (24, filters[-1]) 특징으로 바꾼다 "
              "(filters는 채점할 때 뽑음)"},
    "rubric.sequence_stage": {
        "en": "sequence_stage turns (T, C) features into (T, 2 x lstm) outputs that see both ends of the sequence, "
              "for sizes drawn at grading time",
        "ko": "sequence_stage가 (T, C) 특징을 시퀀스의 양 끝을 모두 보는 (T, 2 x lstm) 출력으로 바꾼다 (크기는 채점할 때 뽑음)"},
    "features.not_written": {
        "en": "feature_extractor is not written yet: replace `raise NotImplementedError` with your code.",
        "ko": "feature_extractor가 아직 작성되지 않았습니다: `raise NotImplementedError`를 여러분의 코드로 바꾸세요."},
    "features.raised": {
        "en": "feature_extractor(Input((100, 32, 3)), filters={filters}) raised {error}.",
        "ko": "feature_extractor(Input((100, 32, 3)), filters={filters})에서 오류가 났습니다: {error}."},
    "features.not_tensor": {
        "en": "feature_extractor should return the Keras tensor of its last layer, [b, {steps}, {channels}]; got {got}.",
        "ko": "feature_extractor는 마지막 층의 Keras 텐서 [b, {steps}, {channels}]를 돌려줘야 합니다. 돌려준 값: {got}."},
    "features.not_reshaped": {
        "en": "feature_extractor returned {shape}: the height is 1, as it should be, but the sequence stage wants "
              "[b, steps, features]. End with layers.Reshape(({steps}, {channels})): one feature vector per column.",
        "ko": "feature_extractor가 {shape}를 돌려줬습니다: 높이가 1인 것은 맞지만, 시퀀스 단계는 [b, steps, features]를 "
              "받습니다. 마지막에 layers.Reshape(({steps}, {channels}))를 두세요: 열마다 특징 벡터 하나입니다."},
    "features.rank": {
        "en": "feature_extractor returned shape {shape}; it should be [b, {steps}, {channels}]: one feature vector of "
              "filters[-1] = {channels} numbers for each of the {steps} steps.",
        "ko": "feature_extractor가 shape {shape}를 돌려줬습니다. [b, {steps}, {channels}]여야 합니다: step {steps}개마다 "
              "filters[-1] = {channels}개의 숫자로 된 특징 벡터 하나입니다."},
    "features.last_conv": {
        "en": "feature_extractor returned {shape}: 25 steps, one too many. The last convolution is 2x2 with "
              "padding='valid': it takes the height from 2 to 1 and the width from 25 to {steps}.",
        "ko": "feature_extractor가 {shape}를 돌려줬습니다: step이 25개로 하나 많습니다. 마지막 convolution은 "
              "padding='valid'인 2x2입니다: 높이를 2에서 1로, 너비를 25에서 {steps}로 줄입니다."},
    "features.steps": {
        "en": "feature_extractor returned {got} time steps, not {steps}: the image is width first, (100, 32), so "
              "pool_size is (width, height). The first two pools are (2, 2) (100 -> 25 columns), the two after them "
              "(1, 2): they halve the height only, so the width stays the time axis.",
        "ko": "feature_extractor가 time step을 {steps}개가 아니라 {got}개 돌려줬습니다: 이미지는 너비가 먼저인 "
              "(100, 32)이므로 pool_size는 (너비, 높이)입니다. 처음 두 pooling은 (2, 2)(열 100 -> 25)이고, 그 뒤의 "
              "두 개는 (1, 2)입니다: 높이만 반으로 줄여서 너비가 time 축으로 남습니다."},
    "features.channels": {
        "en": "feature_extractor returned {got} features per step, not filters[-1] = {channels}: use the filters you "
              "are given, {filters}, one per convolution.",
        "ko": "feature_extractor가 step마다 특징을 filters[-1] = {channels}개가 아니라 {got}개 돌려줬습니다: 받은 "
              "filters {filters}를 convolution마다 하나씩 쓰세요."},
    "features.not_local": {
        "en": "Changing only the first (or last) {edge} columns of the image changed the step at the other end: "
              "each step must see its own slice of the width. Keep the width as the time axis (Reshape, no Flatten, "
              "Permute or Dense across the steps).",
        "ko": "이미지의 처음(또는 마지막) {edge}개 열만 바꿨는데 반대쪽 끝의 step이 바뀌었습니다: step마다 너비의 "
              "자기 조각을 봐야 합니다. 너비를 time 축으로 두세요 (Reshape만, step을 가로지르는 Flatten, Permute, "
              "Dense 없이)."},
    "features.blind": {
        "en": "Changing the first (or last) {edge} columns of the image did not change the step at that end: the "
              "features do not depend on the image there. Build each layer on the one before it, from image_input.",
        "ko": "이미지의 처음(또는 마지막) {edge}개 열을 바꿨는데 그쪽 끝의 step이 바뀌지 않았습니다: 특징이 그 부분의 "
              "이미지에 따라 달라지지 않습니다. image_input부터 층마다 앞 층 위에 쌓으세요."},
    "features.passed": {
        "en": "(100, 32, 3) -> {shape} with filters {filters}, and the time axis follows the width: the first "
              "{edge} columns move the first step only, the last {edge} the last step only.",
        "ko": "filters {filters}로 (100, 32, 3) -> {shape}, 그리고 time 축이 너비를 따릅니다: 처음 {edge}개 열은 "
              "첫 step만, 마지막 {edge}개 열은 마지막 step만 움직입니다."},
    "sequence.not_written": {
        "en": "sequence_stage is not written yet: replace `raise NotImplementedError` with your code.",
        "ko": "sequence_stage가 아직 작성되지 않았습니다: `raise NotImplementedError`를 여러분의 코드로 바꾸세요."},
    "sequence.raised": {
        "en": "sequence_stage(Input(({steps}, {channels})), dense={dense}, lstm={lstm}) raised {error}.",
        "ko": "sequence_stage(Input(({steps}, {channels})), dense={dense}, lstm={lstm})에서 오류가 났습니다: {error}."},
    "sequence.not_tensor": {
        "en": "sequence_stage should return the Keras tensor of its last layer, [b, {steps}, {width}]; got {got}.",
        "ko": "sequence_stage는 마지막 층의 Keras 텐서 [b, {steps}, {width}]를 돌려줘야 합니다. 돌려준 값: {got}."},
    "sequence.one_per_word": {
        "en": "sequence_stage returned {shape}: one vector for the whole word. CTC needs one output per step: "
              "give both LSTMs return_sequences=True.",
        "ko": "sequence_stage가 {shape}를 돌려줬습니다: 단어 전체에 벡터 하나입니다. CTC는 step마다 출력이 하나 있어야 "
              "합니다: 두 LSTM 모두 return_sequences=True로 만드세요."},
    "sequence.steps": {
        "en": "sequence_stage returned {shape} for {steps} steps of {channels} features: keep the steps, "
              "[b, {steps}, {width}].",
        "ko": "sequence_stage가 특징 {channels}개짜리 step {steps}개에 {shape}를 돌려줬습니다: step 수를 그대로 두세요, "
              "[b, {steps}, {width}]."},
    "sequence.one_direction_width": {
        "en": "sequence_stage returned {shape}: {lstm} numbers per step, one LSTM's. Wrap each LSTM in "
              "layers.Bidirectional: it runs one LSTM forward and one backward and joins them, 2 x {lstm} = {width}.",
        "ko": "sequence_stage가 {shape}를 돌려줬습니다: step마다 LSTM 하나의 숫자 {lstm}개입니다. LSTM마다 "
              "layers.Bidirectional로 감싸세요: LSTM 하나는 앞으로, 하나는 뒤로 돌려 이어 붙입니다, 2 x {lstm} = {width}."},
    "sequence.width": {
        "en": "sequence_stage returned {got} numbers per step; with lstm={lstm} two bidirectional LSTMs give "
              "2 x {lstm} = {width}.",
        "ko": "sequence_stage가 step마다 숫자 {got}개를 돌려줬습니다. lstm={lstm}이면 양방향 LSTM 두 개는 "
              "2 x {lstm} = {width}개를 냅니다."},
    "sequence.no_context": {
        "en": "Each step's output depends on its own features only: changing the first step did not move the last, "
              "nor the last the first. The LSTMs are what carry a letter's context along the word: Dense, then two "
              "Bidirectional(LSTM(lstm, return_sequences=True)), each on the layer before.",
        "ko": "step마다 출력이 자기 특징에만 달려 있습니다: 첫 step을 바꿔도 마지막이, 마지막을 바꿔도 첫 step이 "
              "움직이지 않았습니다. 글자의 앞뒤 맥락을 단어를 따라 전하는 것이 LSTM입니다: Dense 다음에 "
              "Bidirectional(LSTM(lstm, return_sequences=True)) 두 개를, 각각 앞 층 위에 쌓으세요."},
    "sequence.forward_only": {
        "en": "Changing the first step moved the last step's output, but changing the last step did not move the "
              "first: the context flows forward only. Wrap each LSTM in layers.Bidirectional, so that the reading at "
              "the start also sees the end of the word.",
        "ko": "첫 step을 바꾸면 마지막 step의 출력이 움직이지만, 마지막 step을 바꿔도 첫 step은 움직이지 않습니다: 맥락이 "
              "앞으로만 흐릅니다. LSTM마다 layers.Bidirectional로 감싸서, 단어 앞부분의 읽기도 끝부분을 보게 하세요."},
    "sequence.backward_only": {
        "en": "Changing the last step moved the first step's output, but not the other way round: the context "
              "flows backward only (go_backwards without a forward LSTM?). Use layers.Bidirectional(LSTM(...)).",
        "ko": "마지막 step을 바꾸면 첫 step의 출력이 움직이지만 반대는 아닙니다: 맥락이 뒤로만 흐릅니다 (앞으로 가는 "
              "LSTM 없이 go_backwards만?). layers.Bidirectional(LSTM(...))을 쓰세요."},
    "sequence.passed": {
        "en": "({steps}, {channels}) -> {shape}, and every step sees both ends: the first step's features move the "
              "last output, the last step's the first.",
        "ko": "({steps}, {channels}) -> {shape}, 그리고 step마다 양 끝을 모두 봅니다: 첫 step의 특징이 마지막 출력을, "
              "마지막 step의 특징이 첫 출력을 움직입니다."},
    # ------------------------------------------------------------------ notebook 04 (checks/dataset.py)
    "rubric.mj_dataset_sequence": {
        "en": "MJDatasetSequence.__getitem__ makes the lecture's batches from an LMDB written at grading time: "
              "unreadable images left out, no padding rows, labels and lengths right",
        "ko": "MJDatasetSequence.__getitem__이 채점할 때 쓴 LMDB로 강의의 배치를 만든다: 읽을 수 없는 이미지는 빼고, "
              "채움 행 없이, 라벨과 길이가 맞게"},
    "reader.not_written": {
        "en": "MJDatasetSequence.__getitem__ is not written yet: replace `raise NotImplementedError` with your code.",
        "ko": "MJDatasetSequence.__getitem__이 아직 작성되지 않았습니다: `raise NotImplementedError`를 여러분의 코드로 "
              "바꾸세요."},
    "reader.raised": {
        "en": "Reading an LMDB of {records} records in batches of {batch_size} with your MJDatasetSequence raised "
              "{error}.",
        "ko": "여러분의 MJDatasetSequence로 레코드 {records}개짜리 LMDB를 배치 {batch_size}개씩 읽다가 오류가 났습니다: "
              "{error}."},
    "reader.not_batches": {
        "en": "reader[idx] should return (inputs, outputs): inputs the lecture's dict of numpy arrays (input_image, "
              "label, input_length, label_length); got {got}.",
        "ko": "reader[idx]는 (inputs, outputs)를 돌려줘야 합니다: inputs는 numpy 배열로 된 강의의 dict(input_image, "
              "label, input_length, label_length)입니다. 돌려준 값: {got}."},
    "reader.padded": {
        "en": "The last batch has {got} rows for {want} records: one row per record you keep, not batch_size. The "
              "lecture's np.zeros([batch_size, ...]) left the extra rows black, and trained them as '-'.",
        "ko": "마지막 배치에 레코드 {want}개인데 행이 {got}개입니다: batch_size가 아니라 남긴 레코드마다 한 행입니다. "
              "강의의 np.zeros([batch_size, ...])는 남는 행을 검은 이미지로 두고 '-'로 학습시켰습니다."},
    "reader.unreadable_kept": {
        "en": "An image that cannot be decoded is still a row of its batch. self._get_img_label(index) gives "
              "(None, label) for it: leave that record out (the lecture trained a black image with its label).",
        "ko": "디코딩할 수 없는 이미지가 여전히 배치의 한 행입니다. self._get_img_label(index)는 그런 레코드에 "
              "(None, label)을 줍니다: 그 레코드는 빼세요 (강의는 검은 이미지를 그 라벨로 학습시켰습니다)."},
    "reader.rows": {
        "en": "Your batches have {got} rows; the records say {want}. Batch idx holds the records "
              "self.index_list[idx * batch_size:(idx + 1) * batch_size] whose image can be read (records __init__ "
              "skipped, such as '?!', are not in index_list: do not read the LMDB by position).",
        "ko": "여러분의 배치는 행이 {got}개인데, 레코드대로라면 {want}개입니다. 배치 idx에는 "
              "self.index_list[idx * batch_size:(idx + 1) * batch_size] 중 이미지를 읽을 수 있는 레코드가 들어갑니다 "
              "(__init__이 건너뛴 '?!' 같은 레코드는 index_list에 없습니다: LMDB를 위치로 읽지 마세요)."},
    "reader.height_first": {
        "en": "input_image has shape {shape}: height first. The model takes images width first, (batch, 100, 32, 3): "
              "the image from self._get_img_label is already that way round; put it in as it is.",
        "ko": "input_image의 shape가 {shape}로 높이가 먼저입니다. 모델은 너비가 먼저인 (batch, 100, 32, 3) 이미지를 "
              "받습니다: self._get_img_label이 주는 이미지가 이미 그 방향이니 그대로 넣으세요."},
    "reader.shape": {
        "en": "input_image has shape {shape}; it should be (rows, 100, 32, 3), each image in its row from column 0, "
              "black after its width.",
        "ko": "input_image의 shape가 {shape}입니다. (행 수, 100, 32, 3)이어야 하고, 이미지마다 자기 행의 0번 열부터 "
              "들어가고 그 너비 뒤는 검은색입니다."},
    "reader.normalised": {
        "en": "Every pixel of your batches is at most 1: keep them 0..255 as float32. The model rescales them itself "
              "(notebook 3's Rescaling(1 / 255)).",
        "ko": "배치의 모든 픽셀이 1 이하입니다: float32로 0..255를 그대로 두세요. 모델이 직접 다시 스케일합니다 "
              "(노트북 3의 Rescaling(1 / 255))."},
    "reader.black_row": {
        "en": "A row of your batch is all black: an image never copied into its row, or an unreadable one kept.",
        "ko": "배치의 한 행이 전부 검은색입니다: 이미지를 행에 복사하지 않았거나, 읽을 수 없는 이미지를 남겼습니다."},
    "reader.input_max_len": {
        "en": "input_length is {got}: max_text_len. It is the number of time steps the model gives CTC, "
              "self.time_steps = {steps}, for every row.",
        "ko": "input_length가 {got}, 즉 max_text_len입니다. input_length는 모델이 CTC에 주는 time step 수로, 모든 행에서 "
              "self.time_steps = {steps}입니다."},
    "reader.input_length": {
        "en": "input_length holds {got}: it is the number of time steps the model gives CTC, self.time_steps = "
              "{steps}, for every row, one number per row.",
        "ko": "input_length가 {got}입니다: 모델이 CTC에 주는 time step 수로, 모든 행에서 self.time_steps = {steps}, 행마다 "
              "숫자 하나입니다."},
    "reader.label_rows": {
        "en": "label and label_length should have one row per image of the batch.",
        "ko": "label과 label_length는 배치의 이미지마다 한 행씩이어야 합니다."},
    "reader.label_length_max": {
        "en": "Row {row}: label_length is {got}, max_text_len, for {want!r}: it is the label's own length, {n}.",
        "ko": "{row}번 행: {want!r}의 label_length가 max_text_len인 {got}입니다: 라벨 자신의 길이 {n}이어야 합니다."},
    "reader.label_length": {
        "en": "Row {row}: label_length is {got} for {want!r}; it is the length of the encoded label, {n}.",
        "ko": "{row}번 행: {want!r}의 label_length가 {got}입니다. 인코딩한 라벨의 길이 {n}이어야 합니다."},
    "reader.label": {
        "en": "Row {row} decodes to {got!r}; its record's label is {want!r} (cleaned by __init__: upper-cased). "
              "Encode it with self.label_converter.encode and copy it into the row from position 0.",
        "ko": "{row}번 행을 디코딩하면 {got!r}인데, 그 레코드의 라벨은 {want!r}입니다 (__init__이 대문자로 정리함). "
              "self.label_converter.encode로 인코딩해서 행의 0번 위치부터 복사하세요."},
    "reader.passed": {
        "en": "{records} records read in batches of {batch_size}: {rows} rows, {skipped} left out (unreadable, or "
              "skipped by __init__), no padding rows, labels, label_length and input_length = {steps} right.",
        "ko": "레코드 {records}개를 배치 {batch_size}개씩 읽었습니다: {rows}행, {skipped}개 제외(읽을 수 없거나 "
              "__init__이 건너뜀), 채움 행 없음, label, label_length, input_length = {steps} 모두 맞습니다."},
    # ------------------------------------------------------------------ notebook 05 (checks/inference.py)
    "rubric.decode_predict_ctc": {
        "en": "decode_predict_ctc reads batches of softmax outputs made at grading time: best path, repeats merged, "
              "blanks (class 0) dropped",
        "ko": "decode_predict_ctc가 채점할 때 만든 softmax 출력 배치를 읽는다: best path, 반복 합치기, 공백 문자(class 0) 지우기"},
    "rubric.check_inference": {
        "en": "check_inference returns the texts the model it is given reads on the first `index` crops",
        "ko": "check_inference가 받은 모델로 처음 `index`개 crop을 읽은 텍스트를 돌려준다"},
    "decode.not_written": {
        "en": "decode_predict_ctc is not written yet: replace `raise NotImplementedError` with your code.",
        "ko": "decode_predict_ctc가 아직 작성되지 않았습니다: `raise NotImplementedError`를 여러분의 코드로 바꾸세요."},
    "decode.raised": {
        "en": "decode_predict_ctc(y_pred of shape ({batch}, {steps}, {classes}), characters) raised {error}.",
        "ko": "decode_predict_ctc(shape ({batch}, {steps}, {classes})의 y_pred, characters)에서 오류가 났습니다: {error}."},
    "decode.returned_str": {
        "en": "decode_predict_ctc returned one str ({got!r}) for a batch of {batch}: return a list, one text per image "
              "(the lecture's callers took [0] of it).",
        "ko": "decode_predict_ctc가 배치 {batch}개에 문자열 하나({got!r})를 돌려줬습니다: 이미지마다 텍스트 하나인 "
              "리스트를 돌려주세요 (강의에서는 호출하는 쪽이 [0]을 꺼냈습니다)."},
    "decode.not_list": {
        "en": "decode_predict_ctc should return a list of str, one per image of the batch ({batch}); got {got}.",
        "ko": "decode_predict_ctc는 배치의 이미지({batch}개)마다 하나씩, 문자열 리스트를 돌려줘야 합니다. 돌려준 값: {got}."},
    "decode.first_only": {
        "en": "decode_predict_ctc returned 1 text for a batch of {batch}: decode every image of the batch (the "
              "lecture's loop read `[0]`, the first image, only).",
        "ko": "decode_predict_ctc가 배치 {batch}개에 텍스트 1개를 돌려줬습니다: 배치의 모든 이미지를 디코딩하세요 "
              "(강의의 반복문은 첫 이미지인 `[0]`만 읽었습니다)."},
    "decode.wrong_count": {
        "en": "decode_predict_ctc returned {count} texts for a batch of {batch}: one per image.",
        "ko": "decode_predict_ctc가 배치 {batch}개에 텍스트 {count}개를 돌려줬습니다: 이미지마다 하나씩이어야 합니다."},
    "decode.blanks_first": {
        "en": "The best path {path} reads {want!r}, you gave {got!r}: the blanks were dropped before the repeats were "
              "merged, so a double letter became one. Merge repeated classes first, then drop the blanks: the blank "
              "between the two letters is what keeps them apart (the lecture's K.ctc_decode merged them too).",
        "ko": "best path {path}는 {want!r}로 읽히는데 {got!r}를 돌려줬습니다: 반복을 합치기 전에 공백 문자를 지워서 "
              "같은 글자 두 개가 하나가 되었습니다. 반복되는 class를 먼저 합치고, 그다음에 공백 문자를 지우세요: 두 글자 "
              "사이의 공백 문자가 둘을 떼어 놓습니다 (강의의 K.ctc_decode도 합쳐 버렸습니다)."},
    "decode.no_merge": {
        "en": "The best path {path} reads {want!r}, you gave {got!r}: a letter held for several steps is one letter. "
              "Merge repeated classes (a class equal to the step before), then drop the blanks.",
        "ko": "best path {path}는 {want!r}로 읽히는데 {got!r}를 돌려줬습니다: 여러 step 동안 이어진 글자는 한 글자입니다. "
              "반복되는 class(바로 앞 step과 같은 class)를 합치고, 그다음에 공백 문자를 지우세요."},
    "decode.blank_kept": {
        "en": "The best path {path} reads {want!r}, you gave {got!r}: drop the blanks (class 0) after merging; no "
              ".replace('-', '') needed if they never become text.",
        "ko": "best path {path}는 {want!r}로 읽히는데 {got!r}를 돌려줬습니다: 합친 뒤 공백 문자(class 0)를 지우세요. "
              "처음부터 텍스트로 만들지 않으면 .replace('-', '')도 필요 없습니다."},
    "decode.off_by_one": {
        "en": "The best path {path} reads {want!r}, you gave {got!r}, every letter one further in the charset: class 0 is "
              "the blank, so class i is characters[i - 1] (the lecture passed chars='-' + TARGET_CHARACTERS instead).",
        "ko": "best path {path}는 {want!r}로 읽히는데 {got!r}를 돌려줬습니다. 글자가 모두 charset에서 한 칸씩 밀렸습니다: "
              "class 0이 공백 문자이므로 class i는 characters[i - 1]입니다 (강의는 대신 chars='-' + TARGET_CHARACTERS를 "
              "넘겼습니다)."},
    "decode.wrong": {
        "en": "With the charset {charset!r}, the best path {path} reads {want!r}; you gave {got!r}.",
        "ko": "charset {charset!r}에서 best path {path}는 {want!r}로 읽히는데 {got!r}를 돌려줬습니다."},
    "decode.passed": {
        "en": "{texts} texts read right, in the lecture's charset at 24 steps and in {charset!r} at 49: repeats merged, "
              "double letters kept apart by their blank.",
        "ko": "강의의 charset(24 step)과 {charset!r}(49 step)에서 텍스트 {texts}개를 바르게 읽었습니다: 반복은 합치고, "
              "같은 글자 두 개는 사이의 공백 문자로 떼어 놓았습니다."},
    "inference.not_written": {
        "en": "check_inference is not written yet: replace `raise NotImplementedError` with your code.",
        "ko": "check_inference가 아직 작성되지 않았습니다: `raise NotImplementedError`를 여러분의 코드로 바꾸세요."},
    "inference.raised": {
        "en": "check_inference(model, dataset, index={index}) raised {error}.",
        "ko": "check_inference(model, dataset, index={index})에서 오류가 났습니다: {error}."},
    "inference.returned_none": {
        "en": "check_inference returned None: return the list of the {index} texts it read (the lecture's only "
              "printed them); expected {want}.",
        "ko": "check_inference가 None을 돌려줬습니다: 읽은 텍스트 {index}개의 리스트를 돌려주세요 (강의의 것은 출력만 "
              "했습니다). 정답: {want}."},
    "inference.global_model": {
        "en": "check_inference never called the model it was given: that is the lecture's bug, which read with the "
              "global model_pred. Call model.predict(img) on the argument.",
        "ko": "check_inference가 받은 모델을 한 번도 호출하지 않았습니다: 전역 변수 model_pred로 읽은 강의의 버그입니다. "
              "인자로 받은 model에 model.predict(img)를 호출하세요."},
    "inference.not_list": {
        "en": "check_inference should return a list of {index} str; got {got}.",
        "ko": "check_inference는 문자열 {index}개의 리스트를 돌려줘야 합니다. 돌려준 값: {got}."},
    "inference.wrong_count": {
        "en": "check_inference returned {count} texts when asked for index={index}: read dataset[0] .. "
              "dataset[index - 1].",
        "ko": "index={index}를 받았는데 check_inference가 텍스트 {count}개를 돌려줬습니다: dataset[0] .. "
              "dataset[index - 1]을 읽으세요."},
    "inference.from_one": {
        "en": "check_inference read {got}, from dataset[1] on; expected {want}, from dataset[0].",
        "ko": "check_inference가 dataset[1]부터 읽어 {got}를 돌려줬습니다. 정답은 dataset[0]부터 읽은 {want}입니다."},
    "inference.blank_kept": {
        "en": "check_inference read {got}: the blanks are still in the texts; decode with decode_predict_ctc (exercise 1). "
              "Expected {want}.",
        "ko": "check_inference가 {got}를 읽었습니다: 텍스트에 공백 문자가 남아 있습니다. decode_predict_ctc(연습 1)로 "
              "디코딩하세요. 정답: {want}."},
    "inference.wrong": {
        "en": "check_inference read {got}; the model it was given reads {want} on dataset[0] .. dataset[{index} - 1].",
        "ko": "check_inference가 {got}를 읽었습니다. 받은 모델은 dataset[0] .. dataset[{index} - 1]에서 {want}를 읽습니다."},
    "inference.passed": {
        "en": "the {count} texts the given model reads ({words}), read with it ({calls} predict calls).",
        "ko": "받은 모델로 읽은 텍스트 {count}개({words})가 맞습니다 (predict 호출 {calls}번)."},
    # ------------------------------------------------------------------ a later cell's fallback (checks.yours_or_ours)
    "fallback.yours": {"en": "✔ your {name} passed its check: the cells below use it.",
                       "ko": "✔ 여러분의 {name}가 체크를 통과했습니다: 아래 셀들은 이것을 씁니다."},
    "fallback.ours": {
        "en": "✘ your {name} has not passed its check yet, so the cells below use the package's ({package}) and "
              "the notebook goes on. Come back to it: {reason}",
        "ko": "✘ 여러분의 {name}가 아직 체크를 통과하지 못해서, 아래 셀들은 패키지의 것({package})을 쓰고 노트북은 "
              "계속됩니다. 나중에 다시 보세요: {reason}"},
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
    "grade.cell_reference_absent": {"en": "cell {cell} ({line}): calls {error}, which is absent while grading",
                                    "ko": "셀 {cell}({line}): 채점 중에는 없는 {error}을(를) 호출합니다"},
    "grade.cell_unread": {"en": "cell {cell} ({line}): {error}", "ko": "셀 {cell}({line}): {error}"},
    "grade.cell_died_memory": {
        "en": "cell {cell} ({line}): the kernel died: the notebook went over its memory limit ({gb:g} GB); the kernel "
              "was restarted and the cells before it run again",
        "ko": "셀 {cell}({line}): 노트북이 메모리 한도({gb:g} GB)를 넘어 커널이 죽었습니다. 커널을 다시 시작하고 그 앞의 "
              "셀을 다시 실행했습니다"},
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
