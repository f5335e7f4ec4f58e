"""M3 Illicit economy: corridors without police are preyed on; police suppress business."""

from __future__ import annotations

from tests.engine import helpers as h
from tests.engine.mechanisms.conftest import patrol


def test_a_corridor_left_without_police_sees_more_robbery_and_kidnapping() -> None:
    bare = h.runs(h.toy())  # the toy schedule withdraws the corridor's police
    policed = h.runs(h.variant(schedule=h.decisions("patrol")))
    assert h.total(bare, "highway_robbery", place="autopista") > 1.5 * h.total(
        policed, "highway_robbery", place="autopista"
    )
    assert h.total(bare, "kidnapping", place="autopista") > h.total(
        policed, "kidnapping", place="autopista"
    )


def test_police_presence_lowers_a_gang_s_revenue() -> None:
    heavy = h.runs(h.variant(schedule=h.decisions("declare_zone", add=(patrol(["loma"], 3.0),))))
    light = h.runs(h.variant(schedule=h.decisions("declare_zone", add=(patrol(["loma"], 0.0),))))
    assert h.final(heavy, "treasury", gang="monte") < h.final(light, "treasury", gang="monte")
