"""Real photographs that installed packages ship, with their text typed in by hand.

Nothing is downloaded at run time, so the one real photo with text that `make demo` reads,
and that `benchmarks/bench_real_photos.py` scores, is scikit-image's `page.png`: a phone
photo of a printed book page, with uneven light and a slight curve. Its generated
neighbours in `data/samples` are drawn in fonts the recognizer never trained on; this one
was never drawn at all.
"""
from __future__ import annotations

from collections import Counter
from pathlib import Path

# The fully visible lines of page.png, as printed (the cut-off last line is left out).
PAGE_TEXT = """\
Region-based segmentation
Let us first determine markers of the coins and the
background. These markers are pixels that we can label
unambiguously as either object or background. Here,
the markers are found at the two extreme parts of the
histogram of grey values:
>>> markers = np.zeros_like(coins)
"""


def book_page() -> Path | None:
    """The path of scikit-image's page.png, or None when scikit-image is not installed."""
    try:
        import skimage.data
    except ImportError:
        return None
    path = Path(skimage.data.__file__).parent / "page.png"
    return path if path.exists() else None


def comparable(word: str, case_sensitive: bool) -> str:
    """A word as a reading is compared with it: letters and digits only, upper-cased unless `case_sensitive`.

    Punctuation is dropped in both scores, since the page's ground truth has no boxes and
    "background." may be cut as "background" and "." by a detector.
    """
    kept = "".join(c for c in word if c.isascii() and c.isalnum())
    return kept if case_sensitive else kept.upper()


def words_right(read: list[str], written: list[str], case_sensitive: bool = False) -> tuple[int, int, int]:
    """(right, read, written) word counts, matched as multisets: a page's words have no boxes to match by."""
    read_words = Counter(w for w in (comparable(r, case_sensitive) for r in read) if w)
    written_words = Counter(w for w in (comparable(t, case_sensitive) for t in written) if w)
    return sum((read_words & written_words).values()), sum(read_words.values()), sum(written_words.values())
