"""Recognise, fast: a course checkpoint's CRNN run by ONNX Runtime, without TensorFlow.

Used by `OCRPipeline` and `python -m ocr_lab ocr`; notebooks 03-05 teach the Keras
model (`ocr_lab.model.build_crnn_model`, loaded by `ocr_lab.checkpoint.load_recognizer`).
Reading one photo takes a fraction of a second, but importing TensorFlow to build
the Keras model took most of the command's start-up time and memory. So:

    1. `read_checkpoint` reads the checkpoint with h5py: the config saved with the
       weights (charset, input size, layer widths), the checksum checked as
       `load_recognizer` checks it, and the weight arrays in the order Keras saved them.
    2. `crnn_graph` writes `build_crnn_model`'s prediction model as an ONNX graph
       with those weights: convolutions, batch norm, max-pools, the dense layer, two
       bidirectional LSTMs (ONNX's `LSTM` op), the logits and the softmax.
       Its softmax equals the Keras model's within 1e-5 (tests/test_recognize_onnx.py).

The graph is rebuilt in memory in a few milliseconds; nothing is written to disk.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ocr_lab.labels import IMG_SIZE, TARGET_CHARACTERS
from ocr_lab.rectify import RECTIFIER_PREFIX, TPS_POINTS, TPS_SCALE, tps_sampling_matrix

KERAS_BN_EPSILON = 1e-3  # tf-keras BatchNormalization's default, which build_crnn_model keeps


# ----------------------------------------------------------------------------- the checkpoint

@dataclass
class CheckpointWeights:
    """The weights of a CRNN checkpoint, by kind of layer, in the order of the layers in the model."""

    convs: list = field(default_factory=list)        # [(kernel [kh, kw, in, out], bias [out])]
    batch_norms: list = field(default_factory=list)  # [(gamma, beta, moving mean, moving variance)]
    denses: list = field(default_factory=list)       # [(kernel [in, out], bias [out])]: the dense layer, then the logits
    lstms: list = field(default_factory=list)        # [((kernel, recurrent kernel, bias) forward, (...) backward)]
    rectifier: list = field(default_factory=list)    # the rectification stage's convs and denses, if it has one


def read_checkpoint(path) -> tuple[dict, CheckpointWeights]:
    """(the config, the weights) of a checkpoint saved by `ocr_lab.checkpoint.save_recognizer`.

    Keras' HDF5 weights file lists its layers in `layer_names`, each with the names of
    its arrays in `weight_names`, in the order the model was built; `load_weights`
    matches them to the model by that order, and so do we.
    """
    from ocr_lab.checkpoint import read_checkpoint_config

    cfg = read_checkpoint_config(path)  # a clear error for a missing, corrupt or foreign file; checks the checksum
    try:
        return cfg, _read_weights(path)
    except (OSError, RuntimeError, KeyError) as err:  # h5py's errors for a damaged file
        from ocr_lab.messages import message

        raise ValueError(message("checkpoint.damaged", path=str(path), error=" ".join(str(err).split()))) from None


def _read_weights(path) -> CheckpointWeights:
    import h5py

    weights = CheckpointWeights()
    with h5py.File(path, "r") as f:
        for layer in f.attrs["layer_names"]:
            group = f[_text(layer)]
            names = [_text(n) for n in group.attrs["weight_names"]]  # "conv2d/kernel:0", ...
            arrays = [group[n][()] for n in names]
            by_name = {n.split("/")[-1].split(":")[0]: a for n, a in zip(names, arrays)}
            if not arrays:
                continue  # input, rescaling, pooling, reshape, softmax: no weights
            if _text(layer).startswith(RECTIFIER_PREFIX):  # `model.rectification_stage`'s layers
                weights.rectifier.append((by_name["kernel"], by_name["bias"]))
            elif "gamma" in by_name:
                weights.batch_norms.append(tuple(by_name[k] for k in ("gamma", "beta", "moving_mean", "moving_variance")))
            elif len(arrays) == 6:  # a Bidirectional LSTM: forward kernel, recurrent kernel, bias, then backward's
                weights.lstms.append((tuple(arrays[:3]), tuple(arrays[3:])))
            elif by_name["kernel"].ndim == 4:
                weights.convs.append((by_name["kernel"], by_name["bias"]))
            else:
                weights.denses.append((by_name["kernel"], by_name["bias"]))
    return weights


def _text(name) -> str:
    return name.decode() if isinstance(name, bytes) else str(name)


# ----------------------------------------------------------------------------- the graph

def crnn_graph(params: dict, weights: CheckpointWeights, characters: str = TARGET_CHARACTERS, img_size=IMG_SIZE):
    """`build_crnn_model`'s prediction model (`model_pred`) for the config `params`, as an ONNX model.

    In: "image", float32 [N, width, height, 3], pixels 0..255, width first (what
    `pipeline._batch` makes). Out: "softmax", float32 [N, time steps, blank + characters],
    what the Keras model returns. ONNX convolutions are channels-first, so the image is
    transposed once at the start; the LSTMs are time-major, so the sequence is too.
    """
    from onnx import TensorProto, helper, numpy_helper

    f = params["conv_filters"]
    bn_all = params.get("batch_norm") == "every conv"
    with_bn = [bn_all or i in (4, 5) for i in range(7)]  # build_crnn_model: after every conv, or after conv 5 and 6
    expected = {"convs": 7, "batch_norms": sum(with_bn), "denses": 2, "lstms": 2}
    found = {kind: len(getattr(weights, kind)) for kind in expected}
    if found != expected:
        raise ValueError(f"the checkpoint's layers {found} do not fit its config ({expected} expected)")
    classes = len(characters) + 1
    if weights.denses[1][0].shape[-1] != classes:
        raise ValueError(f"the output layer has {weights.denses[1][0].shape[-1]} classes; the charset "
                         f"{characters!r} needs {classes} (the blank and one per character)")
    nodes, initializers = [], []

    def node(op, inputs, output, **attrs):
        nodes.append(helper.make_node(op, inputs, [output], name=output, **attrs))
        return output

    def tensor(name, array, dtype=np.float32):
        initializers.append(numpy_helper.from_array(np.ascontiguousarray(array, dtype), name))
        return name

    convs, batch_norms = iter(weights.convs), iter(weights.batch_norms)

    def conv(x, n, same=True):  # Keras Conv2D(activation="relu"), then BatchNormalization if the config has it
        kernel, bias = next(convs)                                      # [kh, kw, in, out]
        if kernel.shape[-1] != f[n]:
            raise ValueError(f"conv {n + 1} of the checkpoint has {kernel.shape[-1]} filters; its config says {f[n]}")
        kh, kw = kernel.shape[:2]
        pads = [kh // 2, kw // 2, (kh - 1) // 2, (kw - 1) // 2] if same else [0, 0, 0, 0]
        x = node("Conv", [x, tensor(f"conv{n}.weight", kernel.transpose(3, 2, 0, 1)), tensor(f"conv{n}.bias", bias)],
                 f"conv{n}", kernel_shape=[kh, kw], pads=pads)
        x = node("Relu", [x], f"conv{n}.relu")
        if not with_bn[n]:
            return x
        # Batch norm comes after the ReLU here, so it cannot be folded into the conv's weights;
        # it is one scale and one shift per channel.
        gamma, beta, mean, var = next(batch_norms)
        scale = gamma / np.sqrt(var + KERAS_BN_EPSILON)
        x = node("Mul", [x, tensor(f"bn{n}.scale", scale.reshape(-1, 1, 1))], f"bn{n}.scaled")
        return node("Add", [x, tensor(f"bn{n}.shift", (beta - mean * scale).reshape(-1, 1, 1))], f"bn{n}")

    def max_pool(x, size, name):
        return node("MaxPool", [x], name, kernel_shape=list(size), strides=list(size))

    def dense(x, name, activation=None):
        kernel, bias = weights.denses[0 if name == "dense" else 1]
        x = node("Add", [node("MatMul", [x, tensor(f"{name}.kernel", kernel)], f"{name}.matmul"),
                         tensor(f"{name}.bias", bias)], name)
        return node("Relu", [x], f"{name}.relu") if activation == "relu" else x

    def bilstm(x, n):  # Keras Bidirectional(LSTM(return_sequences=True)), merge_mode "concat"
        directions = weights.lstms[n]
        w, r, b = zip(*(_onnx_lstm_weights(*d) for d in directions))
        hidden = r[0].shape[-1]
        y = node("LSTM", [x, tensor(f"lstm{n}.W", np.stack(w)), tensor(f"lstm{n}.R", np.stack(r)),
                          tensor(f"lstm{n}.B", np.stack(b))], f"lstm{n}", direction="bidirectional", hidden_size=hidden)
        y = node("Transpose", [y], f"lstm{n}.by_step", perm=[0, 2, 1, 3])  # [t, 2, n, h] -> [t, n, 2, h]
        return node("Reshape", [y, tensor(f"lstm{n}.shape", [0, 0, 2 * hidden], np.int64)], f"lstm{n}.concat")

    def rectify(image):  # `model.rectification_stage`: localisation network, thin-plate spline, sampler
        if len(weights.rectifier) != 6:
            raise ValueError(f"the rectification stage has {len(weights.rectifier)} layers with weights, not 6")
        y = image
        for i, (kernel, bias) in enumerate(weights.rectifier[:4]):
            y = node("Conv", [y, tensor(f"rectify{i}.weight", kernel.transpose(3, 2, 0, 1)),
                              tensor(f"rectify{i}.bias", bias)], f"rectify{i}", kernel_shape=[3, 3], pads=[1, 1, 1, 1])
            y = max_pool(node("Relu", [y], f"rectify{i}.relu"), (2, 2), f"rectify{i}.pool")  # [n, 64, 6, 2] after four
        y = node("Transpose", [y], "rectify.nhwc", perm=[0, 2, 3, 1])  # Keras flattens width, height, channel
        y = node("Flatten", [y], "rectify.flat", axis=1)
        (k1, b1), (k2, b2) = weights.rectifier[4:]
        y = node("Relu", [node("Add", [node("MatMul", [y, tensor("rectify.dense.kernel", k1)], "rectify.dense.matmul"),
                                       tensor("rectify.dense.bias", b1)], "rectify.dense.add")], "rectify.dense")
        # ONNX's GridSample reads the image's last axis (our height) with a point's first number, so
        # each point's (x, y) is written (y, x): the last layer's outputs are swapped pairwise.
        swap = np.arange(2 * TPS_POINTS).reshape(-1, 2)[:, ::-1].ravel()
        k2, b2 = k2[:, swap] * TPS_SCALE, b2[swap] * TPS_SCALE  # the Rescaling layer, folded in
        y = node("Add", [node("MatMul", [y, tensor("rectify.points.kernel", k2)], "rectify.points.matmul"),
                         tensor("rectify.points.bias", b2)], "rectify.points")
        y = node("Reshape", [y, tensor("rectify.points.shape", [-1, TPS_POINTS, 2], np.int64)], "rectify.fiducials")
        grid = node("MatMul", [tensor("rectify.spline", tps_sampling_matrix(img_size, TPS_POINTS)), y], "rectify.where")
        grid = node("Reshape", [grid, tensor("rectify.grid.shape", [-1, *img_size, 2], np.int64)], "rectify.grid")
        return node("GridSample", [image, grid], "rectified", mode="bilinear", padding_mode="border", align_corners=1)

    x = node("Mul", ["image", tensor("rescale.factor", np.float32(1 / 255))], "rescale")
    x = node("Transpose", [x], "image.nchw", perm=[0, 3, 1, 2])        # [n, 100, 32, 3] -> [n, 3, 100, 32]
    if params.get("rectify") == "tps":
        x = rectify(x)                                                  # the same, the word straightened
    x = max_pool(conv(x, 0), (2, 2), "pool1")                           # [n, f0, 50, 16]
    x = max_pool(conv(x, 1), params.get("second_pool", (2, 2)), "pool2")  # [n, f1, 25, 8] (wide: 50)
    x = max_pool(conv(conv(x, 2), 3), (1, 2), "pool3")                  # [n, f3, 25, 4]
    x = max_pool(conv(conv(x, 4), 5), (1, 2), "pool4")                  # [n, f5, 25, 2]
    x = conv(x, 6, same=False)                                          # [n, f6, 24, 1]
    x = node("Reshape", [x, tensor("sequence.shape", [0, f[6], -1], np.int64)], "sequence")  # [n, f6, 24]
    x = node("Transpose", [x], "sequence.time_major", perm=[2, 0, 1])  # [24, n, f6]: one step per column
    x = dense(x, "dense", activation="relu")
    x = bilstm(bilstm(x, 0), 1)                                         # [24, n, 2 * lstm]
    x = dense(x, "logits")                                              # [24, n, blank + characters]
    x = node("Transpose", [x], "logits.batch_major", perm=[1, 0, 2])
    node("Softmax", [x], "softmax", axis=-1)

    graph = helper.make_graph(
        nodes, "crnn",
        inputs=[helper.make_tensor_value_info("image", TensorProto.FLOAT, ["batch", *img_size, 3])],
        outputs=[helper.make_tensor_value_info("softmax", TensorProto.FLOAT, ["batch", "steps", classes])],
        initializer=initializers)
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], producer_name="ocr_lab")


def _onnx_lstm_weights(kernel, recurrent_kernel, bias) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """One Keras LSTM's weights as ONNX's `LSTM` wants them: (W, R, B) of one direction.

    Keras keeps each gate's weights side by side in the order input, forget, cell,
    output, as [inputs, 4 * hidden]; ONNX wants input, output, forget, cell, as
    [4 * hidden, inputs]. Keras has one bias; ONNX adds two (input and recurrent), so
    the recurrent one is zero.
    """
    def reorder(a):  # gate blocks along the last axis: i, f, c, o -> i, o, f, c
        i, f, c, o = np.split(a, 4, axis=-1)
        return np.concatenate([i, o, f, c], axis=-1)

    return reorder(kernel).T, reorder(recurrent_kernel).T, np.concatenate([reorder(bias), np.zeros_like(bias)])


# ----------------------------------------------------------------------------- the recognizer

@dataclass
class OnnxRecognizer:
    """A checkpoint's CRNN as an ONNX Runtime session, with what `ocr_lab.checkpoint.Recognizer` carries.

    `predict` takes and returns what the Keras `Recognizer.predict` does, so
    `pipeline.recognize` uses either.
    """

    session: object
    characters: str = TARGET_CHARACTERS
    img_size: tuple = IMG_SIZE
    config: object = "small"
    info: dict = field(default_factory=dict)
    time_steps: int | None = None  # read from the graph's output by `load_onnx_recognizer`: 24, or 49 for "wide"
    head: str = "ctc"  # the prediction stage its config names (`decode.decode_readings` reads its output)

    def predict(self, images: np.ndarray, batch_size: int = 256) -> np.ndarray:
        """Softmax [N, time steps, classes] for a batch of width-first images, pixels 0..255."""
        images = np.asarray(images, np.float32)
        if len(images) == 0:
            return np.zeros([0, self.time_steps, len(self.characters) + 1], np.float32)
        return np.concatenate([self.session.run(["softmax"], {"image": images[i: i + batch_size]})[0]
                               for i in range(0, len(images), batch_size)])


def load_onnx_recognizer(path=None) -> OnnxRecognizer:
    """The CRNN of a checkpoint (default: `ocr_lab.checkpoint.OCR_CHECKPOINT`) as an ONNX Runtime session.

    Built once per process and checkpoint. Any config `build_crnn_model` builds is
    supported ("lecture", "small", "wide", or a dict of their keys), with any charset: the
    characters, and so the number of classes, are read from the checkpoint.
    """
    from ocr_lab.checkpoint import OCR_CHECKPOINT

    return _build_onnx_recognizer(Path(path or OCR_CHECKPOINT).resolve())


@functools.lru_cache(maxsize=4)
def _build_onnx_recognizer(path: Path) -> OnnxRecognizer:
    import onnxruntime

    from ocr_lab.checkpoint import head_of

    cfg, weights = read_checkpoint(path)
    if head_of(cfg) != "ctc":
        raise ValueError(f"{str(path)!r} has a {head_of(cfg)!r} head; the ONNX graph is built for CTC models only")
    params = cfg.get("model_params")
    if not params:  # older checkpoints name their config only; its layer widths are in ocr_lab.model (which imports TensorFlow)
        from ocr_lab.model import model_params

        params = model_params(cfg["config"])
    img_size = tuple(cfg["img_size"])
    try:
        model = crnn_graph(params, weights, cfg["characters"], img_size)
    except (ValueError, KeyError, IndexError) as err:
        raise ValueError(f"the weights in {str(path)!r} do not fit the model its config describes: {err}") from None
    options = onnxruntime.SessionOptions()
    options.log_severity_level = 3
    session = onnxruntime.InferenceSession(model.SerializeToString(), options, providers=["CPUExecutionProvider"])
    time_steps = session.run(["softmax"], {"image": np.zeros([1, *img_size, 3], np.float32)})[0].shape[1]
    return OnnxRecognizer(session, cfg["characters"], img_size, cfg["config"], cfg.get("info", {}), time_steps,
                          head_of(cfg))

