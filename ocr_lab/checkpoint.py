"""Checkpoints: a trained recognizer in one HDF5 file, with the config that rebuilds it.

Taught in notebook 05 (`load_recognizer`); notebook 04 saves them while training. A
checkpoint stores its weights, the charset, the input size, the model config spelled out
(`model_params`), the time steps and a sha256 of the weights, so a file that travels
alone can be rebuilt, checked and read. Reading the config needs only h5py: the
TensorFlow-free ONNX path (`recognize_onnx`) and the command line use it too.
"""
from __future__ import annotations

import hashlib
import json
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ocr_lab.files import atomic_write, describe
from ocr_lab.labels import IMG_SIZE, MAX_TEXT_LEN, TARGET_CHARACTERS
from ocr_lab.messages import message

PROJECT_ROOT = Path(__file__).resolve().parent.parent
# The recognizer of the notebooks, their checks and `load_recognizer()`: the lecture's 36 characters
# (A-Z, 0-9), which the lecture's code in the notebooks decodes with. The "wide" config fine-tuned on
# generator v8; checkpoints/crnn_small.h5, the previous release, is the lecture-shaped 24-step model.
DEFAULT_CHECKPOINT = PROJECT_ROOT / "checkpoints" / "crnn_wide.h5"
# The recognizer that `ocr`, `demo`, `evaluate`, `OCRPipeline()` and the benchmarks read with when given
# none: the one name to change when a better reader ships (checkpoints/MODEL_CARD.md says why each is).
# It may print more than the notebooks' (upper and lower case): the charset, input size and layers
# travel in the file, so nothing else changes with it, and the notebooks keep theirs. Today the cased
# recognizer (upper and lower case, digits, punctuation): it reads real crops better as printed than
# crnn_wide.h5 and no worse with case ignored.
OCR_CHECKPOINT = PROJECT_ROOT / "checkpoints" / "crnn_cased.h5"
CONFIG_ATTR = "ocr_lab_config"
CHECKSUM_KEY = "weights_sha256"  # in the config: sha256 of the weight arrays (see weights_sha256)



# ----------------------------------------------------------------------------- checkpoints

def default_checkpoint_name() -> str:
    """`OCR_CHECKPOINT` as a person types it, relative to the project: for the command line's help texts."""
    return project_relative(OCR_CHECKPOINT)


@dataclass
class Recognizer:
    """A trained CRNN and everything needed to use it: charset, input size, model config."""

    model: object  # tf_keras.Model: (N, width, height, 3) pixels 0..255 -> (N, time steps, classes) softmax
    characters: str = TARGET_CHARACTERS
    img_size: tuple = IMG_SIZE
    config: object = "small"
    info: dict = field(default_factory=dict)  # training facts stored with the weights (steps, accuracy...)
    time_steps: int | None = None  # columns the model reads (24, or 49 for "wide"): read from the model when None
    head: str = "ctc"  # the prediction stage, as the config names it: how `decode.decode_readings` reads the output

    def __post_init__(self):
        if self.time_steps is None:
            self.time_steps = int(self.model.output_shape[1])

    def predict(self, images: np.ndarray, batch_size: int = 256) -> np.ndarray:
        """Softmax for a batch of width-first images: one `predict` call for the whole batch."""
        return predict_softmax(self.model, images, batch_size)


def project_relative(path) -> str:
    """A path as recorded in a checkpoint: relative to the project when inside it, so cards travel."""
    path = Path(path).resolve()
    return str(path.relative_to(PROJECT_ROOT)) if path.is_relative_to(PROJECT_ROOT) else str(path)


def checkpoint_config(characters, img_size, config, **info) -> dict:
    """What a checkpoint records. `model_params` spells the config out, layer widths and all, so a
    checkpoint still loads after the named config it was trained with changes in a later version."""
    from ocr_lab.model import CONFIGS, time_steps_of

    params = CONFIGS.get(config) if isinstance(config, str) else config
    return {"characters": characters, "img_size": list(img_size), "config": config,
            "model_params": dict(params) if params else None,
            "max_text_len": MAX_TEXT_LEN, "time_steps": time_steps_of(config, img_size), "info": info}


def save_recognizer(model_pred, path, characters=TARGET_CHARACTERS, img_size=IMG_SIZE, config="small", **info):
    """Save weights + config in one HDF5 file, atomically (`files.atomic_write`: temp file, then rename).

    The config records a sha256 of the weight arrays (`weights_sha256`), which
    `load_recognizer` checks: a file damaged on disk or in a copy is refused instead
    of reading garbage.
    """
    import h5py

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)

    def write(tmp: Path) -> None:
        model_pred.save_weights(str(tmp), save_format="h5")
        with h5py.File(tmp, "a") as f:
            cfg = checkpoint_config(characters, img_size, config, **info)
            f.attrs[CONFIG_ATTR] = json.dumps({**cfg, CHECKSUM_KEY: weights_sha256(f)})

    return atomic_write(path, write)


def weights_sha256(h5file) -> str:
    """sha256 of every array in an open HDF5 weights file: names, dtypes, shapes and values, in name order.

    It covers the weights, not the file's bytes, so rewriting the config attribute
    that stores it (see `add_weights_checksum`) does not change it.
    """
    import h5py

    names: list[str] = []
    h5file.visititems(lambda name, obj: names.append(name) if isinstance(obj, h5py.Dataset) else None)
    digest = hashlib.sha256()
    for name in sorted(names):
        array = np.ascontiguousarray(h5file[name][()])
        digest.update(f"{name}|{array.dtype.str}|{array.shape}|".encode())
        digest.update(array.tobytes())
    return digest.hexdigest()


def nonfinite_weights(h5file) -> list[str]:
    """Names of the arrays in an open HDF5 weights file that hold NaN or infinity (a diverged training's)."""
    import h5py

    bad: list[str] = []

    def check(name, obj):
        if isinstance(obj, h5py.Dataset) and obj.dtype.kind == "f" and not np.isfinite(obj[()]).all():
            bad.append(name)

    h5file.visititems(check)
    return sorted(bad)


def add_weights_checksum(path) -> str:
    """Record the sha256 of a checkpoint's weights in its config, for checkpoints saved before checksums.

    The checkpoint is loaded first, so only one whose weights fit its model is stamped,
    and the file is rewritten atomically. Stamp only a file you trust (one that still
    scores what its model card says): a checksum proves the weights have not changed
    since, not that they were right. Returns the checksum:

        python -c "from ocr_lab.train import add_weights_checksum as a; print(a('checkpoints/crnn_small.h5'))"
    """
    import h5py

    path = Path(path)
    load_recognizer(path)  # the weights fit their model; a checksum already there is checked too

    def stamp(tmp: Path) -> None:
        shutil.copyfile(path, tmp)
        with h5py.File(tmp, "a") as f:
            cfg = json.loads(f.attrs[CONFIG_ATTR])
            f.attrs[CONFIG_ATTR] = json.dumps({**cfg, CHECKSUM_KEY: weights_sha256(f)})

    atomic_write(path, stamp)
    return read_checkpoint_config(path)[CHECKSUM_KEY]


REQUIRED_CONFIG = ("characters", "img_size", "config")


def read_checkpoint_config(path, verify: bool = True) -> dict:
    """The config stored in a checkpoint, or a clear error saying what is wrong with the file.

    With `verify`, the weights are checked against the checksum the config records
    (checkpoints saved before checksums existed have none, and load unchecked).
    """
    import h5py

    path = Path(path)
    if not path.exists():
        hint = " Train one with `python -m ocr_lab train`." if path in (DEFAULT_CHECKPOINT, OCR_CHECKPOINT) else ""
        raise FileNotFoundError(f"no checkpoint at {str(path)!r}.{hint}")
    if not path.is_file():
        raise ValueError(f"{str(path)!r} is a folder, not a checkpoint file")
    try:
        with h5py.File(path, "r") as f:
            cfg = _parse_config(path, f.attrs.get(CONFIG_ATTR))
            stored = cfg.get(CHECKSUM_KEY)
            actual = weights_sha256(f) if verify and stored else None
            nonfinite = nonfinite_weights(f) if verify else []
    except (OSError, RuntimeError, KeyError) as err:  # h5py's errors for a damaged file
        raise ValueError(f"{str(path)!r} is not a readable checkpoint (corrupt or not HDF5): {err}") from None
    if actual is not None and actual != stored:
        raise ValueError(f"the weights in {str(path)!r} do not match the checksum saved with them: the file is "
                         "corrupt (damaged on disk or in a copy); copy it again, or retrain")
    if nonfinite:
        raise ValueError(message("checkpoint.not_finite", path=str(path), arrays=describe(nonfinite)))
    return cfg


def _parse_config(path: Path, raw) -> dict:
    if raw is None:
        raise ValueError(f"{str(path)!r} has no ocr_lab config; save checkpoints with ocr_lab.train.save_recognizer")
    try:
        cfg = json.loads(raw)
    except ValueError:
        raise ValueError(f"{str(path)!r} has a corrupt ocr_lab config (not JSON); copy the checkpoint again") from None
    missing = [key for key in REQUIRED_CONFIG if not isinstance(cfg, dict) or key not in cfg]
    if missing:
        raise ValueError(f"the ocr_lab config of {str(path)!r} lacks {', '.join(missing)}; it was not saved by "
                         "ocr_lab.train.save_recognizer (or was edited), so the model cannot be rebuilt")
    return cfg


def load_recognizer(path=DEFAULT_CHECKPOINT, characters: str | None = None, img_size=None) -> Recognizer:
    """Rebuild the model a checkpoint describes and load its weights.

    Pass `characters` / `img_size` to insist on them: a checkpoint trained with
    another charset or input size is then refused with a clear error, as is one
    whose weights no longer match the checksum saved with them.
    """
    from ocr_lab.model import build_crnn_model

    cfg = read_checkpoint_config(path)
    ckpt_size = tuple(cfg["img_size"])
    if characters is not None and characters != cfg["characters"]:
        raise ValueError(f"{str(path)!r} was trained for the charset {cfg['characters']!r}, not {characters!r}")
    if img_size is not None and tuple(img_size) != ckpt_size:
        raise ValueError(f"{str(path)!r} was trained on {ckpt_size} inputs, not {tuple(img_size)}")
    model_config = cfg.get("model_params") or cfg["config"]  # older checkpoints name their config only
    _, model_pred = build_crnn_model((*ckpt_size, 3), cfg["characters"], model_config, cfg.get("max_text_len", 22))
    try:
        model_pred.load_weights(str(path))
    except (ValueError, OSError, RuntimeError, KeyError) as err:
        raise ValueError(f"the weights in {str(path)!r} do not fit the model its config describes: {err}") from None
    return Recognizer(model_pred, cfg["characters"], ckpt_size, cfg["config"], cfg.get("info", {}),
                      int(model_pred.output_shape[1]), head_of(cfg))


def head_of(cfg: dict) -> str:
    """The prediction head a checkpoint's config names; checkpoints saved before heads had names are CTC."""
    return (cfg.get("model_params") or {}).get("head", "ctc")


# ----------------------------------------------------------------------------- reading crops

def predict_softmax(recognizer_or_model, images, batch_size=256) -> np.ndarray:
    """Softmax for a batch of width-first images: one `predict` call for the whole batch."""
    model = getattr(recognizer_or_model, "model", recognizer_or_model)
    return model.predict(np.asarray(images, np.float32), batch_size=batch_size, verbose=0)


def predict_texts(recognizer_or_model, images, characters=None, batch_size=256, head=None):
    """Texts for a batch of width-first images: one predict call, one batched greedy decode.

    `characters` defaults to the recognizer's own charset (a cased one reads case), else the lecture's."""
    from ocr_lab.decode import decode_readings

    characters = characters or getattr(recognizer_or_model, "characters", TARGET_CHARACTERS)
    head = head or getattr(recognizer_or_model, "head", "ctc")
    softmax = predict_softmax(recognizer_or_model, images, batch_size)
    return [text for text, _ in decode_readings(softmax, characters, head=head)]
