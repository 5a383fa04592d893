"""Decode: per-step softmax -> strings, for a whole batch in one call.

Taught in notebooks 02 and 05. Greedy (best path) decoding takes the most likely
class at each step, merges repeats and drops blanks: "HH-EL-LLO" -> "HELLO".
Beam search keeps the `beam_width` best prefixes and sums the paths that give the
same text, which helps when the model is unsure.
"""
from __future__ import annotations

import numpy as np

from ocr_lab.labels import BLANK_INDEX, TARGET_CHARACTERS


def _check(y_pred, characters):
    y_pred = np.asarray(y_pred, dtype=np.float32)
    if y_pred.ndim != 3:
        raise ValueError(f"y_pred must be (batch, time_steps, classes), got shape {y_pred.shape}")
    if y_pred.shape[-1] != len(characters) + 1:
        raise ValueError(
            f"y_pred has {y_pred.shape[-1]} classes but the charset has {len(characters)} characters "
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


def decode_predict_ctc(y_pred, characters: str = TARGET_CHARACTERS, beam_width: int = 1) -> list[str]:
    """The lecture's name: decode a batch of softmax outputs to strings.

    `beam_width=1` is greedy decoding (fast, numpy only); larger widths use beam search.
    Unlike the lecture's version, this decodes the whole batch in one call and
    expects the blank at index 0, as `LabelConverter` and the model use it.
    """
    if beam_width < 1:
        raise ValueError(f"beam_width must be at least 1, got {beam_width}")
    if beam_width == 1:
        return greedy_decode(y_pred, characters)[0]
    return beam_decode(y_pred, characters, beam_width)[0]
