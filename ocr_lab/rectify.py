"""The rectification stage's spline, in NumPy: shared by the Keras model (`model.rectification_stage`)
and the ONNX graph (`recognize_onnx.crnn_graph`), which must not import TensorFlow."""
from __future__ import annotations

import numpy as np

from ocr_lab.labels import IMG_SIZE

RECTIFIER_PREFIX = "rectify_"  # the names of the stage's layers start with it, in the model and its checkpoints


# The rectification stage: ASTER's (Shi et al. 2018) thin-plate spline, the "transformation" stage of
# the four-stage framework (Baek et al. 2019) that notebook 01 draws. A small network looks at the crop
# and says where TPS_POINTS fiducial points lie, half along the top of the word and half along the
# bottom; the spline then resamples the crop so those points land on two straight lines. A curved or
# slanted word comes out level, and the CRNN reads it as a straight one.
TPS_POINTS = 10
# The last layer's outputs are multiplied by TPS_SCALE: with Adam every weight moves about as far per
# step, whatever its gradient, so this layer moves the points TPS_SCALE times as fast as it would. A
# stage added to a trained CRNN has to learn within a few thousand steps, not ASTER's million.
TPS_SCALE = 10.0


def tps_target_points(n: int = TPS_POINTS) -> np.ndarray:
    """Where the fiducial points go in the output, as (x, y) in -1..1: n/2 along the top edge, n/2 along
    the bottom. They are also where the localisation network's points start (the identity)."""
    x = np.linspace(-1.0, 1.0, n // 2)
    return np.concatenate([np.stack([x, -np.ones_like(x)], 1), np.stack([x, np.ones_like(x)], 1)]).astype(np.float64)


def tps_sampling_matrix(img_size=IMG_SIZE, n: int = TPS_POINTS) -> np.ndarray:
    """The constant [width * height, n] matrix A of the spline: A @ points gives, for every output pixel
    (width first), the (x, y) in -1..1 of the input where it is read.

    A thin-plate spline through the n target points C' maps an output point p to
    [1, p, U(|p - C'_i|)] @ T, with U(r) = r^2 log r^2 and T solved from the points the network
    predicts (T = L^-1 [C; 0], L the spline's system on C'). Only C changes from crop to crop, so
    everything else folds into A once: the spline costs one matrix product per crop.
    """
    target = tps_target_points(n)

    def radial(points):  # U(|p - C'_i|) for every point p and target point i
        r2 = ((points[:, None, :] - target[None, :, :]) ** 2).sum(-1)
        return np.where(r2 > 0, r2 * np.log(np.maximum(r2, 1e-12)), 0.0)

    affine = lambda points: np.concatenate([np.ones((len(points), 1)), points], 1)  # noqa: E731
    system = np.zeros((n + 3, n + 3))
    system[:n, :n], system[:n, n:], system[n:, :n] = radial(target), affine(target), affine(target).T
    width, height = img_size
    gx, gy = np.meshgrid(np.linspace(-1, 1, width), np.linspace(-1, 1, height), indexing="ij")  # width first
    grid = np.stack([gx.ravel(), gy.ravel()], 1)
    return (np.concatenate([radial(grid), affine(grid)], 1) @ np.linalg.inv(system)[:, :n]).astype(np.float32)
