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
    # routine confrontations (M22) hit norte in both arms; repression adds half as much again
    assert h.events(repressed, "homicide_by_police", where=hit) + h.events(
        repressed, "arrest", where=hit
    ) > 1.5 * (
        h.events(free, "homicide_by_police", where=hit) + h.events(free, "arrest", where=hit)
    )
    assert h.total(repressed, "repression_officers") > 0


def _aimed(targeting: str) -> list[dict[str, object]]:
    raid = {**crackdown(["barrio_norte", "barrio_sur"]), "targeting": targeting}
    return h.decisions("declare_zone", add=(raid,))


def test_a_crackdown_aimed_at_gangs_spares_the_residents() -> None:
    area = h.runs(h.variant(schedule=_aimed("area")))
    violent = h.runs(h.variant(schedule=_aimed("violent_gangs")))
    leaders = h.runs(h.variant(schedule=_aimed("leaders")))
    resident = lambda e: e["target"] == ""  # noqa: E731
    hit = h.events(area, "homicide_by_police", where=resident)
    assert h.events(violent, "homicide_by_police", where=resident) < hit
    assert h.events(leaders, "homicide_by_police", where=resident) < hit


def test_a_crackdown_aimed_at_leaders_hunts_them() -> None:
    leaders = h.runs(h.variant(schedule=_aimed("leaders")))
    area = h.runs(h.variant(schedule=_aimed("area")))
    caught = sum(h.events(leaders, k) for k in ("leader_jailed", "leader_killed"))
    assert caught > sum(h.events(area, k) for k in ("leader_jailed", "leader_killed"))


def test_proximity_policing_wins_tips_and_keeps_the_young_out() -> None:
    def occupation(proximity: bool) -> list[dict[str, object]]:
        occupy = {
            "date": h.toy().meta.start,
            "action": "occupation",
            "places": ["centro"],
            "officers": 300,
            "weeks": 150,
            "proximity_policing": proximity,
            "sources": ["synthetic"],
        }
        return h.decisions("declare_zone", add=(occupy,))

    near = h.runs(h.variant(schedule=occupation(True)))
    far = h.runs(h.variant(schedule=occupation(False)))
    assert h.final(near, "trust", place="centro") > h.final(far, "trust", place="centro")
    assert h.total(near, "local_recruits", place="centro") < h.total(
        far, "local_recruits", place="centro"
    )
    # and none of it without residents' cooperation
    deaf = {"residents.cooperation": 0.0}
    near0 = h.runs(h.variant(deaf, schedule=occupation(True)))
    far0 = h.runs(h.variant(deaf, schedule=occupation(False)))
    gap = h.total(far, "local_recruits", "centro") - h.total(near, "local_recruits", "centro")
    gap0 = h.total(far0, "local_recruits", "centro") - h.total(near0, "local_recruits", "centro")
    assert gap0 < gap
