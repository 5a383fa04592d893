"""Generated scenes and their scoring: deterministic, boxes where the ink is, a metric that counts right."""
from __future__ import annotations

import numpy as np
import pytest

from ocr_lab.scenes import (SceneWord, load_scenes, make_scene, normalize_text, polygon_iou, save_scenes,
                            score_scene, summarize_scores)


def rect(x0, y0, x1, y1):
    return np.float32([[x0, y0], [x1, y0], [x1, y1], [x0, y1]])


@pytest.fixture(scope="module")
def scene():
    return make_scene(3)


def test_a_scene_is_a_pure_function_of_its_seed(scene):
    again = make_scene(3)
    assert np.array_equal(np.asarray(again.image), np.asarray(scene.image))
    assert [(w.text, w.box.tolist()) for w in again.words] == [(w.text, w.box.tolist()) for w in scene.words]
    assert not np.array_equal(np.asarray(make_scene(4).image), np.asarray(scene.image))


def test_words_are_inside_the_picture_apart_and_spellable(scene):
    assert scene.image.size == (640, 480) and scene.image.mode == "RGB"
    assert len(scene.words) >= 3
    for i, word in enumerate(scene.words):
        assert normalize_text(word.text) == word.text.upper() and word.text
        assert (word.box >= 0).all() and (word.box[:, 0] <= 640).all() and (word.box[:, 1] <= 480).all()
        for other in scene.words[i + 1:]:
            assert polygon_iou(word.box, other.box) == 0.0


def test_the_ink_is_inside_the_ground_truth_boxes():
    """On a flat background with no clutter or noise, every changed pixel lies in some word's box."""
    import cv2

    flat = make_scene(5, params={"shapes": (0, 0), "noise_prob": 0, "blur_prob": 0, "rotation_prob": 1.0})
    img = np.asarray(flat.image).astype(int)
    changed = (np.abs(img - img[0, 0]).sum(axis=-1) > 30).astype(np.uint8)
    if (np.abs(img[0, 0] - img[-1, -1]).sum() > 6):
        pytest.skip("the background of this seed is not flat")
    inside = np.zeros_like(changed)
    for word in flat.words:
        cv2.fillPoly(inside, [np.round(word.box).astype(np.int32)], 1)
    inside = cv2.dilate(inside, np.ones((5, 5), np.uint8))
    assert changed.sum() > 0 and (changed & (1 - inside)).sum() <= 0.01 * changed.sum()


def test_save_and_load_round_trip(scene, tmp_path):
    save_scenes([scene], tmp_path)
    (back,) = load_scenes(tmp_path)
    assert back.name == scene.name and back.image.size == scene.image.size
    assert [w.text for w in back.words] == [w.text for w in scene.words]
    np.testing.assert_allclose(back.words[0].box, scene.words[0].box, atol=0.06)
    with pytest.raises(FileNotFoundError, match="ground_truth.json"):
        load_scenes(tmp_path / "elsewhere")


def test_the_samples_match_their_ground_truth():
    """data/samples was written by `python -m ocr_lab.scenes --count 2 --seed 8 --format jpg`."""
    from pathlib import Path

    samples = load_scenes(Path(__file__).resolve().parent.parent / "data" / "samples")
    assert [s.seed for s in samples] == [8, 9]
    for sample in samples:
        fresh = make_scene(sample.seed)
        assert [w.text for w in sample.words] == [w.text for w in fresh.words]
        diff = np.abs(np.asarray(sample.image, int) - np.asarray(fresh.image, int)).mean()
        assert diff < 4, "the sample image differs from its seed's scene by more than JPEG does"


# ----------------------------------------------------------------------------- scoring

def test_iou():
    assert polygon_iou(rect(0, 0, 10, 10), rect(0, 0, 10, 10)) == pytest.approx(1.0)
    assert polygon_iou(rect(0, 0, 10, 10), rect(5, 0, 15, 10)) == pytest.approx(1 / 3)
    assert polygon_iou(rect(0, 0, 10, 10), rect(20, 20, 30, 30)) == 0.0


def test_scoring_matches_text_ignoring_case_and_punctuation_one_to_one():
    truth = [SceneWord("Hello", rect(0, 0, 100, 30)), SceneWord("world", rect(150, 0, 250, 30)),
             SceneWord("42", rect(0, 100, 50, 130))]
    predictions = [
        ("HELLO", rect(2, 1, 102, 31)),      # right
        ("hello.", rect(0, 0, 100, 30)),     # the same word again: a false positive
        ("WORLD", rect(150, 0, 180, 30)),    # right text, box too small (IoU 0.3)
        ("43", rect(0, 100, 50, 130)),       # found, misread
        ("!!", rect(300, 300, 320, 320)),    # nothing left after normalising: ignored
    ]
    counts = score_scene(predictions, truth)
    assert counts == {"predicted": 4, "truth": 3, "correct": 1, "detected": 2}
    summary = summarize_scores([counts, score_scene([], [SceneWord("x", rect(0, 0, 5, 5))])])
    assert summary["precision"] == pytest.approx(1 / 4)
    assert summary["recall"] == pytest.approx(1 / 4)
    assert summary["f1"] == pytest.approx(1 / 4)
    assert summary["detection_recall"] == pytest.approx(2 / 4)
    assert summarize_scores([])["f1"] == 0.0
