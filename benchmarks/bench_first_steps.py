"""How fast a CRNN learns to read from scratch on the first-steps set (notebook 04, issue 32).

    python benchmarks/bench_first_steps.py                      # generate, then every recipe, 38,400 crops each
    python benchmarks/bench_first_steps.py --recipes b32 --crops 19200
    python benchmarks/bench_first_steps.py --seconds 150        # a wall-clock budget instead of a crop budget

1. Generation: the `first-steps` preset of `ocr_lab.synth` (`synth --preset first-steps`),
   timed in crops/s with every core.
2. Training: the `small` CRNN from random weights, one recipe after another, each for the
   same number of training crops (`--crops`: steps x batch, the cosine schedule over them), or
   the same wall-clock budget (`--seconds`, validation included), validated 12 times on 500 crops.
   Crops to accuracy do not depend on the machine's load; seconds do. The table gives the crops trained on (and seconds) when validation first read half, then 90 %,
   of the words, and the best checkpoint's word accuracy on 500 held-out test crops of the same
   kind, which training never saw, and on the full generator's QUICK test crops.
Timings depend on the machine and its load: the table header says which.
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

import ocr_lab  # noqa: F401  (sets TF_USE_LEGACY_KERAS before TensorFlow loads)
from ocr_lab import synth

# name -> train() arguments. All: the small CRNN, Adam, cosine decay over the time budget, no augmentation
# (each crop is seen about once: there is nothing to memorise, so nothing to augment against).
RECIPES = {
    "b32": dict(batch_size=32, learning_rate=3e-3, warmup=0.03),
    "b32-warm5": dict(batch_size=32, learning_rate=3e-3, warmup=0.05),  # notebook 04's, over --crops 17920
    "b64": dict(batch_size=64, learning_rate=3e-3, warmup=0.03),
    "b32-lr1e-3": dict(batch_size=32, learning_rate=1e-3, warmup=0.03),
    "b32-lr6e-3-warm10": dict(batch_size=32, learning_rate=6e-3, warmup=0.1),
}


def table(rows, headers):
    widths = [max(len(str(x)) for x in col) for col in zip(headers, *rows)]
    line = lambda r: "| " + " | ".join(str(x).ljust(w) for x, w in zip(r, widths)) + " |"  # noqa: E731
    return "\n".join([line(headers), "|" + "|".join("-" * (w + 2) for w in widths) + "|", *map(line, rows)])


def generate(out: Path, n_train: int, regenerate: bool) -> str:
    sizes = {**synth.FIRST_STEPS_SIZES, "train": n_train}
    if synth.is_current(out, preset="first-steps") and not regenerate:
        done = __import__("json").loads((out / synth.COMPLETE_MARKER).read_text())
        if done["sizes"] == sizes:
            return "(already built)"
    start = time.perf_counter()
    synth.generate_dataset(out, sizes, preset="first-steps", force=True, progress=False)
    seconds = time.perf_counter() - start
    total = sum(sizes.values())
    return f"{total} crops in {seconds:.0f} s = {total / seconds:.0f} crops/s on {os.cpu_count()} cores"


def first_at(history, threshold, batch_size, steps_per_epoch):
    """'crops (seconds)' when validation word accuracy first reached `threshold`."""
    for h in history:
        if h["val_word_accuracy"] >= threshold:
            return f"{(int(h['epoch']) + 1) * steps_per_epoch * batch_size:,} ({h['elapsed_s']:.0f} s)"
    return "-"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--train", type=int, default=synth.FIRST_STEPS_SIZES["train"], help="training crops")
    parser.add_argument("--crops", type=int, default=38_400, help="training crops of each run (steps x batch)")
    parser.add_argument("--seconds", type=float, help="a wall-clock budget for each run instead of --crops")
    parser.add_argument("--recipes", default=",".join(RECIPES), help=f"comma-separated, of {list(RECIPES)}")
    parser.add_argument("--out", default=None, help="where the set goes (default data/bench_first_steps_N)")
    parser.add_argument("--regenerate", action="store_true", help="rebuild the set, to time generation")
    args = parser.parse_args(argv)

    from ocr_lab.evaluate import evaluate
    from ocr_lab.notebooks import course_data
    from ocr_lab.train import load_recognizer, train

    out = Path(args.out or synth.DATA_DIR / f"bench_first_steps_{args.train}")
    print("generation:", generate(out, args.train, args.regenerate), flush=True)
    full_test = course_data(quick=True)["test"]
    load = os.getloadavg()[0]
    rows = []
    for name in args.recipes.split(","):
        recipe = RECIPES[name]
        batch = recipe["batch_size"]
        steps_per_epoch = max(1, args.crops // batch // 12)
        budget = dict(time_budget=args.seconds, steps_per_epoch=steps_per_epoch) if args.seconds else \
            dict(epochs=12, steps_per_epoch=steps_per_epoch)
        with tempfile.TemporaryDirectory() as run_dir:
            result = train(out / "train", out / "valid", run_dir, config="small", max_valid=500, augment=False,
                           resume=False, early_stopping_patience=None, verbose=0, seed=0, **budget, **recipe)
            best = load_recognizer(result.best_checkpoint)
            held_out, full = evaluate(best, out / "test"), evaluate(best, full_test)
        hist = result.history
        crops = len(hist) * steps_per_epoch * batch
        rows.append([name, batch, f"{recipe['learning_rate']:g}", f"{recipe['warmup']:.0%}", f"{crops:,}",
                     f"{hist[-1]['elapsed_s']:.0f}", f"{result.samples_per_second:.0f}",
                     first_at(hist, 0.5, batch, steps_per_epoch), first_at(hist, 0.9, batch, steps_per_epoch),
                     f"{hist[-1]['val_word_accuracy']:.3f}", f"{held_out.word_accuracy:.3f}", f"{held_out.cer:.3f}",
                     f"{full.word_accuracy:.3f}", f"{os.getloadavg()[0]:.1f}"])
        print(rows[-1], flush=True)
    budget = f"{args.seconds:g} s" if args.seconds else f"{args.crops:,} crops"
    print(f"\nsmall CRNN from scratch, {args.train:,} first-steps training crops, {budget} per run, "
          f"{os.cpu_count()} cores, load average {load:.1f} at the start")
    print(table(rows, ["recipe", "batch", "lr", "warm-up", "crops", "seconds", "crops/s", "val>=0.5 at crops (s)",
                       "val>=0.9 at crops (s)", "last val acc", "held-out test acc", "held-out CER",
                       "full-generator test acc", "load at end"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
