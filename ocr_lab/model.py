"""Model: the CRNN (Shi et al. 2015) as built in the lecture, plus a small config for CPUs.

Taught in notebook 03. Image (100, 32, 3), width first -> conv features
(24, 1, C) -> 24 time steps (49 in the "wide" config) -> two BiLSTMs -> per-step softmax over the blank
and the characters: `feature_extractor`, `sequence_stage` and a prediction head, which
`build_crnn_model` joins ("wide_tps" puts `rectification_stage` in front). The training model
adds the labels as inputs and outputs the per-sample CTC loss (named "ctc", as in the lecture);
the prediction model maps images to the softmax. Both share their weights.
"""
from __future__ import annotations

import numpy as np
import tensorflow as tf
import tf_keras as keras
from tf_keras import layers

from ocr_lab.labels import BLANK_INDEX, IMG_SIZE, MAX_TEXT_LEN, TARGET_CHARACTERS
from ocr_lab.rectify import RECTIFIER_PREFIX, TPS_POINTS, TPS_SCALE, tps_sampling_matrix, tps_target_points

# Build parameters in one dict, keras-ocr style; each checkpoint stores its config's dict
# (`checkpoint.checkpoint_config`), so a saved model rebuilds even after an entry here changes.
# "lecture" is the lecture's network (7.8 M parameters, batch norm after conv 5 and 6 only).
# "small" is a quarter of its width in convs 1-4 and 96 channels in convs 5-7 (0.41 M parameters),
# with batch norm after every conv (a shorter all-blank phase at the start of CTC training) and
# unrolled LSTMs (faster on a CPU for a fixed number of steps; leave it off on a GPU, where an
# unrolled LSTM cannot use the fused cuDNN kernel).
# "wide" is "small" whose second max-pool halves the height only: a 100-pixel crop becomes 49 time
# steps instead of 24, 3-5 a letter for words of 10-14 letters. Its weights have the small config's
# shapes, so a small checkpoint can start it (`train --init-from`).
# "wide128" is "wide" with 128 units in the dense layer and both LSTMs (0.92 M parameters); a wide
# checkpoint grows into it (`grow_weights`).
# "wide_tps" is "wide" behind a rectification stage (`rectification_stage`: a thin-plate spline that
# straightens curved and slanted words before the CRNN reads them); a wide checkpoint starts it, the
# spline starting as the identity (`grow_weights`).
# "wider_tps" is "wide_tps" with twice the channels in every convolution and 128 units in the dense
# layer and both LSTMs (1.76 M parameters with the stage, against 0.53 M; about four times the
# computation per crop); a wide_tps checkpoint grows into it, its stage copied as it is.
# "head" names the prediction stage (`HEADS` below, `decode.DECODERS`); every config is CTC today.
# Why these sizes (the measurements behind them): checkpoints/MODEL_CARD.md and CHANGELOG.md.
CONFIGS = {
    "lecture": {"conv_filters": (64, 128, 256, 256, 512, 512, 512), "dense": 64, "lstm": 256, "head": "ctc"},
    "small": {"conv_filters": (16, 32, 64, 64, 96, 96, 96), "dense": 64, "lstm": 64, "batch_norm": "every conv",
              "unroll_lstm": True, "head": "ctc"},
    "wide": {"conv_filters": (16, 32, 64, 64, 96, 96, 96), "dense": 64, "lstm": 64, "batch_norm": "every conv",
             "unroll_lstm": True, "second_pool": (1, 2), "head": "ctc"},
    "wide128": {"conv_filters": (16, 32, 64, 64, 96, 96, 96), "dense": 128, "lstm": 128, "batch_norm": "every conv",
                "unroll_lstm": True, "second_pool": (1, 2), "head": "ctc"},
    "wide_tps": {"conv_filters": (16, 32, 64, 64, 96, 96, 96), "dense": 64, "lstm": 64, "batch_norm": "every conv",
                 "unroll_lstm": True, "second_pool": (1, 2), "head": "ctc", "rectify": "tps"},
    "wider_tps": {"conv_filters": (32, 64, 128, 128, 192, 192, 192), "dense": 128, "lstm": 128,
                  "batch_norm": "every conv", "unroll_lstm": True, "second_pool": (1, 2), "head": "ctc",
                  "rectify": "tps"},
}


def model_params(config) -> dict:
    """The build parameters of a config name (see `CONFIGS`) or of a dict of the same keys.

    A dict without a "head" (checkpoints saved before heads had names) is a CTC model.
    """
    if isinstance(config, str) and config not in CONFIGS:
        raise ValueError(f"unknown model config {config!r}; choose one of {sorted(CONFIGS)}")
    params = {"head": "ctc", **(CONFIGS[config] if isinstance(config, str) else config)}
    if params["head"] not in HEADS:
        raise ValueError(f"unknown prediction head {params['head']!r}; choose one of {sorted(HEADS)}")
    return params


# Parameters that change how the model runs but not the shape of any weight: checkpoints of
# configs that differ only in these can start each other's training (`train --init-from`).
SHAPE_FREE_PARAMS = ("second_pool", "unroll_lstm")


def same_weight_shapes(config_a, config_b) -> bool:
    """True when two configs have weights of the same shapes (say "small" and "wide")."""
    def shaped(config):
        params = {k: v for k, v in model_params(config).items() if k not in SHAPE_FREE_PARAMS}
        return {k: list(v) if isinstance(v, (list, tuple)) else v for k, v in params.items()}

    return shaped(config_a) == shaped(config_b)


def can_grow(source_config, target_config) -> bool:
    """True when `grow_weights` can copy a `source_config` model into a `target_config` one: the same
    layers, each at least as wide (say "wide" into "wide128")."""
    src, dst = model_params(source_config), model_params(target_config)
    same_layers = set(src) - set(SHAPE_FREE_PARAMS) == set(dst) - set(SHAPE_FREE_PARAMS)
    if not same_layers or src.get("batch_norm") != dst.get("batch_norm") or src["head"] != dst["head"]:
        return False
    widths = [(list(src["conv_filters"]), list(dst["conv_filters"])), ([src["dense"]], [dst["dense"]]),
              ([src["lstm"]], [dst["lstm"]])]
    return all(len(a) == len(b) and all(x <= y for x, y in zip(a, b)) for a, b in widths)


def grow_weights(source, target) -> None:
    """Copy the prediction model `source` into the wider `target` so that `target` reads exactly as
    `source` does (Net2Net's idea, Chen et al. 2016: grow a trained network instead of starting over).

    A rectification stage is copied as it is when both have one; a stage that only `target` has is
    left as built, the identity: so a "wide" checkpoint starts a "wide_tps" run reading as it did.

    Every old unit keeps its weights at its old place. A new unit keeps `target`'s random weights
    *into* it, but the weights *out of* it, into the next layer's old units, are set to zero: it
    computes something yet changes nothing, until training finds it a use. (Zero on one side only:
    the gradient reaches the zeroed weights through the new unit's activity, so they do not stay
    zero.) LSTMs are handled gate by gate, and a bidirectional layer's output as its two halves.
    """
    src_stage = [layer for layer in source.layers if layer.weights and is_rectifier(layer)]
    dst_stage = [layer for layer in target.layers if layer.weights and is_rectifier(layer)]
    if src_stage:
        copy_layers(src_stage, dst_stage, f"cannot grow {source.name!r} into {target.name!r}: their rectification "
                                          "stages differ")
    src_layers = [layer for layer in source.layers if layer.weights and not is_rectifier(layer)]
    dst_layers = [layer for layer in target.layers if layer.weights and not is_rectifier(layer)]
    if [type(a) for a in src_layers] != [type(b) for b in dst_layers]:
        raise ValueError(f"cannot grow {source.name!r} into {target.name!r}: their layers differ")
    features = np.arange(source.input_shape[-1])  # where each of the source's input features sits in the target
    for src, dst in zip(src_layers, dst_layers):
        old, new = src.get_weights(), dst.get_weights()
        if isinstance(src, layers.BatchNormalization):
            for o, n in zip(old, new):
                n[features] = o
        elif isinstance(src, (layers.Conv2D, layers.Dense)):
            kernel, bias = new
            outputs = np.arange(old[0].shape[-1])
            kernel[..., np.setdiff1d(np.arange(kernel.shape[-2]), features), :] = 0  # new inputs say nothing
            kernel[..., features[:, None], outputs] = old[0]
            bias[outputs] = old[1]
            features = outputs
        elif isinstance(src, layers.Bidirectional):
            units_old, units_new = old[1].shape[0], new[1].shape[0]
            gates = np.concatenate([g * units_new + np.arange(units_old) for g in range(4)])  # i, f, c, o blocks
            kept = np.arange(units_old)
            for d in (0, 3):  # forward, backward: kernel, recurrent kernel, bias
                new[d][np.setdiff1d(np.arange(new[d].shape[0]), features)] = 0
                new[d][features[:, None], gates] = old[d]
                new[d + 1][units_old:] = 0  # a new unit's state feeds no gate yet
                new[d + 1][kept[:, None], gates] = old[d + 1]
                new[d + 2][gates] = old[d + 2]
            features = np.concatenate([kept, units_new + kept])
        else:
            raise ValueError(f"grow_weights does not know the layer {src.name!r} ({type(src).__name__})")
        dst.set_weights(new)


def charset_rows(source_chars: str, target_chars: str) -> list[int | None]:
    """For each class of a `target_chars` model, the class of a `source_chars` model it starts from.

    The blank starts from the blank; a character from itself, or else from its other case (a
    cased model grown from the lecture's upper-case one starts reading "a" as it read "A"); a
    character the source never had starts fresh (None).
    """
    index = {c: i + 1 for i, c in enumerate(source_chars)}
    rows = [0]
    for c in target_chars:
        rows.append(index.get(c, index.get(c.upper(), index.get(c.lower()))))
    return rows


FRESH_CLASS_BIAS = 10.0  # how far below the lowest bias of the source a fresh class starts (e^-10 as likely)


def copy_layers(src_layers, dst_layers, mismatch: str) -> None:
    """Copy each layer's weights into its twin, in order, after checking that every weight has the same
    shape: a model that grew or lost a layer raises `ValueError(mismatch)` instead of a half-copied model."""
    shapes = lambda layer_list: [[w.shape for w in layer.weights] for layer in layer_list]  # noqa: E731
    if shapes(src_layers) != shapes(dst_layers):
        raise ValueError(mismatch)
    for src, dst in zip(src_layers, dst_layers):
        dst.set_weights(src.get_weights())


def transfer_charset(source, target, source_chars: str, target_chars: str) -> int:
    """Copy the prediction model `source` into `target`, which differs only in its charset.

    Every layer but the last is copied as it is; the last layer's weights are copied class by class
    (`charset_rows`). A source class copied into k target classes ("A" into "A" and "a") has its bias
    lowered by log k in each, so the k share what the source gave the one: the target's probabilities
    of "A" and "a" add up to the source's "A", and a case-folded decoder (`decode.case_folded`) reads
    what the source read. A fresh class gets zero weights and a bias `FRESH_CLASS_BIAS` below the lowest
    the source has, so the model reads as before until training finds the class a use (the zero
    weights still get a gradient through the features). Returns how many classes start fresh.
    """
    src_layers = [layer for layer in source.layers if layer.weights]
    dst_layers = [layer for layer in target.layers if layer.weights]
    copy_layers(src_layers[:-1], dst_layers[:-1], f"cannot copy {source.name!r} into {target.name!r}: "
                                                  "their layers before the output differ")
    (old_kernel, old_bias), (kernel, bias) = src_layers[-1].get_weights(), dst_layers[-1].get_weights()
    rows = charset_rows(source_chars, target_chars)
    for i, row in enumerate(rows):
        if row is None:
            kernel[:, i], bias[i] = 0.0, old_bias.min() - FRESH_CLASS_BIAS
        else:
            kernel[:, i], bias[i] = old_kernel[:, row], old_bias[row] - np.log(rows.count(row))
    dst_layers[-1].set_weights([kernel, bias])
    return sum(row is None for row in rows)


def time_steps_of(config, img_size=IMG_SIZE) -> int:
    """How many time steps (columns) the conv stack makes of an `img_size` input: 24 for the lecture's."""
    width = img_size[0] // 2  # first pool
    width //= model_params(config).get("second_pool", (2, 2))[0]  # second pool
    return width - 1  # the last conv is 2x2 "valid"


def ctc_loss(labels, logits, input_length, label_length):
    """Per-sample CTC loss, `(batch, 1)`, with the blank at `BLANK_INDEX` (0), on the model's logits.

    The lecture's `ctc_lambda_func` used `K.ctc_batch_cost`, whose blank is the *last* class;
    `tf.nn.ctc_loss` takes the blank's index, so the loss, the labels and the decoder share one
    convention. It wants logits (it applies the log-softmax itself), not the softmax output.
    Notebook 02 asks the learner to write this.
    """
    loss = tf.nn.ctc_loss(
        labels=tf.cast(labels, tf.int32),                                  # [b, max_text_len], 0 = padding
        logits=logits,                                                     # [b, T, blank + characters]
        label_length=tf.cast(tf.reshape(label_length, [-1]), tf.int32),   # [b]: U of each label
        logit_length=tf.cast(tf.reshape(input_length, [-1]), tf.int32),   # [b]: T, the model's time steps
        logits_time_major=False,
        blank_index=BLANK_INDEX,
    )
    return tf.expand_dims(loss, -1)                                        # [b, 1], as Keras' ctc_batch_cost


class CTCLoss(layers.Layer):
    """The CTC loss as the training model's last layer (`ctc_loss`), named "ctc" as in the lecture."""

    def call(self, inputs):
        labels, logits, input_length, label_length = inputs
        return ctc_loss(labels, logits, input_length, label_length)


class CRNNTrainingModel(keras.Model):
    """The CTC training model. Its loss reads the logits, so the softmax layer "output" is not one of its
    layers but the prediction model's; `get_layer` finds it all the same, for the lecture's inference cell
    (`Model(inputs=model.get_layer('input_image').output, outputs=model.get_layer('output').output)`)."""

    def get_layer(self, name=None, index=None):
        if name is not None and index is None and all(layer.name != name for layer in self.layers):
            seen, todo = set(), list(self.layers)
            while todo:  # the layers fed by this model's layers: the softmax, and the models sharing them
                layer = todo.pop()
                if layer.name == name:
                    return layer
                if id(layer) not in seen:
                    seen.add(id(layer))
                    todo += [node.layer for node in getattr(layer, "_outbound_nodes", [])]
        return super().get_layer(name, index)


class TPSSampler(layers.Layer):
    """Resample images [b, W, H, C] where the spline says: `(images, points [b, n * 2])` -> [b, W, H, C].

    Bilinear, and clamped at the border (ONNX's GridSample with align_corners=1 and
    padding_mode="border" does the same). With the target points as `points` every output
    pixel reads exactly its own input pixel.
    """

    def __init__(self, img_size=IMG_SIZE, n: int = TPS_POINTS, **kwargs):
        super().__init__(**kwargs)
        self.img_size, self.n = tuple(img_size), n
        self.sampling = tf.constant(tps_sampling_matrix(self.img_size, n))

    def get_config(self):
        return {**super().get_config(), "img_size": list(self.img_size), "n": self.n}

    def call(self, inputs):
        images, points = inputs
        width, height = self.img_size
        where = tf.einsum("pk,bkc->bpc", self.sampling, tf.reshape(points, [-1, self.n, 2]))  # [b, W*H, (x, y)]
        x = tf.clip_by_value((where[..., 0] + 1) * 0.5 * (width - 1), 0.0, width - 1.0)
        y = tf.clip_by_value((where[..., 1] + 1) * 0.5 * (height - 1), 0.0, height - 1.0)
        x0, y0 = tf.floor(x), tf.floor(y)
        x1, y1 = tf.minimum(x0 + 1, width - 1.0), tf.minimum(y0 + 1, height - 1.0)
        flat = tf.reshape(images, [-1, width * height, images.shape[-1]])

        def pixel(xi, yi):  # the input pixels at integer (x, y), width first
            return tf.gather(flat, tf.cast(xi * height + yi, tf.int32), batch_dims=1)

        wx, wy = (x - x0)[..., None], (y - y0)[..., None]
        out = ((1 - wx) * (1 - wy) * pixel(x0, y0) + wx * (1 - wy) * pixel(x1, y0)
               + (1 - wx) * wy * pixel(x0, y1) + wx * wy * pixel(x1, y1))
        return tf.reshape(out, [-1, width, height, images.shape[-1]])


def rectification_stage(image_input, n: int = TPS_POINTS):
    """The optional first stage: pixels [b, 100, 32, 3] -> the same pixels with the word straightened.

    The localisation network (four small convolutions, a dense layer) predicts the n fiducial
    points; its last layer starts with zero weights and the target points (/ `TPS_SCALE`) as its
    bias, so a new stage starts as the identity and the CRNN behind it reads exactly as before (`grow_weights`).
    Its layers' names start with "rectify_".
    """
    x = layers.Rescaling(1.0 / 255, name="rectify_rescale")(image_input)
    for i, filters in enumerate((16, 32, 64, 64)):
        x = layers.Conv2D(filters, 3, padding="same", activation="relu", name=f"rectify_conv{i}")(x)
        x = layers.MaxPooling2D(2, name=f"rectify_pool{i}")(x)                  # [b, 6, 2, 64] after four
    x = layers.Flatten(name="rectify_flatten")(x)
    x = layers.Dense(64, activation="relu", name="rectify_dense")(x)
    # The points and the resampling stay float32 under a mixed-precision policy: bfloat16 would place
    # a point only to within about a pixel, and the sampler's matrix is float32.
    points = layers.Dense(2 * n, kernel_initializer="zeros", name="rectify_points", dtype="float32",
                          bias_initializer=keras.initializers.Constant(tps_target_points(n).ravel() / TPS_SCALE))(x)
    points = layers.Rescaling(TPS_SCALE, name="rectify_scale", dtype="float32")(points)
    return TPSSampler(IMG_SIZE, n, name="rectify_sample", dtype="float32")([image_input, points])


def is_rectifier(layer) -> bool:
    return layer.name.startswith(RECTIFIER_PREFIX)


def feature_extractor(image_input, filters=CONFIGS["lecture"]["conv_filters"], second_pool=(2, 2),
                      batch_norm: str | bool = "conv 5 and 6"):
    """The CRNN's first stage: pixels [b, 100, 32, 3], width first -> one feature vector per time step.

    Seven convolutions and four max-pools shrink the height from 32 to 1 and the width from 100
    to 25 (50 with `second_pool=(1, 2)`); a last 2x2 "valid" convolution leaves 24 (49) columns,
    and each column becomes a time step: [b, 24, filters[-1]]. The pools after the second halve
    the height only, so a step still sees a narrow slice of the word. Notebook 03 asks the learner
    to write this (its check: `ocr_lab.course.checks.crnn`).
    """
    every_conv = batch_norm == "every conv"

    def conv(x, n, kernel=(3, 3), padding="same", bn=False):
        x = layers.Conv2D(n, kernel, activation="relu", padding=padding, kernel_initializer="he_normal")(x)
        return layers.BatchNormalization()(x) if bn or every_conv else x

    f = filters
    x = layers.Rescaling(1.0 / 255, name="rescale")(image_input)           # [b, 100, 32, 3], width first
    x = conv(x, f[0])
    x = layers.MaxPooling2D(pool_size=(2, 2))(x)                           # [b, 50, 16, f0]
    x = conv(x, f[1])
    x = layers.MaxPooling2D(pool_size=tuple(second_pool))(x)               # [b, 25, 8, f1] (wide: 50)
    x = conv(x, f[2])
    x = conv(x, f[3])
    x = layers.MaxPooling2D(pool_size=(1, 2))(x)                           # [b, 25, 4, f3]
    x = conv(x, f[4], bn=True)
    x = conv(x, f[5], bn=True)
    x = layers.MaxPooling2D(pool_size=(1, 2))(x)                           # [b, 25, 2, f5]
    x = conv(x, f[6], kernel=(2, 2), padding="valid")                      # [b, 24, 1, f6]
    steps = x.shape[1]
    return layers.Reshape(target_shape=(steps, f[6]), name="to_sequence")(x)  # [b, 24, f6]: one step per column


def sequence_stage(features, dense: int = 64, lstm: int = 256, unroll: bool = False):
    """The CRNN's second stage: [b, T, C] column features -> [b, T, 2 * lstm], each step in context.

    A dense layer per step, then two bidirectional LSTMs that run along the steps both ways, so
    the reading at every step sees the whole word (a column alone often shows half a letter).
    Notebook 03 asks the learner to write this (its check: `ocr_lab.course.checks.crnn`).
    """
    x = layers.Dense(dense, activation="relu")(features)
    x = layers.Bidirectional(layers.LSTM(lstm, return_sequences=True, unroll=unroll))(x)
    return layers.Bidirectional(layers.LSTM(lstm, return_sequences=True, unroll=unroll))(x)


def build_crnn_model(input_shape=(*IMG_SIZE, 3), characters: str = TARGET_CHARACTERS, config: str = "lecture",
                     max_text_len: int = MAX_TEXT_LEN):
    """Return `(model, model_pred)`: the training model (CTC: it outputs the loss) and the image -> softmax model.

    `config` is a name in `CONFIGS` or a dict of the same keys. Inputs are pixel
    values 0..255; the model rescales them itself, so callers never normalise.
    The three stages: `feature_extractor`, `sequence_stage`, and the config's prediction head (`HEADS`);
    a config with `"rectify": "tps"` puts `rectification_stage` before them.
    """
    params = model_params(config)
    if tuple(input_shape[:2]) != IMG_SIZE:
        raise ValueError(f"the CRNN's pooling is sized for (width, height) = {IMG_SIZE}, got {tuple(input_shape[:2])}")
    image_input = layers.Input(shape=input_shape, dtype="float32", name="input_image")
    pixels = rectification_stage(image_input) if params.get("rectify") == "tps" else image_input
    x = feature_extractor(pixels, params["conv_filters"], params.get("second_pool", (2, 2)),
                          params.get("batch_norm", "conv 5 and 6"))
    assert x.shape[1] == time_steps_of(params, input_shape[:2])
    x = sequence_stage(x, params["dense"], params["lstm"], unroll=bool(params.get("unroll_lstm", False)))
    y_pred, label_inputs, loss_out = HEADS[params["head"]](x, characters, max_text_len)  # the prediction stage

    model = CRNNTrainingModel(inputs=[image_input, *label_inputs], outputs=loss_out, name="crnn_train")
    model_pred = keras.Model(inputs=image_input, outputs=y_pred, name="crnn")
    return model, model_pred


def ctc_head(x, characters: str, max_text_len: int):
    """The CTC prediction stage: (per-step softmax, the label inputs of training, the per-sample loss).

    One class per character plus the blank at `BLANK_INDEX`; `decode.ctc_readings` reads its output.
    """
    # Logits, softmax and loss stay float32 under a mixed-precision policy: CTC sums log
    # probabilities over many paths, which bfloat16's 8-bit mantissa would round away.
    logits = layers.Dense(len(characters) + 1, name="logits", dtype="float32")(x)  # [b, 24, blank + characters]
    y_pred = layers.Softmax(name="output", dtype="float32")(logits)

    labels = layers.Input(shape=[max_text_len], dtype="int64", name="label")
    input_length = layers.Input(shape=[1], dtype="int64", name="input_length")
    label_length = layers.Input(shape=[1], dtype="int64", name="label_length")
    loss_out = CTCLoss(name="ctc", dtype="float32")([labels, logits, input_length, label_length])
    return y_pred, [labels, input_length, label_length], loss_out


# The prediction stage a config's "head" names -> a function of the sequence features [b, steps, 2 * lstm]
# that returns (softmax, label inputs, loss). Another head (attention, say) is one function here, its
# decoder in `decode.DECODERS`, and its labels in the data pipeline.
HEADS = {"ctc": ctc_head}


def ctc_identity_loss(y_true, y_pred):
    """The model already outputs the loss; Keras only has to average it (as in the lecture)."""
    return y_pred
