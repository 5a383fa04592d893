"""Evaluate: how well does a checkpoint read a set of word crops, and where does it fail?

Taught in notebook 05. Works on a clovaai-layout LMDB or on a folder of images with
a `labels.tsv` (`file<TAB>text` per line), so anyone can score their own crops.
Word accuracy is case-insensitive, as the lecture's charset is upper-case only.
"""
from __future__ import annotations

import argparse
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ocr_lab.data import LmdbRecords, clean_label, decode_image, preprocess_image, read_gt_file
from ocr_lab.decode import decode_readings
from ocr_lab.images import is_tall, quarter_turns
from ocr_lab.labels import MAX_TEXT_LEN, TIME_STEPS
from ocr_lab.metrics import accuracy_by_length, character_confusions, character_error_rate, word_accuracy


@dataclass
class EvalData:
    images: np.ndarray  # (N, width, height, 3) uint8, width first, black-padded
    labels: list[str]  # cleaned (upper-case, in-charset) labels
    names: list[str]  # where each crop came from (record index or file name)
    skipped: dict = field(default_factory=dict)
    # index -> the crop turned a quarter each way, (2, width, height, 3), for the tall crops
    # of a folder (a sideways word): read as `ocr_lab.pipeline.recognize` reads them
    turned: dict = field(default_factory=dict)


def _pad(img: np.ndarray, img_size) -> np.ndarray:
    out = np.zeros([img_size[0], img_size[1], 3], np.uint8)
    out[: img.shape[0]] = img
    return out


def load_eval_data(data, characters: str, img_size, limit: int | None = None,
                   time_steps: int = TIME_STEPS) -> EvalData:
    """Read an LMDB or a folder with labels.tsv into padded arrays, skipping (and counting) what cannot be scored.

    `limit` keeps the first `limit` crops that can be scored, in file order, for both kinds of data;
    None keeps them all.
    """
    if limit is not None and limit < 1:
        raise ValueError(f"limit must be a positive number of crops (or None for all of them), got {limit}")
    data = Path(data)
    if not data.exists():
        raise FileNotFoundError(f"no evaluation data at {str(data)!r}: give an LMDB folder or a folder with labels.tsv")
    images, labels, names, turned = [], [], [], {}
    if (data / "data.mdb").exists():  # crops already at the model's height, upright (MJSynth's layout)
        records = LmdbRecords(data, characters, time_steps=time_steps, img_size=img_size)
        for index in records.index_list:
            if limit is not None and len(images) >= limit:
                break
            img, label = records.read(index)
            if img is None:
                continue
            images.append(_pad(img, img_size))
            labels.append(label)
            names.append(f"record {index}")
        skipped = dict(records.skipped)
    else:
        tsv = data / "labels.tsv"
        if not tsv.exists():
            raise FileNotFoundError(f"{str(data)!r} is neither an LMDB (no data.mdb) nor a folder with labels.tsv")
        skipped = {}
        for name, raw_label in read_gt_file(tsv):
            if limit is not None and len(images) >= limit:
                break
            label, reason = clean_label(raw_label, characters, MAX_TEXT_LEN, time_steps)
            path = data / name
            img = decode_image(path.read_bytes()) if path.is_file() else None
            if img is None:
                reason = reason or "unreadable image"
            if reason:
                skipped[reason] = skipped.get(reason, 0) + 1
                continue
            if is_tall(img):
                turned[len(images)] = np.stack([_pad(preprocess_image(t, img_size), img_size) for t in quarter_turns(img)])
            images.append(_pad(preprocess_image(img, img_size), img_size))
            labels.append(label)
            names.append(name)
    if not images:
        raise ValueError(f"nothing to evaluate in {str(data)!r}: every record was skipped {skipped}; "
                         f"are the labels in the charset {characters!r}?")
    return EvalData(np.stack(images), labels, names, skipped, turned)


def read_eval_data(predict, ev: EvalData, characters: str, beam_width: int = 1, lexicon=None,
                   head: str = "ctc") -> list[str]:
    """The text of every crop of `ev`, in one `predict` call (images -> softmax) and one decode.

    A tall crop is also read turned a quarter each way and the most confident reading is
    kept, as the pipeline does (`ocr_lab.pipeline.recognize`), so a sideways street sign
    scores the same here, in training's `--eval-data` and in the benchmarks. A `lexicon`
    (`ocr_lab.decode.Lexicon`) checks each reading against a dictionary, as `ocr` does.
    """
    tall = sorted(ev.turned)
    batch = np.concatenate([ev.images, *(ev.turned[i] for i in tall)]) if tall else ev.images
    return [text for text, _ in decode_readings(predict(batch), characters, beam_width, tall, lexicon, head)]


@dataclass
class EvalReport:
    word_accuracy: float
    cer: float
    count: int
    crops_per_second: float
    by_length: dict
    confusions: list
    skipped: dict
    predictions: list[str]
    data: EvalData

    def worst(self, n: int = 16) -> list[int]:
        """Indices of the n worst predictions (largest edit distance relative to the label)."""
        import editdistance

        errors = [(editdistance.eval(p, t) / max(len(t), 1), i)
                  for i, (p, t) in enumerate(zip(self.predictions, self.data.labels)) if p != t]
        return [i for _, i in sorted(errors, reverse=True)[:n]]

    def table(self) -> str:
        lines = [
            f"crops scored        {self.count}",
            f"word accuracy       {self.word_accuracy:.4f}",
            f"character err. rate {self.cer:.4f}",
            f"throughput          {self.crops_per_second:.0f} crops/s (one batched predict + decode)",
            f"skipped             {self.skipped or 'none'}",
            "accuracy by length  " + "  ".join(f"{n}:{acc:.2f}({c})" for n, (acc, c) in self.by_length.items()),
            "top confusions      " + ("  ".join(f"{a or '?'}->{b}:{c}" for (a, b), c in self.confusions) or "none"),
        ]
        return "\n".join(lines)


def evaluate(recognizer, data, limit: int | None = None, beam_width: int = 1, batch_size: int = 256,
             lexicon=None) -> EvalReport:
    """Score a recognizer (see `ocr_lab.checkpoint.load_recognizer`) on an LMDB or a labels.tsv folder.

    Without a `lexicon` this scores the network's own readings; with one (`ocr_lab.decode.english()`),
    the readings `ocr` gives, each checked against the dictionary.
    """
    ev = load_eval_data(data, recognizer.characters, recognizer.img_size, limit,
                        getattr(recognizer, "time_steps", TIME_STEPS))
    recognizer.predict(ev.images[:1])  # build the predict function first so the timing is of the work only
    start = time.perf_counter()
    preds = read_eval_data(lambda x: recognizer.predict(x, batch_size=batch_size), ev, recognizer.characters, beam_width,
                           lexicon, getattr(recognizer, "head", "ctc"))
    seconds = time.perf_counter() - start
    return EvalReport(
        word_accuracy=word_accuracy(preds, ev.labels),
        cer=character_error_rate(preds, ev.labels),
        count=len(preds),
        crops_per_second=len(preds) / seconds,
        by_length=accuracy_by_length(preds, ev.labels),
        confusions=character_confusions(preds, ev.labels).most_common(8),
        skipped=ev.skipped,
        predictions=preds,
        data=ev,
    )


def show_worst(report: EvalReport, n: int = 16, cols: int = 4):
    """A grid of the worst errors: each crop with its label and what the model read."""
    import matplotlib.pyplot as plt

    worst = report.worst(n)
    rows = max(1, -(-len(worst) // cols))
    fig, axes = plt.subplots(rows, cols, figsize=(3 * cols, 1.2 * rows), squeeze=False)
    for ax in axes.flat:
        ax.axis("off")
    for ax, i in zip(axes.flat, worst):
        ax.imshow(report.data.images[i].transpose(1, 0, 2))
        ax.set_title(f"{report.data.labels[i]} -> {report.predictions[i] or '(empty)'}", fontsize=9)
    fig.tight_layout()
    return fig


def add_cli(subparsers):
    p = subparsers.add_parser("evaluate", help="score a checkpoint on an LMDB or a folder with labels.tsv")
    p.add_argument("--checkpoint", help="checkpoint file (default: the shipped checkpoints/crnn_wide.h5)")
    p.add_argument("--data", required=True, help="LMDB folder, or folder of images with labels.tsv (file<TAB>text)")
    p.add_argument("--limit", type=positive_int, help="score the first N crops that can be scored (default: all)")
    p.add_argument("--beam", type=int, default=1, help="beam width (1 = greedy)")
    p.add_argument("--lexicon", default="none", metavar="english|none|FILE",
                   help="check each reading against a word list, as `ocr` does with 'english' (default: none, the "
                        "network's own readings)")
    p.add_argument("--worst", help="write a PNG grid of the worst errors here")
    p.set_defaults(func=_run_cli)


def positive_int(text: str) -> int:
    """argparse type: an integer of at least 1."""
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def _run_cli(args) -> int:
    from ocr_lab.decode import lexicon_from
    from ocr_lab.files import atomic_write, is_inside
    from ocr_lab.checkpoint import DEFAULT_CHECKPOINT, load_recognizer

    checkpoint = Path(args.checkpoint or DEFAULT_CHECKPOINT)
    lexicon_from(args.lexicon)  # a missing word-list file fails before the model loads
    if args.worst and (is_inside(args.worst, args.data) or is_inside(args.worst, checkpoint)):
        raise ValueError(f"--worst {args.worst!r} would write into the data or over the checkpoint; "
                         "choose a path outside both")
    recognizer = load_recognizer(checkpoint)
    lexicon = lexicon_from(args.lexicon, recognizer.characters)
    report = evaluate(recognizer, args.data, args.limit, args.beam, lexicon=lexicon)
    print(report.table())
    if args.worst:
        fig = show_worst(report)
        Path(args.worst).parent.mkdir(parents=True, exist_ok=True)
        atomic_write(args.worst, lambda tmp: fig.savefig(tmp, dpi=100, format=Path(args.worst).suffix[1:] or "png"))
        print(f"worst errors: {args.worst}")
    return 0
