"""M4 Recruitment: withdrawing police from a place raises recruitment there."""

from __future__ import annotations

from tests.engine import helpers as h
from tests.engine.mechanisms.conftest import patrol


def test_withdrawing_police_raises_recruitment() -> None:
    policed = h.runs(h.variant(schedule=h.decisions("declare_zone")))
    withdrawn = h.runs(
        h.variant(schedule=h.decisions("declare_zone", add=(patrol(["loma"], 0.0),)))
    )
    assert h.total(withdrawn, "recruits", place="loma") > 1.2 * h.total(
        policed, "recruits", place="loma"
    )


def test_a_richer_gang_recruits_more() -> None:
    rich = h.runs(h.variant({"recruitment.wealth_effect": 3.0}))
    plain = h.runs(h.variant({"recruitment.wealth_effect": 0.0}))
    assert h.total(rich, "recruits") > h.total(plain, "recruits")
