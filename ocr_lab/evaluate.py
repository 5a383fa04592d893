"""Evaluate: how well does a checkpoint read a set of word crops, and where does it fail?

Taught in notebook 05. Works on a clovaai-layout LMDB or on a folder of images with
a `labels.tsv` (`file<TAB>text` per line), so anyone can score their own crops.
Every crop is scored two ways against its label as printed: case-insensitively, upper case,
letters and digits only (the lecture's score: its charset is upper-case only), and exactly,
case and punctuation counting (`--case-sensitive` makes this the headline, for a cased model).
A label with characters the model cannot print is scored wrong and counted, never cleaned to fit.
"""
from __future__ import annotations

import argparse
import csv
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ocr_lab.data import LmdbRecords, clean_label, decode_image, preprocess_image, read_gt_file
from ocr_lab.decode import decode_readings, second_look
from ocr_lab.images import TILT_BELOW, is_squarish, is_tall, quarter_turns, tilted_views
from ocr_lab.labels import MAX_TEXT_LEN, TIME_STEPS
from ocr_lab.metrics import accuracy_by_length, character_confusions, character_error_rate, fold_case, word_accuracy


@dataclass
class EvalData:
    images: np.ndarray  # (N, width, height, 3) uint8, width first, black-padded
    labels: list[str]  # cleaned labels: in the charset's case, its characters only (what training targets)
    names: list[str]  # where each crop came from (record index or file name)
    skipped: dict = field(default_factory=dict)
    # index -> the crop turned a quarter each way, (2, width, height, 3), for the tall crops
    # of a folder (a sideways word): read as `ocr_lab.pipeline.recognize` reads them
    turned: dict = field(default_factory=dict)
    raw_labels: list[str] = field(default_factory=list)  # as printed: the labels.tsv or LMDB text, unchanged
    # index -> `images.tilted_views` of a crop about as tall as wide, read if its upright reading is unsure
    tilted: dict = field(default_factory=dict)

    def __post_init__(self):
        if not self.raw_labels:
            self.raw_labels = list(self.labels)


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
    images, labels, names, turned, tilted, raw_labels = [], [], [], {}, {}, []
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
            raw_labels.append(_lmdb_label(records, index))
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
            elif is_squarish(img):
                tilted[len(images)] = np.stack([_pad(preprocess_image(t, img_size), img_size) for t in tilted_views(img)])
            images.append(_pad(preprocess_image(img, img_size), img_size))
            labels.append(label)
            raw_labels.append(raw_label)
            names.append(name)
    if not images:
        raise ValueError(f"nothing to evaluate in {str(data)!r}: every record was skipped {skipped}; "
                         f"are the labels in the charset {characters!r}?")
    return EvalData(np.stack(images), labels, names, skipped, turned, raw_labels, tilted)


def _lmdb_label(records: LmdbRecords, index: int) -> str:
    """The label of an LMDB record as stored, before `clean_label` put it in the charset."""
    with records.env.begin(write=False) as txn:
        return txn.get(b"label-%09d" % index).decode("utf-8", "replace")


def read_eval_data(predict, ev: EvalData, characters: str, beam_width: int = 1, lexicon=None,
                   head: str = "ctc") -> list[str]:
    """The text of every crop of `ev` (`read_eval_readings` without the confidences)."""
    return [text for text, _ in read_eval_readings(predict, ev, characters, beam_width, lexicon, head)]


def read_eval_readings(predict, ev: EvalData, characters: str, beam_width: int = 1, lexicon=None,
                       head: str = "ctc") -> list[tuple[str, float]]:
    """(text, confidence) of every crop of `ev`, in one `predict` call (images -> softmax) and one decode.

    A tall crop is also read turned a quarter each way and the most confident reading is
    kept, as the pipeline does (`ocr_lab.pipeline.recognize`), so a sideways street sign
    scores the same here, in training's `--eval-data` and in the benchmarks; so does the second
    look at an unsure squarish crop's `tilted_views`. A `lexicon` (`ocr_lab.decode.Lexicon`)
    checks each reading against a dictionary, as `ocr` does.
    """
    tall = sorted(ev.turned)
    batch = np.concatenate([ev.images, *(ev.turned[i] for i in tall)]) if tall else ev.images
    readings = decode_readings(predict(batch), characters, beam_width, tall, lexicon, head)
    return second_look(readings, sorted(ev.tilted), ev.tilted.__getitem__, predict, characters, TILT_BELOW, beam_width,
                       lexicon, head)


def unprintable(labels: list[str], characters: str) -> dict[str, tuple[Counter, int]]:
    """What of `labels` the model cannot print, for each score: (character -> labels that have it, labels).

    "as printed": characters outside the charset ("h" for the lecture's upper-case model, "é"
    for any of ours); "case-insensitive": letters and digits outside its upper-cased letters
    and digits ("é" still; punctuation and case no longer count). A label with any of them is
    scored wrong that way.
    """
    charset = {"as printed": (set(characters), str), "case-insensitive": (set(fold_case(characters)), fold_case)}
    found = {}
    for how, (allowed, form) in charset.items():
        missing = [set(form(label)) - allowed for label in labels]
        found[how] = (Counter(c for chars in missing for c in chars), sum(1 for chars in missing if chars))
    return found


def scores(readings: list[str], ev: EvalData) -> tuple[float, float]:
    """(case-insensitive, as printed) word accuracy of `readings` against `ev`'s labels as printed."""
    folded = word_accuracy([fold_case(r) for r in readings], [fold_case(t) for t in ev.raw_labels])
    return folded, word_accuracy(readings, ev.raw_labels, case_sensitive=True)


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
    case_sensitive: bool = False  # which of the two scores is `word_accuracy` (and CER, lengths, confusions, worst)
    case_insensitive_accuracy: float = float("nan")
    as_printed_accuracy: float = float("nan")
    confidences: list[float] = field(default_factory=list)
    unprintable: dict = field(default_factory=dict)  # `unprintable(labels, charset)`

    def scored_pairs(self) -> tuple[list[str], list[str]]:
        """(readings, labels) as the headline score compares them: as printed, or case-folded."""
        if self.case_sensitive:
            return self.predictions, self.data.raw_labels
        return [fold_case(p) for p in self.predictions], [fold_case(t) for t in self.data.raw_labels]

    def right(self) -> list[tuple[bool, bool]]:
        """(right case-insensitively, right as printed) for each crop."""
        return [(fold_case(p) == fold_case(t), p == t) for p, t in zip(self.predictions, self.data.raw_labels)]

    def worst(self, n: int = 16) -> list[int]:
        """Indices of the n worst predictions (largest edit distance relative to the label)."""
        import editdistance

        errors = [(editdistance.eval(p, t) / max(len(t), 1), i)
                  for i, (p, t) in enumerate(zip(*self.scored_pairs())) if p != t]
        return [i for _, i in sorted(errors, reverse=True)[:n]]

    def table(self) -> str:
        from ocr_lab.messages import message

        folded = message("report.case_insensitive")  # "case-insensitive: ...": the part before ':' names its row
        exact = message("report.as_printed")
        first, second = (exact, folded) if self.case_sensitive else (folded, exact)
        other = self.as_printed_accuracy if not self.case_sensitive else self.case_insensitive_accuracy
        lines = [
            f"crops scored        {self.count}",
            f"word accuracy       {self.word_accuracy:.4f} ({first})",
            f"{second.split(':')[0]:<19} {other:.4f} ({second})",
            "cannot be printed   " + _describe_unprintable(self.unprintable, self.count),
            f"character err. rate {self.cer:.4f}",
            f"throughput          {self.crops_per_second:.0f} crops/s (one batched predict + decode)",
            f"skipped             {self.skipped or 'none'}",
            "accuracy by length  " + "  ".join(f"{n}:{acc:.2f}({c})" for n, (acc, c) in self.by_length.items()),
            "top confusions      " + ("  ".join(f"{a or '?'}->{b}:{c}" for (a, b), c in self.confusions) or "none"),
        ]
        return "\n".join(lines)

    def write_predictions(self, path) -> Path:
        """A TSV of every crop (file, label as printed, reading, confidence, right case-insensitively and as printed), atomically."""
        from ocr_lab.files import atomic_write

        def write(tmp: Path) -> None:
            with open(tmp, "w", encoding="utf-8", newline="") as f:
                out = csv.writer(f, delimiter="\t", lineterminator="\n")
                out.writerow(["file", "label", "reading", "confidence", "right_case_insensitive", "right_as_printed"])
                for name, label, reading, confidence, (folded, exact) in zip(
                        self.data.names, self.data.raw_labels, self.predictions, self.confidences, self.right()):
                    out.writerow([name, label, reading, f"{confidence:.4f}", int(folded), int(exact)])

        return atomic_write(path, write)


def _describe_unprintable(found: dict, count: int) -> str:
    """'as printed: 3 of 6 labels ('e' 2, 'z' 1); case-insensitive: none', for the report."""
    def one(chars: Counter, labels: int) -> str:
        if not labels:
            return "none"
        shown = ", ".join(f"{c!r} {n}" for c, n in sorted(chars.items(), key=lambda kv: (-kv[1], kv[0]))[:12])
        more = f" and {len(chars) - 12} more" if len(chars) > 12 else ""
        return f"{labels} of {count} labels, scored wrong ({shown}{more})"

    return "; ".join(f"{how}: {one(chars, labels)}" for how, (chars, labels) in found.items()) or "none"


def evaluate(recognizer, data, limit: int | None = None, beam_width: int = 1, batch_size: int = 256,
             lexicon=None, case_sensitive: bool = False) -> EvalReport:
    """Score a recognizer (see `ocr_lab.checkpoint.load_recognizer`) on an LMDB or a labels.tsv folder.

    Without a `lexicon` this scores the network's own readings; with one (`ocr_lab.decode.english()`),
    the readings `ocr` gives, each checked against the dictionary. Both scores are computed against
    the labels as printed; `case_sensitive` picks the exact one as the headline `word_accuracy`.
    """
    ev = load_eval_data(data, recognizer.characters, recognizer.img_size, limit,
                        getattr(recognizer, "time_steps", TIME_STEPS))
    recognizer.predict(ev.images[:1])  # build the predict function first so the timing is of the work only
    start = time.perf_counter()
    readings = read_eval_readings(lambda x: recognizer.predict(x, batch_size=batch_size), ev, recognizer.characters,
                                  beam_width, lexicon, getattr(recognizer, "head", "ctc"))
    seconds = time.perf_counter() - start
    preds = [text for text, _ in readings]
    folded, exact = scores(preds, ev)
    report = EvalReport(
        word_accuracy=exact if case_sensitive else folded,
        cer=0.0, count=len(preds), crops_per_second=len(preds) / seconds, by_length={}, confusions=[],
        skipped=ev.skipped, predictions=preds, data=ev, case_sensitive=case_sensitive,
        case_insensitive_accuracy=folded, as_printed_accuracy=exact, confidences=[c for _, c in readings],
        unprintable=unprintable(ev.raw_labels, recognizer.characters),
    )
    readings_scored, labels_scored = report.scored_pairs()
    report.cer = character_error_rate(readings_scored, labels_scored, case_sensitive=True)
    report.by_length = accuracy_by_length(readings_scored, labels_scored, case_sensitive=True)
    report.confusions = character_confusions(readings_scored, labels_scored, case_sensitive=True).most_common(8)
    return report


def show_worst(report: EvalReport, n: int = 16, cols: int = 4):
    """A grid of the worst errors: each crop with its label and what the model read."""
    import matplotlib.pyplot as plt

    worst = report.worst(n)
    rows = max(1, -(-len(worst) // cols))
    fig, axes = plt.subplots(rows, cols, figsize=(3 * cols, 1.2 * rows), squeeze=False)
    for ax in axes.flat:
        ax.axis("off")
    labels = report.data.raw_labels if report.case_sensitive else report.data.labels
    for ax, i in zip(axes.flat, worst):
        ax.imshow(report.data.images[i].transpose(1, 0, 2))
        ax.set_title(f"{labels[i]} -> {report.predictions[i] or '(empty)'}", fontsize=9)
    fig.tight_layout()
    return fig


def add_cli(subparsers):
    p = subparsers.add_parser("evaluate", help="score a checkpoint on an LMDB or a folder with labels.tsv")
    from ocr_lab.checkpoint import default_checkpoint_name

    p.add_argument("--checkpoint", help=f"checkpoint file (default: the shipped {default_checkpoint_name()})")
    p.add_argument("--data", required=True, help="LMDB folder, or folder of images with labels.tsv (file<TAB>text)")
    p.add_argument("--limit", type=positive_int, help="score the first N crops that can be scored (default: all)")
    p.add_argument("--beam", type=positive_int, default=1, help="beam width (1 = greedy)")
    p.add_argument("--lexicon", default="none", metavar="english|none|FILE",
                   help="check each reading against a word list, as `ocr` does with 'english' (default: none, the "
                        "network's own readings)")
    p.add_argument("--case-sensitive", action="store_true",
                   help="score as printed (case and punctuation count) as the headline word accuracy, CER and "
                        "errors; both scores are printed either way (default: case-insensitive, letters and digits)")
    p.add_argument("--predictions", metavar="OUT.tsv",
                   help="write every crop's file, label, reading, confidence and whether it is right (both ways) here")
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
    from ocr_lab.checkpoint import OCR_CHECKPOINT, load_recognizer
    from ocr_lab.files import atomic_write, check_writable, is_inside

    checkpoint = Path(args.checkpoint or OCR_CHECKPOINT)
    lexicon_from(args.lexicon)  # a missing word-list file fails before the model loads
    outputs = {"--worst": args.worst, "--predictions": args.predictions}
    for flag, out in outputs.items():
        if out and (is_inside(out, args.data) or is_inside(out, checkpoint)
                    or (args.lexicon not in ("english", "none") and is_inside(out, args.lexicon))):
            raise ValueError(f"{flag} {out!r} would write into the data or over the checkpoint or the lexicon; "
                             "choose a path outside them")
    if args.worst and args.predictions and Path(args.worst).resolve() == Path(args.predictions).resolve():
        raise ValueError(f"--worst and --predictions are both {args.worst!r}; give each its own file")
    for flag, out in outputs.items():
        if out:
            check_writable(out, flag)  # now, not after the whole evaluation
    recognizer = load_recognizer(checkpoint)
    lexicon = lexicon_from(args.lexicon, recognizer.characters)
    report = evaluate(recognizer, args.data, args.limit, args.beam, lexicon=lexicon, case_sensitive=args.case_sensitive)
    print(report.table())
    if lexicon is not None and lexicon.note():
        print(lexicon.note())
    if args.predictions:
        Path(args.predictions).parent.mkdir(parents=True, exist_ok=True)
        report.write_predictions(args.predictions)
        print(f"predictions: {args.predictions}")
    if args.worst:
        fig = show_worst(report)
        Path(args.worst).parent.mkdir(parents=True, exist_ok=True)
        atomic_write(args.worst, lambda tmp: fig.savefig(tmp, dpi=100, format=Path(args.worst).suffix[1:] or "png"))
        print(f"worst errors: {args.worst}")
    return 0
