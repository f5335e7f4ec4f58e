"""M11 Crackdowns: lethal raids kill and jail, and cost the state the residents' trust."""

from __future__ import annotations

from tests.engine import helpers as h
from tests.engine.mechanisms.conftest import crackdown


def test_a_crackdown_kills_jails_and_costs_trust() -> None:
    base = h.runs(h.variant(schedule=h.decisions("declare_zone")))
    raided = h.runs(
        h.variant(
            schedule=h.decisions("declare_zone", add=(crackdown(["barrio_norte", "barrio_sur"]),))
        )
    )
    assert h.total(raided, "homicides_by_police") > h.total(base, "homicides_by_police") + 5
    assert h.total(raided, "arrests") > h.total(base, "arrests") + 20
    assert h.final(raided, "trust", place="barrio_norte") < h.final(
        base, "trust", place="barrio_norte"
    )
    assert h.final(raided, "members", gang="norte") < h.final(base, "members", gang="norte")


def test_repression_conditioned_on_violence_hits_the_violent() -> None:
    repress = {
        "date": h.toy().meta.start,
        "action": "conditional_repression",
        "officers_per_killing": 20.0,
        "weeks": 200,
        "sources": ["synthetic"],
    }
    schedule = h.decisions("declare_zone")
    repressed = h.runs(h.variant(schedule=[*schedule, repress]))
    free = h.runs(h.variant(schedule=schedule))
    hit = lambda e: e["target"] == "norte"  # noqa: E731
    assert h.events(repressed, "homicide_by_police", where=hit) + h.events(
        repressed, "arrest", where=hit
    ) > 2 * (h.events(free, "homicide_by_police", where=hit) + h.events(free, "arrest", where=hit))
    assert h.total(repressed, "repression_officers") > 0
