"""M6 Spillover: a gang whose haven turns pursuers back raids outside it more."""

from __future__ import annotations

from tests.engine import helpers as h


def test_zone_gangs_commit_more_crimes_outside() -> None:
    with_zone = h.runs(h.toy())
    without = h.runs(h.variant(schedule=h.decisions("declare_zone")))
    assert h.events(with_zone, "crime_outside_zone", "norte") > 1.5 * h.events(
        without, "crime_outside_zone", "norte"
    )


def test_deterrence_is_what_makes_the_haven_matter() -> None:
    """With no deterrence, the risk of arrest no longer shapes raiding."""
    indifferent = {"spillover.deterrence": 2.0}
    with_zone = h.runs(h.variant(indifferent))
    without = h.runs(h.variant(indifferent, schedule=h.decisions("declare_zone")))
    ratio_weak = h.events(with_zone, "crime_outside_zone", "norte") / h.events(
        without, "crime_outside_zone", "norte"
    )
    strong_with, strong_without = (
        h.runs(h.toy()),
        h.runs(h.variant(schedule=h.decisions("declare_zone"))),
    )
    ratio_strong = h.events(strong_with, "crime_outside_zone", "norte") / h.events(
        strong_without, "crime_outside_zone", "norte"
    )
    assert ratio_strong > ratio_weak
