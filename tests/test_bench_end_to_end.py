"""The peer adapters of benchmarks/bench_end_to_end.py: each returns (text, box) words. Skipped when a peer is absent."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from ocr_lab.scenes import SceneWord, score_scene

@pytest.fixture(scope="module")
def bench(kit):
    return kit.load_benchmark("bench_end_to_end")


@pytest.fixture(scope="module")
def two_words():
    """'HELLO' and 'World' in black DejaVu Sans on white, and their ground truth."""
    import matplotlib

    font = ImageFont.truetype(str(Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf"), 40)
    img = Image.new("RGB", (480, 160), "white")
    draw = ImageDraw.Draw(img)
    truth = []
    for text, (x, y) in [("HELLO", (30, 50)), ("World", (280, 50))]:
        draw.text((x, y), text, font=font, fill="black")
        x0, y0, x1, y1 = draw.textbbox((x, y), text, font=font)
        truth.append(SceneWord(text, np.float32([[x0, y0], [x1, y0], [x1, y1], [x0, y1]])))
    return img, truth


@pytest.mark.parametrize("psm", [11, None])
def test_tesseract_adapter(bench, two_words, psm):
    if not bench.tesseract_available():
        pytest.skip("tesseract is not installed (apt-get install tesseract-ocr tesseract-ocr-eng)")
    img, truth = two_words
    assert score_scene(bench.tesseract(psm)(img), truth)["correct"] == 2


def test_rapidocr_adapter(bench, two_words):
    if not bench.rapidocr_available():
        pytest.skip("rapidocr_onnxruntime is not installed (pip install -r benchmarks/requirements-peers.txt)")
    img, truth = two_words
    words = bench.rapidocr()(img)
    assert score_scene(words, truth)["correct"] == 2
