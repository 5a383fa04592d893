"""Shared fixtures for the recognition-core tests.

The LMDBs here are written by `write_clovaai_lmdb`, a minimal writer that uses the
`lmdb` package directly and not `ocr_lab.data.write_lmdb`, so the reader is tested
against an independent implementation of clovaai's `data_lmdb_release` layout:
`num-samples`, and for i = 1..N `image-%09d` (encoded bytes) and `label-%09d` (utf-8).

Tests reach the helpers through the `kit` fixture, not `from conftest import ...`:
pytest may load another `conftest` module first (notebooks/ has one), so the
import can pick up the wrong file.
"""
from __future__ import annotations

import io
from collections import Counter
from types import SimpleNamespace
from dataclasses import dataclass, field
from pathlib import Path

import lmdb
import matplotlib
import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

# matplotlib ships DejaVu Sans, so rendering needs no system font.
FONT_PATH = Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf"

AUTO = "auto"


# ----------------------------------------------------------------------------- LMDB, written and read by hand

def write_clovaai_lmdb(path, records, num_samples=AUTO) -> Path:
    """Write `records`, a list of (image bytes or None, label or None), 1-based.

    A None leaves that key out. `num_samples` is written as the `num-samples` key:
    AUTO writes len(records), None leaves the key out, anything else is written as is.
    """
    path = Path(path)
    env = lmdb.open(str(path), map_size=1 << 26)
    with env.begin(write=True) as txn:
        for i, (imgbuf, label) in enumerate(records, 1):
            if imgbuf is not None:
                txn.put(b"image-%09d" % i, imgbuf)
            if label is not None:
                txn.put(b"label-%09d" % i, label.encode("utf-8"))
        if num_samples == AUTO:
            num_samples = len(records)
        if num_samples is not None:
            txn.put(b"num-samples", str(num_samples).encode())
    env.close()
    return path


def read_clovaai_lmdb(path) -> tuple[int, list[tuple[bytes | None, str | None]]]:
    """(num-samples, [(image bytes, label), ...]) read straight from the LMDB."""
    env = lmdb.open(str(path), readonly=True, lock=False)
    try:
        with env.begin() as txn:
            n = int(txn.get(b"num-samples"))
            records = []
            for i in range(1, n + 1):
                label = txn.get(b"label-%09d" % i)
                records.append((txn.get(b"image-%09d" % i), None if label is None else label.decode("utf-8")))
    finally:
        env.close()
    return n, records


# ----------------------------------------------------------------------------- images

def render_word(text: str, font_size: int = 24, padding: int = 4, size: tuple[int, int] | None = None,
                mode: str = "RGB") -> Image.Image:
    """Black text on a white canvas (transparent for RGBA), cropped to the text plus `padding`,
    or on a canvas of exactly `size` = (width, height)."""
    font = ImageFont.truetype(str(FONT_PATH), font_size)
    left, top, right, bottom = font.getbbox(text or " ")
    if size is None:
        size = (right - left + 2 * padding, bottom - top + 2 * padding)
    background = {"RGB": (255, 255, 255), "L": 255, "RGBA": (0, 0, 0, 0)}[mode]
    ink = {"RGB": (0, 0, 0), "L": 0, "RGBA": (0, 0, 0, 255)}[mode]
    img = Image.new(mode, size, background)
    ImageDraw.Draw(img).text((padding - left, padding - top), text, font=font, fill=ink)
    return img


def to_bytes(img: Image.Image, fmt: str = "PNG") -> bytes:
    buf = io.BytesIO()
    img.save(buf, format=fmt)
    return buf.getvalue()


def stored_sideways(img: Image.Image) -> bytes:
    """JPEG bytes as a phone writes a photo taken upright with the phone turned: the pixels are
    stored rotated 90 degrees anticlockwise, and the EXIF orientation tag 6 tells viewers to turn
    them back. A viewer shows exactly `img`."""
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation: rotate 90 degrees clockwise to display
    buf = io.BytesIO()
    img.transpose(Image.Transpose.ROTATE_90).save(buf, format="JPEG", quality=95, exif=exif.tobytes())
    return buf.getvalue()


def white_on_transparent(text: str, **kw) -> Image.Image:
    """White text on a fully transparent canvas, as logos and overlays are often saved."""
    arr = np.asarray(render_word(text, mode="RGBA", **kw)).copy()
    arr[..., :3] = 255
    return Image.fromarray(arr, "RGBA")


BENCH_DIR = Path(__file__).resolve().parent.parent / "benchmarks"


def load_benchmark(name: str):
    """A script of benchmarks/ as a module (they are scripts, not a package; they import their siblings)."""
    import importlib.util
    import sys

    if str(BENCH_DIR) not in sys.path:
        sys.path.insert(0, str(BENCH_DIR))
    spec = importlib.util.spec_from_file_location(name, BENCH_DIR / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# The modules that make a start slow and big: the command line and the ONNX paths promise to leave some unloaded.
HEAVY_MODULES = ("tensorflow", "tf_keras", "keras", "keras_ocr", "torch", "onnxruntime")
_HEAVY_MARK = "heavy modules loaded: "


@dataclass
class FreshRun:
    """What `fresh_python` saw: the exit status, the outputs (without its own last line) and the heavy modules."""
    returncode: int
    stdout: str
    stderr: str
    heavy: list[str]


def fresh_python(code: str, *argv: str, env: dict | None = None, cwd=None, timeout: float = 300) -> FreshRun:
    """Run `code` (dedented) in a new Python, then list which of HEAVY_MODULES it had imported.

    Only a fresh process can tell: this test process has imported all of them already. The list goes to
    stdout as one last marked line, which is taken off again, so a test still sees exactly what `code` printed.
    """
    import subprocess
    import sys
    import textwrap

    probe = (f"\nimport sys as _sys\nprint({_HEAVY_MARK!r} + ','.join(sorted(m for m in {HEAVY_MODULES!r} "
             "if m in _sys.modules)))\n")
    done = subprocess.run([sys.executable, "-c", textwrap.dedent(code) + probe, *argv], capture_output=True,
                          text=True, env=env, cwd=cwd, timeout=timeout)
    before, mark, after = done.stdout.rpartition(_HEAVY_MARK)
    assert mark, f"the code did not run to its end (status {done.returncode}):\n{done.stderr[-3000:]}"
    return FreshRun(done.returncode, before, done.stderr, [m for m in after.strip().split(",") if m])


@pytest.fixture(scope="session")
def kit() -> SimpleNamespace:
    """The helpers above: write_lmdb, read_lmdb, render_word, to_bytes, stored_sideways, white_on_transparent,
    load_benchmark, fresh_python."""
    return SimpleNamespace(write_lmdb=write_clovaai_lmdb, read_lmdb=read_clovaai_lmdb,
                           render_word=render_word, to_bytes=to_bytes, stored_sideways=stored_sideways,
                           white_on_transparent=white_on_transparent, load_benchmark=load_benchmark,
                           fresh_python=fresh_python)


# ----------------------------------------------------------------------------- the tiny data set

@dataclass
class Record:
    index: int                 # 1-based key in the LMDB
    raw_label: str | None      # as stored
    image: Image.Image | None  # the rendered image, None when the bytes are not an image
    outcome: str               # "usable", "corrupt" (found on read) or a SKIP_REASONS entry (found on scan)
    label: str = ""            # the label the reader should produce (upper-cased, filtered)


@dataclass
class TinyLmdb:
    path: Path
    records: list[Record]
    batch_size: int = 3
    scan_skipped: Counter = field(default_factory=Counter)   # counted when the Sequence is built

    @property
    def scanned(self) -> list[Record]:
        """Records that pass the label scan, in LMDB order (corrupt images included)."""
        return [r for r in self.records if r.outcome in ("usable", "corrupt")]

    @property
    def usable(self) -> list[Record]:
        """Records that must reach a batch, in LMDB order."""
        return [r for r in self.records if r.outcome == "usable"]

    @property
    def corrupt(self) -> list[Record]:
        return [r for r in self.records if r.outcome == "corrupt"]


def _truncated_jpeg() -> bytes:
    data = to_bytes(render_word("TRUNCATED"), "JPEG")
    return data[: len(data) // 2]


def _tiny_lmdb_spec():
    """(raw label, image or None, image bytes, outcome, expected label) for every record."""
    def rgb(text, **kw):
        return render_word(text, **kw)

    lube = rgb("Lube", font_size=22, size=(72, 31))  # the lecture's first MJSynth sample is 72x31
    hello = rgb("hello")
    dont = rgb("don't")
    wide = rgb("INTERNATIONALIZATION")
    gray = render_word("2024", mode="L")
    rgba = render_word("BOOKKEEPER", mode="RGBA")
    boundary_ctc = rgb("A" * 12 + "B")          # 13 chars + 11 repeats = exactly 24 CTC steps
    boundary_len = rgb("ABCDEFGHIJKLMNOPQRSTUV")  # exactly 22 characters
    plain = rgb("WORD")
    return [
        ("Lube", lube, to_bytes(lube, "JPEG"), "usable", "LUBE"),
        ("hello", hello, to_bytes(hello), "usable", "HELLO"),
        ("CORRUPT", None, b"these bytes are not an image", "corrupt", "CORRUPT"),
        ("", plain, to_bytes(plain), "empty after filtering", ""),
        ("A" * 23, plain, to_bytes(plain), "too long", ""),
        ("A" * 13, plain, to_bytes(plain), "too long for CTC", ""),   # 13 + 12 repeats = 25 steps
        ("!!!", plain, to_bytes(plain), "empty after filtering", ""),
        ("don't", dont, to_bytes(dont), "usable", "DONT"),
        ("INTERNATIONALIZATION", wide, to_bytes(wide), "usable", "INTERNATIONALIZATION"),
        ("2024", gray, to_bytes(gray), "usable", "2024"),
        ("BookKeeper", rgba, to_bytes(rgba), "usable", "BOOKKEEPER"),
        ("TRUNCATED", None, _truncated_jpeg(), "corrupt", "TRUNCATED"),
        ("NOIMAGE", None, None, "unreadable image", ""),                # label without an image key
        ("A" * 12 + "B", boundary_ctc, to_bytes(boundary_ctc), "usable", "A" * 12 + "B"),
        ("ABCDEFGHIJKLMNOPQRSTUV", boundary_len, to_bytes(boundary_len), "usable", "ABCDEFGHIJKLMNOPQRSTUV"),
        ("A" * 22, plain, to_bytes(plain), "too long for CTC", ""),   # 22 chars fit, 43 steps do not
    ]


@pytest.fixture(scope="session")
def tiny_lmdb(tmp_path_factory) -> TinyLmdb:
    """16 records of rendered words: 8 usable, 2 with corrupt image bytes (found when read),
    6 skipped when scanned (2 empty after filtering, 1 too long, 2 too long for CTC, 1 missing image)."""
    spec = _tiny_lmdb_spec()
    path = write_clovaai_lmdb(tmp_path_factory.mktemp("tiny") / "lmdb", [(b, raw) for raw, _, b, _, _ in spec])
    records = [Record(i, raw, img, outcome, label) for i, (raw, img, _, outcome, label) in enumerate(spec, 1)]
    scan_skipped = Counter(r.outcome for r in records if r.outcome not in ("usable", "corrupt"))
    return TinyLmdb(path=path, records=records, scan_skipped=scan_skipped)


@pytest.fixture(scope="session")
def clean_lmdb(tmp_path_factory) -> tuple[Path, list[str]]:
    """7 readable, usable rendered words (no record is skipped): (path, upper-case labels)."""
    words = ["CAT", "Apple", "zebra", "Q", "PEPPER", "x1y2", "MOON"]
    path = tmp_path_factory.mktemp("clean") / "lmdb"
    write_clovaai_lmdb(path, [(to_bytes(render_word(w)), w) for w in words])
    return path, [w.upper() for w in words]
