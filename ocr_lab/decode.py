"""Decode: per-step softmax -> strings, for a whole batch in one call.

Taught in notebooks 02 and 05. Greedy (best path) decoding takes the most likely
class at each step, merges repeats and drops blanks: "HH-EL-LLO" -> "HELLO".
Beam search keeps the `beam_width` best prefixes and sums the paths that give the
same text, which helps when the model is unsure.
"""
from __future__ import annotations

import numpy as np

from ocr_lab.labels import BLANK, BLANK_INDEX, TARGET_CHARACTERS


def _check(y_pred, characters):
    y_pred = np.asarray(y_pred, dtype=np.float32)
    if y_pred.ndim == 2:
        raise ValueError(f"y_pred must be a batch, (batch, time_steps, classes); got one output of shape "
                         f"{y_pred.shape}: pass y_pred[None] (the lecture's model_pred.predict returns a batch)")
    if y_pred.ndim != 3:
        raise ValueError(f"y_pred must be (batch, time_steps, classes), got shape {y_pred.shape}")
    classes = y_pred.shape[-1]
    if characters.startswith(BLANK) and classes == len(characters):
        raise ValueError(
            f"characters starts with {BLANK!r}: the lecture's decode_predict_ctc(out, chars='-' + TARGET_CHARACTERS) "
            f"needed it because its '-' was an ordinary class 0 and Keras' blank was last. Here the blank is class 0 "
            f"and not part of the charset: call decode_predict_ctc(y_pred) or decode_predict_ctc(y_pred, "
            f"TARGET_CHARACTERS); no .replace('-', '') is needed afterwards (notebook 02)."
        )
    if classes == len(characters) + 2:
        raise ValueError(
            f"y_pred has {classes} classes, the lecture's layout (len(TARGET_CHARACTERS) + 2: its '-' at 0, the "
            f"characters, Keras' blank last). ocr_lab's models have {len(characters) + 1}, with the blank at 0: "
            f"decode the output of build_crnn_model / load_recognizer, or decode a lecture-layout output with "
            f"K.ctc_decode as the lecture did (notebook 02)."
        )
    if classes != len(characters) + 1:
        raise ValueError(
            f"y_pred has {classes} classes but the charset has {len(characters)} characters "
            f"(+1 blank = {len(characters) + 1}); was the model trained with another charset?"
        )
    return y_pred


def greedy_decode(y_pred, characters: str = TARGET_CHARACTERS) -> tuple[list[str], np.ndarray]:
    """Best-path decoding. Returns (texts, confidences).

    The confidence of a text is the probability of its best path: the product of the
    per-step maxima. It is low when any one step was uncertain.
    """
    y_pred = _check(y_pred, characters)
    best = y_pred.argmax(-1)                                          # [b, t]
    keep = best != BLANK_INDEX
    keep[:, 1:] &= best[:, 1:] != best[:, :-1]                        # merge repeats
    texts = ["".join(characters[i - 1] for i in row[mask]) for row, mask in zip(best, keep)]
    confidences = np.exp(np.log(np.clip(y_pred.max(-1), 1e-12, 1.0)).sum(-1))
    return texts, confidences


def beam_decode(y_pred, characters: str = TARGET_CHARACTERS, beam_width: int = 5) -> tuple[list[str], np.ndarray]:
    """Beam-search decoding with TensorFlow's decoder. Returns (texts, probabilities)."""
    import tensorflow as tf

    y_pred = _check(y_pred, characters)
    # tf.nn.ctc_beam_search_decoder wants the blank *last*: move class 0 to the end.
    log_probs = np.log(np.clip(np.roll(y_pred, -1, axis=-1), 1e-12, 1.0)).transpose(1, 0, 2)  # [t, b, c]
    lengths = np.full([y_pred.shape[0]], y_pred.shape[1], dtype=np.int32)
    decoded, log_prob = tf.nn.ctc_beam_search_decoder(log_probs, lengths, beam_width=beam_width, top_paths=1)
    dense = tf.sparse.to_dense(decoded[0], default_value=-1).numpy()
    texts = ["".join(characters[i] for i in row if i >= 0) for row in dense]
    return texts, np.exp(log_prob.numpy()[:, 0])


def decode_predict_ctc(y_pred, characters: str = TARGET_CHARACTERS, beam_width: int = 1, *,
                       chars: str | None = None, top_paths: int = 1) -> list[str]:
    """The lecture's name: decode a batch of softmax outputs to strings.

    `beam_width=1` is greedy decoding (fast, numpy only); larger widths use beam search.
    Unlike the lecture's version, this decodes the whole batch in one call and
    expects the blank at index 0, as `LabelConverter` and the model use it.
    `chars` and `top_paths` are the lecture's argument names: `chars` is accepted
    for `characters`, and `top_paths` can only be 1 (one text per image).
    """
    if chars is not None:
        if characters is not TARGET_CHARACTERS and characters != chars:
            raise ValueError("pass the charset once, as `characters` (the lecture called it `chars`)")
        characters = chars
    if top_paths != 1:
        raise ValueError(f"top_paths={top_paths}: the lecture's decode_predict_ctc could return the {top_paths} best "
                         "readings; this one returns the best reading of each image in the batch, one string each. "
                         "Use beam_width=5 for the lecture's beam search.")
    if beam_width < 1:
        raise ValueError(f"beam_width must be at least 1, got {beam_width}")
    if beam_width == 1:
        return greedy_decode(y_pred, characters)[0]
    return beam_decode(y_pred, characters, beam_width)[0]
