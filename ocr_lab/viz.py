"""Pictures: a data set before training on it, and the lecture's diagrams.

Taught in notebook 01. `show_samples` and `plot_summary` (of `ocr_lab.data.dataset_summary`)
work on any clovaai-layout LMDB (our synthetic set or the real MJSynth) and show records
exactly as training will see them: labels go through `ocr_lab.data.clean_label`, the skip
counts come from `ocr_lab.data.LmdbRecords`. `draw_ocr_system` and `draw_str_framework` draw the
lecture's opening figures. Labels are in the learner's language (`ocr_lab.messages`,
which also gives the Korean edition's plots a font with Hangul).
"""
from __future__ import annotations

import os

import numpy as np

# dataset_summary is imported from here by notebook 01, beside the pictures of the same data.
from ocr_lab.data import DatasetSummary, LmdbRecords, dataset_summary, decode_image, image_bytes, raw_label, skip_reason  # noqa: F401
from ocr_lab.messages import language, message


def show_samples(lmdb_path: str | os.PathLike, n: int = 32, cols: int = 4, seed: int | None = 0,
                 indices: list[int] | None = None, records: LmdbRecords | None = None):
    """A grid of `n` random records with their labels, at their own aspect ratio.

    Each title is the stored label; when the reader changes it, the title shows what
    training sees (`'Hello' -> HELLO`), or why the record is skipped. Returns the
    matplotlib figure (end the notebook cell with `;` to show it once).
    """
    import matplotlib.pyplot as plt

    records = records or LmdbRecords(lmdb_path)
    if indices is None:
        rng = np.random.default_rng(seed)
        count = min(n, records.num_samples)
        indices = sorted(int(i) + 1 for i in rng.choice(records.num_samples, count, replace=False))
    if not indices:
        raise ValueError("no records to show: n must be at least 1")
    rows = -(-len(indices) // cols)
    fig, axes = plt.subplots(rows, cols, figsize=(cols * 2.6, rows * 0.95), squeeze=False)
    for ax in axes.flat:
        ax.axis("off")
    images = {index: decode_image(image_bytes(records, index)) for index in indices}
    # One scale for every panel, so a short word looks short, as the model sees it.
    scale = max((img.width / img.height for img in images.values() if img is not None), default=1.0)
    for ax, index in zip(axes.flat, indices):
        raw = raw_label(records, index)
        img = images[index]
        reason = skip_reason(records, index) if img is not None else "unreadable image"
        if img is not None:
            ax.imshow(np.asarray(img), extent=(0, img.width / img.height, 1, 0))
            ax.set_xlim(0, min(scale, 8.0))
            ax.set_ylim(1, 0)
        if reason:
            title = message("viz.skipped", label=repr(raw), reason=message(f"skip.{reason}"))
            colour = "tab:red"
        elif records.labels[index] != raw:
            title, colour = f"{raw!r} -> {records.labels[index]}", "black"
        else:
            title, colour = repr(raw), "black"
        ax.set_title(title, fontsize=8, color=colour)
    fig.tight_layout()
    return fig


def plot_summary(summary: DatasetSummary):
    """Histograms of heights, widths, label lengths and characters. Returns the figure."""
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 4, figsize=(16, 3))
    panels = [
        (summary.heights, message("viz.height"), 1),
        (summary.widths, message("viz.width", bin=summary.width_bin), summary.width_bin),
        (summary.label_lengths, message("viz.label_length"), 1),
    ]
    for ax, (counter, title, width) in zip(axes, panels):
        keys = sorted(counter)
        ax.bar(keys, [counter[k] for k in keys], width=0.8 * width, align="edge" if width > 1 else "center")
        ax.set_title(title)
    chars = sorted(summary.chars)
    axes[3].bar(chars, [summary.chars[c] for c in chars])
    axes[3].set_title(message("viz.char_frequency"))
    axes[3].tick_params(axis="x", labelsize=6)
    fig.tight_layout()
    return fig


def save_sample_grid(lmdb_path: str | os.PathLike, out_path: str | os.PathLike, n: int = 32, seed: int = 0) -> None:
    """Write `show_samples` as a PNG (docs/synth_samples.png is made this way)."""
    import matplotlib.pyplot as plt

    fig = show_samples(lmdb_path, n=n, seed=seed)
    fig.savefig(out_path, dpi=90)
    plt.close(fig)


# ----------------------------------------------------------------------------- the lecture's opening figures

def _box(ax, xy, size, text, colour, fontsize=10, **kw):
    from matplotlib.patches import FancyBboxPatch

    ax.add_patch(FancyBboxPatch(xy, *size, boxstyle="round,pad=0.02,rounding_size=0.08", facecolor=colour,
                                edgecolor="0.3", lw=1.2, **kw))
    ax.text(xy[0] + size[0] / 2, xy[1] + size[1] / 2, text, ha="center", va="center", fontsize=fontsize)


def _arrow(ax, start, end):
    ax.annotate("", xy=end, xytext=start, arrowprops=dict(arrowstyle="-|>", color="0.3", lw=1.5))


def draw_ocr_system(ax=None):
    """The lecture's first figure, redrawn: a photo -> text detection -> word crops -> text recognition -> text.

    Returns the matplotlib axes.
    """
    import matplotlib.pyplot as plt
    from matplotlib.patches import Rectangle

    if ax is None:
        _, ax = plt.subplots(figsize=(13, 3.2))
    ax.set(xlim=(0, 13), ylim=(0, 3.2), aspect="equal")
    ax.axis("off")
    # the photo: a sign with two words
    ax.add_patch(Rectangle((0.2, 0.5), 2.2, 1.9, facecolor="#dfe8ef", edgecolor="0.3"))
    for (x, y, word) in [(0.45, 1.6, "OPEN"), (0.75, 0.85, "24H")]:
        ax.text(x, y, word, fontsize=15, color="#2b3a55", va="bottom")
        ax.add_patch(Rectangle((x - 0.08, y - 0.08), 0.28 * len(word) + 0.35, 0.62, fill=False, edgecolor="red", lw=1.5))
    ax.text(1.3, 2.6, message("diagram.photo"), ha="center", fontsize=10)
    _arrow(ax, (2.5, 1.45), (3.0, 1.45))
    _box(ax, (3.05, 0.8), (2.3, 1.3), message("diagram.detection"), "#f6d7a7")
    _arrow(ax, (5.4, 1.45), (5.9, 1.45))
    for i, word in enumerate(["OPEN", "24H"]):  # the crops
        ax.add_patch(Rectangle((6.0, 1.6 - 0.9 * i), 1.5, 0.7, facecolor="#dfe8ef", edgecolor="red", lw=1.2))
        ax.text(6.75, 1.95 - 0.9 * i, word, ha="center", va="center", fontsize=13, color="#2b3a55")
    ax.text(6.75, 2.6, message("diagram.crops"), ha="center", fontsize=10)
    _arrow(ax, (7.6, 1.45), (8.1, 1.45))
    _box(ax, (8.15, 0.8), (2.4, 1.3), message("diagram.recognition"), "#b9e0c6")
    _arrow(ax, (10.6, 1.45), (11.1, 1.45))
    ax.text(11.2, 1.45, '"OPEN"\n"24H"', va="center", fontsize=13, family="monospace")
    ax.text(11.6, 2.6, message("diagram.text"), ha="center", fontsize=10)
    ax.set_title(message("diagram.ocr_title"), fontsize=12)
    return ax


def draw_str_framework(ax=None):
    """The four-stage framework of scene-text recognition (Baek et al. 2019, clovaai's benchmark).

    One column per stage; the first row is the CRNN this course builds, the second the
    modules that came after it (TPS, ResNet, attention). Returns the matplotlib axes.
    """
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(13, 3.6))
    ax.set(xlim=(0, 13), ylim=(0, 3.6))
    ax.axis("off")
    stages = ["diagram.stage_transformation", "diagram.stage_features", "diagram.stage_sequence",
              "diagram.stage_prediction"]
    rows = [("diagram.crnn_row", ["diagram.none", "diagram.vgg", "diagram.bilstm", "diagram.ctc"], "#b9e0c6"),
            ("diagram.later_row", ["diagram.tps", "diagram.resnet", "diagram.bilstm", "diagram.attention"], "#f6d7a7")]
    x0, width, gap = 2.4, 2.3, 0.35
    for j, stage in enumerate(stages):
        ax.text(x0 + j * (width + gap) + width / 2, 3.15, message(stage), ha="center", va="center", fontsize=10)
    for i, (label, cells, colour) in enumerate(rows):
        y = 1.7 - 1.25 * i
        ax.text(0.1, y + 0.4, message(label), va="center", fontsize=10)
        for j, cell in enumerate(cells):
            x = x0 + j * (width + gap)
            _box(ax, (x, y), (width, 0.8), message(cell), colour)
            if j:
                _arrow(ax, (x - gap + 0.02, y + 0.4), (x - 0.02, y + 0.4))
    ax.set_title(message("diagram.stages_title"), fontsize=12)
    return ax
