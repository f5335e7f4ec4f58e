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


def test_members_who_leave_because_they_are_unpaid_are_counted_apart() -> None:
    """The run's gang table tells the exits that unpaid wages add from the steady ones."""
    from peacezones.engine import prepare
    from peacezones.engine.mechanisms import recruitment
    from peacezones.engine.world import Flow

    def flows(unpaid: float) -> tuple[float, float, float]:
        world = prepare(h.toy(), seed=0, scale=h.SCALE)
        start = world.members().sum()
        steady = gone = 0.0
        for _ in range(20):
            world.gangs.flows[:] = 0.0
            world.gangs.unpaid[:] = unpaid
            before = world.members().sum()
            recruitment._exits(world, world.params, world.rng)
            assert before - world.members().sum() == world.gangs.flows.sum()
            steady += world.gangs.flows[:, Flow.DESERTED].sum()
            gone += world.gangs.flows[:, Flow.UNPAID].sum()
        r = world.params.recruitment
        return steady / start, gone / start, r.unpaid_exit_rate / r.exit_rate

    steady, unpaid, _ = flows(0.0)
    assert steady > 0
    assert unpaid == 0
    steady, unpaid, ratio = flows(1.0)
    # each leaver counted once: unpaid in about the ratio of the two rates
    assert 0.5 * ratio < unpaid / steady < 2 * ratio
