"""M1 Peace-zone pact: police suspended and aid handed over, on weakly monitored terms."""

from __future__ import annotations

import datetime as dt

from tests.engine import helpers as h


def test_a_zone_makes_its_gang_richer_and_better_armed() -> None:
    with_zone = h.runs(h.toy())
    without = h.runs(h.variant(schedule=h.decisions("declare_zone")))
    assert h.final(with_zone, "weapons", gang="norte") > h.final(without, "weapons", gang="norte")
    assert h.final(with_zone, "treasury", gang="norte") > h.final(without, "treasury", gang="norte")


def test_diverted_aid_feeds_the_pact_gang() -> None:
    more = h.runs(h.variant({"pact.aid_diversion_share": 1.0}))
    less = h.runs(h.variant({"pact.aid_diversion_share": 0.3}))
    assert h.total(more, "aid_diverted") > 3 * h.total(less, "aid_diverted") * 0.99
    price = h.toy().param("economy", "weapon_price")

    def wealth(results: list) -> float:
        return h.final(results, "treasury", gang="norte") + price * h.final(
            results, "weapons", gang="norte"
        )

    assert wealth(more) > wealth(less)


def test_close_monitoring_with_a_sanction_ends_a_breaking_pact() -> None:
    def zone_with(monitoring: float) -> list[dict]:
        schedule = h.decisions()
        for d in schedule:
            if d["action"] == "declare_zone":
                d["terms"] = {**d["terms"], "monitoring": monitoring, "sanction": "end_zone"}
        return schedule

    watched = h.runs(h.variant({"pact.breach_killings": 1.0}, schedule=zone_with(1.0)))
    unwatched = h.runs(h.variant({"pact.breach_killings": 1.0}, schedule=zone_with(0.0)))
    assert h.events(watched, "pact_breach_seen") > 0
    assert h.events(unwatched, "pact_breach_seen") == 0
    assert h.final(watched, "in_zone") < h.final(unwatched, "in_zone")


def test_a_truce_s_aid_reaches_its_gangs_treasuries() -> None:
    def truce(aid: float) -> dict:
        return {
            "date": dt.date(2020, 1, 6), "action": "truce", "gangs": ["norte", "menor"],
            "weeks": 52, "aid_per_week": aid, "sources": ["synthetic"],
        }  # fmt: skip

    paid = h.runs(h.variant(schedule=h.decisions(add=(truce(5000.0),))))
    unpaid = h.runs(h.variant(schedule=h.decisions(add=(truce(0.0),))))

    def treasury(results: list) -> float:
        """The truce's gangs' mean treasury over the truce's year (2020)."""
        total = 0.0
        for r in results:
            s = r.series
            rows = s[(s["variable"] == "treasury") & s["gang"].isin(["norte", "menor"])]
            total += rows[rows["date"].dt.year == 2020]["value"].mean()
        return total

    assert treasury(paid) > treasury(unpaid)
