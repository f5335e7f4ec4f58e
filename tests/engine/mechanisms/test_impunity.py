"""M2 Border impunity: pursuits turn back at the zone's border, incursions are recalled."""

from __future__ import annotations

import datetime as dt

from tests.engine import helpers as h

HOT_PURSUIT = {
    "date": dt.date(2021, 1, 4),
    "action": "hot_pursuit",
    "turn_back": 0.0,
    "sources": ["synthetic"],
}


def test_hot_pursuit_ends_abandoned_pursuits_and_cuts_crimes_outside() -> None:
    zone = h.runs(h.toy())
    pursuit = h.runs(h.variant(schedule=h.decisions(add=(HOT_PURSUIT,))))
    assert h.events(zone, "pursuit_abandoned") > 0
    assert h.events(pursuit, "pursuit_abandoned") == 0
    caught = h.events(pursuit, "pursuit_arrest", "norte") / h.events(
        pursuit, "crime_outside_zone", "norte"
    )
    assert caught > h.events(zone, "pursuit_arrest", "norte") / h.events(
        zone, "crime_outside_zone", "norte"
    )
    assert h.events(pursuit, "crime_outside_zone", "norte") < h.events(
        zone, "crime_outside_zone", "norte"
    )


def test_recalls_follow_abandoned_pursuits_into_a_zone() -> None:
    zone = h.runs(h.toy())
    assert 0 < h.events(zone, "incursion_recalled") <= h.events(zone, "pursuit_abandoned")
