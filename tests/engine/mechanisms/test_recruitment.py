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


def test_members_leave_in_proportion_to_the_wages_left_unpaid() -> None:
    from peacezones.engine import prepare
    from peacezones.engine.mechanisms import recruitment

    def left(unpaid: float) -> float:
        world = prepare(h.toy(), seed=0, scale=h.SCALE)
        start = world.members().sum()
        for _ in range(20):
            world.gangs.unpaid[:] = unpaid
            recruitment._exits(world, world.params, world.rng)
        return 1.0 - world.members().sum() / start

    paid, half, none = left(0.0), left(0.5), left(1.0)
    assert paid < half < none
    assert 0.5 * none < 2 * half - paid < 1.5 * none  # about linear in the share unpaid
