"""M5 Criminal governance: rule grows where a gang holds a place free of police."""

from __future__ import annotations

from tests.engine import helpers as h
from tests.engine.mechanisms.conftest import patrol


def test_governance_and_expulsions_rise_without_police() -> None:
    policed = h.runs(
        h.variant(schedule=h.decisions("declare_zone", add=(patrol(["barrio_norte"], 2.0),)))
    )
    free = h.runs(
        h.variant(schedule=h.decisions("declare_zone", add=(patrol(["barrio_norte"], 0.0),)))
    )
    assert h.final(free, "governance", place="barrio_norte") > h.final(
        policed, "governance", place="barrio_norte"
    )
    assert h.total(free, "expelled", place="barrio_norte") > h.total(
        policed, "expelled", place="barrio_norte"
    )


def test_conditional_aid_speeds_governance() -> None:
    # norte hands out aid (its revenue lines include aid diversion)
    with_aid = h.runs(h.variant({"governance.aid_bonus": 3.0}))
    without = h.runs(h.variant({"governance.aid_bonus": 0.0}))
    assert h.final(with_aid, "governance", place="barrio_norte") > h.final(
        without, "governance", place="barrio_norte"
    )
