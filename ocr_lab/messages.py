"""Messages: what `ocr_lab` says to a learner, in English and in Korean.

The lecture is Korean, and so are most of its learners; the course has a Korean
edition in `notebooks/ko/`. The text a learner reads from the library (the labels of
`ocr_lab.viz`'s plots, the command line's one-line errors about runs, interrupts, disks
and numbers) is kept here, one template per message and language, so the
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
