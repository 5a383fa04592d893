"""Training and inference benchmarks for issue 4. Prints tables to paste into notes.

    python benchmarks/bench_training.py                 # everything (about 25 minutes)
    python benchmarks/bench_training.py --minutes 2     # a shorter time-to-accuracy race
    python benchmarks/bench_training.py --only speed    # samples/s and inference only
    python benchmarks/bench_training.py --only accuracy --recipes wide   # the race, one recipe

1. Time to accuracy: from scratch, the same wall-clock budget, the same synthetic data,
   our recipe (small or wide CRNN, Adam + cosine decay, tf.data) against the
   lecture's (lecture CRNN, Adadelta lr=0.1, MJDatasetSequence). Word accuracy and CER
   on the synthetic test set, validated every `--eval-every` steps.
2. Training speed: samples/s of each config with each input path, and in bfloat16.
3. Inference: one batched predict + one batched decode against the lecture's loop of
   one `predict` and one `K.ctc_decode` per crop.
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

import ocr_lab  # noqa: F401  (sets TF_USE_LEGACY_KERAS before TensorFlow loads)
from ocr_lab.data import MJDatasetSequence, default_data_paths, make_tf_dataset
from ocr_lab.evaluate import evaluate, load_eval_data
from ocr_lab.labels import TARGET_CHARACTERS, LabelConverter
from ocr_lab.checkpoint import DEFAULT_CHECKPOINT, load_recognizer
from ocr_lab.train import dtype_policy, train


def table(rows, headers):
    widths = [max(len(str(x)) for x in col) for col in zip(headers, *rows)]
    line = lambda r: "| " + " | ".join(str(x).ljust(w) for x, w in zip(r, widths)) + " |"  # noqa: E731
    return "\n".join([line(headers), "|" + "|".join("-" * (w + 2) for w in widths) + "|", *map(line, rows)])


def time_to_accuracy(paths, minutes, eval_every, workdir, only_recipes=None):
    recipes = {
        # No augmentation in a 10-minute run: each crop is seen about twice, too few times to
        # overfit, and augmenting only slows learning. The long run that made the shipped
        # checkpoint augments.
        "ours: small, Adam 3e-3+cosine, tf.data": dict(config="small", optimizer="adam", learning_rate=3e-3,
                                                       input_pipeline="tf.data", batch_size=64, augment=False,
                                                       schedule="cosine"),
        "ours: wide, Adam 3e-3+cosine, tf.data": dict(config="wide", optimizer="adam", learning_rate=3e-3,
                                                      input_pipeline="tf.data", batch_size=64, augment=False,
                                                      schedule="cosine"),
        "lecture: lecture CRNN, Adadelta 0.1, Sequence": dict(config="lecture", optimizer="adadelta",
                                                              learning_rate=0.1, input_pipeline="sequence",
                                                              batch_size=128, augment=False, schedule="constant"),
    }
    if only_recipes:
        recipes = {name: recipe for name, recipe in recipes.items() if recipe["config"] in only_recipes}
    rows = []
    for name, recipe in recipes.items():
        run_dir = Path(workdir) / recipe["config"]
        steps = eval_every if recipe["input_pipeline"] == "tf.data" else None
        result = train(paths["train"], paths["valid"], run_dir, time_budget=minutes * 60, resume=False,
                       steps_per_epoch=steps, early_stopping_patience=None, verbose=2, **recipe)
        hist = result.history
        first95 = next((h["elapsed_s"] for h in hist if h["val_word_accuracy"] >= 0.95), None)
        report = evaluate(load_recognizer(result.best_checkpoint), paths["test"])
        rows.append([name, f"{minutes:g} min", f"{result.samples_per_second:.0f}", len(hist),
                     f"{report.word_accuracy:.4f}", f"{report.cer:.4f}",
                     f"{first95 / 60:.1f} min" if first95 else "not reached"])
    return table(rows, ["recipe", "budget", "samples/s", "validations", "test word acc", "test CER",
                        "valid acc >= 95% at"])


def training_speed(paths, steps=40, warmup=10):
    import tf_keras as keras

    from ocr_lab.model import build_crnn_model, ctc_identity_loss

    conv = LabelConverter(TARGET_CHARACTERS)
    rows = []
    batch = 64
    # bfloat16 only pays on hardware with bfloat16 arithmetic; its row says whether this machine has it.
    for config, precision, pipeline in (("small", "float32", "tf.data"), ("small", "float32", "sequence"),
                                        ("small", "mixed_bfloat16", "tf.data"), ("lecture", "float32", "tf.data"),
                                        ("lecture", "float32", "sequence"), ("lecture", "mixed_bfloat16", "tf.data")):
        with dtype_policy(precision):
            model, _ = build_crnn_model(config=config)
        model.compile(loss={"ctc": ctc_identity_loss}, optimizer=keras.optimizers.Adam(1e-3))
        if pipeline == "tf.data":
            data, _ = make_tf_dataset(paths["train"], conv, batch, is_train=True)
            data = data.repeat()
        else:
            data = MJDatasetSequence(paths["train"], conv, batch, is_train=True, character=TARGET_CHARACTERS)
        # One fit call, timed from the end of its `warmup`-th step: tracing and the input pipeline
        # filling its prefetch buffers (which competes with training for the 2 cores) stay out.
        ends = []
        clock = keras.callbacks.LambdaCallback(on_train_batch_end=lambda _step, _logs: ends.append(time.perf_counter()))
        model.fit(data, steps_per_epoch=warmup + steps, epochs=1, verbose=0, callbacks=[clock])
        rate = steps * batch / (ends[-1] - ends[warmup - 1])
        rows.append([config, f"{model.count_params() / 1e6:.2f} M", precision, pipeline, batch, f"{rate:.0f}"])
        keras.backend.clear_session()
    return table(rows, ["config", "params", "precision", "input path", "batch", "samples/s"])


def inference_speed(checkpoint, test_path, n=256):
    import tf_keras as keras
    from tf_keras import backend as K

    from ocr_lab.decode import decode_predict_ctc

    rec = load_recognizer(checkpoint)
    ev = load_eval_data(test_path, rec.characters, rec.img_size, limit=n)
    images = ev.images.astype(np.float32)
    rec.predict(images[:8])
    rows = []
    for beam in (1, 5):
        start = time.perf_counter()
        preds = decode_predict_ctc(rec.predict(images), rec.characters, beam_width=beam)
        sec = time.perf_counter() - start
        acc = np.mean([p == t for p, t in zip(preds, ev.labels)])
        rows.append([f"batched predict + {'greedy' if beam == 1 else 'beam 5'} decode", len(images),
                     f"{len(images) / sec:.0f}", f"{acc:.4f}"])
    batched_greedy = float(rows[0][2])

    # The lecture's check_inference loop: one predict and one K.ctc_decode (beam 5) per crop.
    m = min(len(images), 64)
    model = rec.model
    start = time.perf_counter()
    lecture_preds = []
    for img in images[:m]:
        out = model.predict(img[None], verbose=0)
        out = np.roll(out, -1, axis=-1)  # K.ctc_decode expects the blank last
        idx = K.get_value(K.ctc_decode(out, input_length=np.ones(out.shape[0]) * out.shape[1],
                                       greedy=False, beam_width=5, top_paths=1)[0][0])[0]
        lecture_preds.append("".join(rec.characters[i] for i in idx if i >= 0))
    sec = time.perf_counter() - start
    acc = np.mean([p == t for p, t in zip(lecture_preds, ev.labels[:m])])
    rows.append(["lecture loop: predict + K.ctc_decode per crop", m, f"{m / sec:.0f}", f"{acc:.4f}"])
    del keras
    speedup = batched_greedy / (m / sec)
    return table(rows, ["method", "crops", "crops/s", "word acc"]) + f"\n\nbatched greedy vs lecture loop: {speedup:.0f}x"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--minutes", type=float, default=10.0, help="training budget per recipe")
    parser.add_argument("--eval-every", type=int, default=300, help="steps between validations (ours)")
    parser.add_argument("--only", choices=["accuracy", "speed", "inference"], help="run one part")
    parser.add_argument("--recipes", nargs="+", choices=["small", "wide", "lecture"],
                        help="race only these configs' recipes (default: all three)")
    parser.add_argument("--checkpoint", default=str(DEFAULT_CHECKPOINT), help="inference part: the checkpoint timed")
    parser.add_argument("--workdir", default=None, help="where the race's checkpoints go (default: a temp dir)")
    args = parser.parse_args()
    paths = default_data_paths()
    import platform

    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, {platform.python_version()}; data: {paths['train'].parent}")
    if args.only in (None, "speed"):
        print("\n## Training speed\n")
        print(training_speed(paths), flush=True)
    if args.only in (None, "inference"):
        print("\n## Inference: batched vs the lecture's per-crop loop\n")
        print(inference_speed(args.checkpoint, paths["test"]), flush=True)
    if args.only in (None, "accuracy"):
        print(f"\n## Time to accuracy ({args.minutes:g} min each, from scratch)\n")
        with tempfile.TemporaryDirectory() as tmp:
            print(time_to_accuracy(paths, args.minutes, args.eval_every, args.workdir or tmp, args.recipes), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
