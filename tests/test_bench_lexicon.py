"""benchmarks/bench_lexicon.py: it remembers each search across margins and names a missing set."""
from __future__ import annotations

import pytest


@pytest.fixture(scope="module")
def bench(kit):
    return kit.load_benchmark("bench_lexicon")


def test_each_reading_is_searched_once_for_every_margin(bench):
    from ocr_lab.decode import Lexicon

    lexicon = Lexicon(["PACIFIC", "PANIC"])
    searched = []
    near = lexicon.near
    lexicon.near = lambda reading: searched.append(reading) or near(reading)
    memo = bench.memoized(lexicon)
    assert sorted(memo.near("PACIIC")) == sorted(memo.near("PACIIC")) == ["PACIFIC", "PANIC"]
    assert searched == ["PACIIC"]


def test_a_missing_set_is_named_before_the_model_loads(bench, tmp_path):
    with pytest.raises(SystemExit, match="no set 'choose' at .*nowhere.*make data"):
        bench.main(["--choose-on", str(tmp_path / "nowhere")])
