"""Messages: what `ocr_lab` says to a learner, in English and in Korean.

The lecture is Korean, and so are most of its learners; the course has a Korean
edition in `notebooks/ko/`. The text a learner reads from the library (the labels of
`ocr_lab.viz`'s and `train.plot_history`'s plots, decode_predict_ctc's lecture-aware errors,
`data.LECTURE_BUGS`, what tf-keras' ignored `lr=` means, the command line's one-line errors about runs,
interrupts, disks and numbers) is kept here, one template per message and language, so the
code that speaks stays one piece of code; the course machinery's own text (the
exercise checks, the grader's table) is in `ocr_lab.course.messages`, built the same way.

The language is, in order: `$OCR_LAB_LANG` (`ko` or `en`), then Korean when the
working directory is a `notebooks/ko/` folder (where Jupyter runs a Korean notebook),
then English. The older errors about bad arguments and broken files are still English.
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
    # LiveProgress's line while a notebook trains (ocr_lab.callbacks, notebook 04)
    "live.line": {"en": "step {step}/{total} · {seconds:.0f} s · {loss}word accuracy: training {train:.2f}, "
                        "validation {valid:.2f} · blank {blank:.0%}",
                  "ko": "step {step}/{total} · {seconds:.0f}초 · {loss}단어 정확도: 학습 {train:.2f}, "
                        "검증 {valid:.2f} · 공백 문자 {blank:.0%}"},
    "live.loss": {"en": "loss {loss:.2f} · ", "ko": "손실 {loss:.2f} · "},
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
    # the lecture's optimizer line (ocr_lab.train.explain_ignored_learning_rate)
    "train.lr_ignored": {
        "en": "{name}(lr={lr}) IGNORES lr: tf-keras dropped that argument, so this optimizer trains at its default "
              "learning rate, {default}, not {lr}. Write {name}(learning_rate={lr}) instead.",
        "ko": "{name}(lr={lr})는 lr을 무시합니다: tf-keras가 이 인자를 없앴기 때문에 이 옵티마이저는 {lr}이 아니라 "
              "기본 학습률 {default}로 학습합니다. {name}(learning_rate={lr})라고 쓰세요."},
    # what changed from the lecture's training, as train.py's docstring says it (notebook 04 prints it;
    # the English one is the docstring itself, and tests/test_messages.py keeps the two the same)
    "train.recipe": {
        "en": "Taught in notebook 04. What changed from the lecture, and why:\n"
              "- an epoch is a real pass (or `steps_per_epoch` steps) over the data, not 1 % of it;\n"
              "- validation reports word accuracy and CER, not only the CTC loss, and the best\n"
              "  checkpoint is chosen by word accuracy, which is what a reader cares about;\n"
              "- Adam with a cosine learning-rate decay is the default: on a CPU budget it reaches\n"
              "  high accuracy many times sooner than the lecture's Adadelta(lr=0.1)\n"
              "  (`benchmarks/bench_training.py` measures both);\n"
              "- checkpoints carry their config (charset, input size, model config) and are\n"
              "  written atomically; run again with the same run folder and `resume=True` (the\n"
              "  command line does by default), an interrupted run resumes from its last finished epoch.\n",
        "ko": "노트북 04에서 다룹니다. 강의에서 달라진 점과 그 이유:\n"
              "- 한 에폭은 데이터의 1 %가 아니라 데이터를 실제로 한 번 다 보는 것(또는 `steps_per_epoch` 스텝)입니다.\n"
              "- 검증은 CTC 손실만이 아니라 단어 정확도와 CER도 보고하고, 가장 좋은 체크포인트는\n"
              "  글을 읽는 모델에 정말 중요한 단어 정확도로 고릅니다.\n"
              "- 기본값은 cosine으로 학습률을 줄이는 Adam입니다: CPU 예산에서 강의의 Adadelta(lr=0.1)보다\n"
              "  몇 배나 빨리 높은 정확도에 이릅니다 (`benchmarks/bench_training.py`가 둘을 측정합니다).\n"
              "- 체크포인트는 설정(문자 집합, 입력 크기, 모델 설정)을 함께 담고 원자적으로 저장됩니다.\n"
              "  같은 실행 폴더와 `resume=True`로 다시 실행하면(명령줄은 기본으로 그렇게 합니다)\n"
              "  중단된 학습이 마지막으로 끝난 에폭부터 이어집니다.\n"},
    # the two scores of an evaluation report (ocr_lab.evaluate.EvalReport.table, notebook 05): the words
    # before ':' name the report's row of the second score
    "report.case_insensitive": {
        "en": "case-insensitive: upper case, letters and digits only, the lecture's score",
        "ko": "대소문자 무시: 대문자로 바꿔 글자와 숫자만 비교하는 강의의 채점 방식"},
    "report.as_printed": {"en": "as printed: case and punctuation count",
                          "ko": "인쇄된 그대로: 대소문자와 문장 부호까지 비교"},
    # what notebooks 01 and 02 print from the data code (ocr_lab.data, ocr_lab.labels)
    "summary.dropped": {"en": "dropped by the reader", "ko": "리더가 버린 글자"},
    "summary.lower_case": {"en": "labels with lower case (upper-cased by the reader)",
                           "ko": "소문자가 있는 라벨 (리더가 대문자로 바꿈)"},
    "labels.not_in_charset": {
        "en": "label {text!r} has {char!r}, which is not in the charset {charset!r}; upper-case the label or drop "
              "that character first (MJDatasetSequence does both)",
        "ko": "라벨 {text!r}에 문자 집합 {charset!r}에 없는 {char!r}가 있습니다: 라벨을 대문자로 바꾸거나 그 글자를 "
              "먼저 지우세요 (MJDatasetSequence는 둘 다 합니다)"},
    # training curves (ocr_lab.train.plot_history)
    "plot.epoch": {"en": "epoch", "ko": "에폭"},
    "plot.ctc_loss": {"en": "CTC loss", "ko": "CTC 손실"},
    "plot.train_loss": {"en": "train loss", "ko": "학습 손실"},
    "plot.validation_loss": {"en": "validation loss", "ko": "검증 손실"},
    "plot.validation": {"en": "validation", "ko": "검증 세트"},
    "plot.word_accuracy": {"en": "word accuracy", "ko": "단어 정확도"},
    "plot.cer": {"en": "character error rate", "ko": "문자 오류율 (CER)"},
    "plot.named_word_accuracy": {"en": "{name} word accuracy", "ko": "{name} 단어 정확도"},
    # what MJDatasetSequence fixes in the lecture's data code (ocr_lab.data.LECTURE_BUGS, notebook 04)
    "lecture_bug.1": {
        "en": "`__len__` divided by `divide_length = 100`, so one 'epoch' saw 1 % of the data "
              "(and `steps_per_epoch=len(val_set)` then tied the training epoch to the validation set's size).",
        "ko": "`__len__`을 `divide_length = 100`으로 나눠서 한 '에폭'이 데이터의 1 %만 봤습니다 "
              "(게다가 `steps_per_epoch=len(val_set)`이 학습 에폭을 검증 세트의 크기에 묶었습니다)."},
    "lecture_fix.1": {"en": "`__len__` is `ceil(usable records / batch_size)`: an epoch is one pass over the data.",
                      "ko": "`__len__`은 `ceil(쓸 수 있는 레코드 수 / batch_size)`입니다: 한 에폭이 데이터를 한 번 다 봅니다."},
    "lecture_bug.2": {
        "en": "An unreadable image became a black image with label '-', the character filter turned '-' into '', "
              "and the black image was trained on with an empty label.",
        "ko": "읽을 수 없는 이미지는 라벨이 '-'인 검은 이미지가 됐고, 문자 필터가 '-'를 ''로 바꿔서 "
              "검은 이미지를 빈 라벨로 학습했습니다."},
    "lecture_fix.2": {"en": "Unreadable images are dropped from the batch and counted as `unreadable image`.",
                      "ko": "읽을 수 없는 이미지는 배치에서 빼고 `unreadable image`로 셉니다."},
    "lecture_bug.3": {
        "en": "A label whose encoding was longer than `max_text_len` hit `continue` *after* its image was copied "
              "into the batch, so the image was trained on with an all-zero label and label_length 1.",
        "ko": "인코딩이 `max_text_len`보다 긴 라벨은 이미지를 배치에 복사한 *뒤에* `continue`를 만나서, "
              "그 이미지를 모두 0인 라벨과 label_length 1로 학습했습니다."},
    "lecture_fix.3": {"en": "Too-long labels are skipped before batching and counted as `too long`.",
                      "ko": "너무 긴 라벨은 배치를 만들기 전에 건너뛰고 `too long`으로 셉니다."},
    "lecture_bug.4": {
        "en": "Labels were cut to `max_text_len` characters, so the model learned a wrong, truncated transcription.",
        "ko": "라벨을 `max_text_len` 글자에서 잘라서, 모델이 잘린 틀린 전사를 배웠습니다."},
    "lecture_fix.4": {"en": "Labels longer than `max_text_len` are skipped, not cut.",
                      "ko": "`max_text_len`보다 긴 라벨은 자르지 않고 건너뜁니다."},
    "lecture_bug.5": {
        "en": "A label needs one CTC step per character plus one per repeated pair; labels needing more steps "
              "than the model's output has give an infinite loss.",
        "ko": "라벨에는 글자마다 CTC 스텝 하나, 같은 글자가 연달아 나올 때마다 하나가 더 필요합니다. 모델 출력의 "
              "스텝보다 더 많이 필요한 라벨은 손실이 무한대가 됩니다."},
    "lecture_fix.5": {"en": "Labels with `ctc_min_steps(label) > time_steps` are skipped and counted as `too long for CTC`.",
                      "ko": "`ctc_min_steps(label) > time_steps`인 라벨은 건너뛰고 `too long for CTC`로 셉니다."},
    "lecture_bug.6": {
        "en": "Out-of-charset characters were deleted one by one (`re.sub`), so a label of only punctuation "
              "became '' and was trained on as an empty word.",
        "ko": "문자 집합 밖의 글자를 하나씩 지워서(`re.sub`) 문장 부호만 있는 라벨은 ''가 되었고, "
              "빈 단어로 학습했습니다."},
    "lecture_fix.6": {"en": "Labels that are empty after filtering are skipped and counted as `empty after filtering`.",
                      "ko": "필터링 뒤 비는 라벨은 건너뛰고 `empty after filtering`으로 셉니다."},
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
    # ------------------------------------------------------------------ decoding (ocr_lab.decode): the lecture's calls
    "decode.one_output": {
        "en": "y_pred must be a batch, (batch, time_steps, classes); got one output of shape {shape}: pass y_pred[None] "
              "(the lecture's model_pred.predict returns a batch)",
        "ko": "y_pred는 (batch, time_steps, classes) 모양의 배치여야 하는데 모양이 {shape}인 출력 하나를 받았습니다: "
              "y_pred[None]을 넘기세요 (강의의 model_pred.predict는 배치를 돌려줍니다)"},
    "decode.shape": {"en": "y_pred must be (batch, time_steps, classes), got shape {shape}",
                     "ko": "y_pred는 (batch, time_steps, classes) 모양이어야 하는데 모양이 {shape}입니다"},
    "decode.lecture_chars": {
        "en": "characters starts with {blank!r}: the lecture's decode_predict_ctc(out, chars='-' + TARGET_CHARACTERS) "
              "needed it because its '-' was an ordinary class 0 and Keras' blank was last. Here the blank is class 0 "
              "and not part of the charset: call decode_predict_ctc(y_pred) or decode_predict_ctc(y_pred, "
              "TARGET_CHARACTERS); no .replace('-', '') is needed afterwards (notebook 02).",
        "ko": "characters가 {blank!r}로 시작합니다: 강의의 decode_predict_ctc(out, chars='-' + TARGET_CHARACTERS)에서는 "
              "'-'가 평범한 0번 클래스이고 Keras의 blank가 마지막이었기 때문에 필요했습니다. 여기서는 blank가 0번 클래스이고 "
              "문자 집합에 들어 있지 않습니다: decode_predict_ctc(y_pred)나 decode_predict_ctc(y_pred, TARGET_CHARACTERS)를 "
              "호출하세요. 그 뒤에 .replace('-', '')도 필요 없습니다 (노트북 02)."},
    "decode.lecture_layout": {
        "en": "y_pred has {classes} classes, the lecture's layout (len(TARGET_CHARACTERS) + 2: its '-' at 0, the "
              "characters, Keras' blank last). ocr_lab's models have {ours}, with the blank at 0: decode the output of "
              "build_crnn_model / load_recognizer, or decode a lecture-layout output with K.ctc_decode as the lecture "
              "did (notebook 02).",
        "ko": "y_pred의 클래스가 {classes}개로 강의의 배치입니다 (len(TARGET_CHARACTERS) + 2: 0번에 '-', 그다음 문자들, "
              "마지막에 Keras의 blank). ocr_lab의 모델은 blank가 0번인 {ours}개입니다: build_crnn_model / load_recognizer의 "
              "출력을 디코딩하거나, 강의 배치의 출력은 강의처럼 K.ctc_decode로 디코딩하세요 (노트북 02)."},
    "decode.classes": {
        "en": "y_pred has {classes} classes but the charset has {characters} characters (+1 blank = {ours}); "
              "was the model trained with another charset?",
        "ko": "y_pred의 클래스는 {classes}개인데 문자 집합은 {characters}글자입니다 (blank 1개를 더하면 {ours}개): "
              "다른 문자 집합으로 학습한 모델인가요?"},
    "decode.chars_twice": {"en": "pass the charset once, as `characters` (the lecture called it `chars`)",
                           "ko": "문자 집합은 `characters`로 한 번만 넘기세요 (강의에서는 `chars`라고 불렀습니다)"},
    "decode.top_paths": {
        "en": "top_paths={top_paths}: the lecture's decode_predict_ctc could return the {top_paths} best readings; this "
              "one returns the best reading of each image in the batch, one string each. Use beam_width=5 for the "
              "lecture's beam search.",
        "ko": "top_paths={top_paths}: 강의의 decode_predict_ctc는 가장 좋은 읽기 {top_paths}개를 돌려줄 수 있었지만, "
              "이 함수는 배치의 이미지마다 가장 좋은 읽기를 문자열 하나로 돌려줍니다. 강의의 빔 서치는 beam_width=5로 "
              "쓰세요."},
    "decode.beam_width": {"en": "beam_width must be at least 1, got {beam_width}",
                          "ko": "beam_width는 1 이상이어야 하는데 {beam_width}입니다"},
}
