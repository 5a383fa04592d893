"""ocr_lab: the helper package of the "build your own OCR" course.

The modules follow the pipeline, in order:

    labels   -> charset, LabelConverter (notebook 02)
    data     -> LMDB reading: MJDatasetSequence, the tf.data path, LMDB writing (01)
    synth    -> the MJSynth-like generator that builds the default data set (01)
    model    -> build_crnn_model (03)
    decode   -> decode_predict_ctc, lexicon decoding (02, 05)
    metrics  -> word accuracy, character error rate (04)
    train    -> training, checkpoints, load_recognizer (04)
    callbacks -> what training does after each batch and epoch: accuracy, schedule, budget, saving (04)
    evaluate -> the evaluation report (05)
    detect   -> keras-ocr's CRAFT detector, detect_text (06)
    detect_onnx    -> the same CRAFT on ONNX Runtime, in int8: what `ocr` runs
    recognize_onnx -> a checkpoint's CRNN on ONNX Runtime, no TensorFlow: what `ocr` runs
    pipeline -> recognize_img, recognize, OCRPipeline (06)
    scenes   -> generated end-to-end test scenes and their scoring (06, benchmarks)
    cli      -> `python -m ocr_lab <verb>`, and the one place errors become one-line messages
    files    -> atomic writes; deleting or replacing only what a command made (every verb)
    quiet    -> TensorFlow imported without its C++ start-up log (notebooks, every verb)
    messages -> the library's text in English and Korean (plot labels, the lecture-aware errors), and how the
                language is chosen

The course machinery (learner helpers, notebook build tools, the exercise checks and the
grader) lives in `ocr_lab.course`, above the library: no module listed here imports it.
`ocr_lab.notebooks` and `ocr_lab.checks` are its old names, kept for the committed notebooks.

The one thing importing this package does: keras-ocr 0.9.3 is Keras-2 code, and
TensorFlow >= 2.16 ships Keras 3 as `tf.keras` unless TF_USE_LEGACY_KERAS=1 is set
*before* TensorFlow is first imported. We set it here so every notebook and command
gets the same Keras (tf-keras 2.x). The lecture names are imported lazily, so
`import ocr_lab` itself stays fast and does not load TensorFlow.
"""
import os

os.environ.setdefault("TF_USE_LEGACY_KERAS", "1")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")  # hide TensorFlow's C++ start-up chatter (errors still raise)

_LAZY = {
    "TARGET_CHARACTERS": "labels",
    "LabelConverter": "labels",
    "MJDatasetSequence": "data",
    "build_crnn_model": "model",
    "decode_predict_ctc": "decode",
    "word_accuracy": "metrics",
    "character_error_rate": "metrics",
    "load_recognizer": "train",
    "detect_text": "detect",
    "recognize_img": "pipeline",
    "recognize": "pipeline",
    "OCRPipeline": "pipeline",
}

__all__ = sorted(_LAZY)


def __getattr__(name):
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(f"ocr_lab.{_LAZY[name]}"), name)
    raise AttributeError(f"module 'ocr_lab' has no attribute {name!r}")
