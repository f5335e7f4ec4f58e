"""The equivalence check's own parts (`benchmarks/epstein/equivalence.py`), without Mesa."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))

from epstein.equivalence import LEVEL, TESTS, holds, outbursts


def test_outbursts_count_crossings_from_below_after_step_one():
    assert outbursts(np.array([0, 12, 3, 10, 11, 9, 10]), 10) == 2  # step 1 is left out


def test_equivalence_verdict_is_bonferroni_over_the_eight_tests():
    rows = [{"ks_p": 0.5, "mw_p": 0.5} for _ in range(4)]
    assert holds(rows)
    rows[2]["mw_p"] = LEVEL / TESTS * 1.01  # above the corrected level
    assert holds(rows)
    rows[3]["ks_p"] = LEVEL / TESTS * 0.99
    assert not holds(rows)
