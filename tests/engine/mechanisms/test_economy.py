"""M3 Illicit economy: corridors without police are preyed on; police suppress business."""

from __future__ import annotations

import numpy as np
import pytest

from peacezones.engine import prepare
from peacezones.engine.mechanisms import economy
from peacezones.engine.world import CONDITIONS
from peacezones.scenario.schema import Condition
from tests.engine import helpers as h


def test_a_corridor_left_without_police_sees_more_robbery_and_kidnapping() -> None:
    bare = h.runs(h.toy())  # the toy schedule withdraws the corridor's police
    policed = h.runs(h.variant(schedule=h.decisions("patrol")))
    assert h.total(bare, "highway_robbery", place="autopista") > 1.5 * h.total(
        policed, "highway_robbery", place="autopista"
    )
    assert h.total(bare, "kidnapping", place="autopista") > h.total(
        policed, "kidnapping", place="autopista"
    )


def _revenue(officers: float, seed: int) -> float:
    """Monte's takings in one week with ``officers`` at every place."""
    world = prepare(h.toy(), seed=seed, scale=h.SCALE)
    monte = world.gangs.ids.index("monte")
    world.police = np.full(world.n_places, officers)
    economy.run(world, world.params, world.rng)
    return float(world.gangs.revenue[monte])


def test_police_presence_lowers_a_gang_s_revenue() -> None:
    heavy = sum(_revenue(300.0, seed) for seed in range(5))
    light = sum(_revenue(0.0, seed) for seed in range(5))
    assert heavy < 0.8 * light


def test_weapons_are_bought_with_money_up_to_one_per_member() -> None:
    world = prepare(h.toy(), seed=0, scale=h.SCALE)
    g, p = world.gangs, world.params
    members = world.members()
    g.weapons[:] = 0.0
    g.treasury[:] = 1e9  # rich enough to arm many times over
    economy.run(world, p, world.rng)
    assert (g.weapons <= members).all()
    assert (g.weapons[members > 0] > 0).all()
    g.treasury[:] = 0.0  # broke: nothing above the reserve to spend
    before = g.weapons.copy()
    world.members_changed()
    economy.run(world, p, world.rng)
    assert (g.weapons <= np.maximum(before, world.members())).all()


def test_a_gang_keeping_a_pact_ban_on_crime_takes_nothing() -> None:
    def treasury(keeps: bool) -> float:
        world = prepare(h.toy(), seed=0, scale=h.SCALE)
        norte = world.gangs.ids.index("norte")
        world.gangs.keeps[norte, CONDITIONS.index(Condition.STOP_ILLEGAL_ACTIVITY)] = keeps
        world.gangs.treasury[norte] = 0.0  # nothing above the reserve: no spending
        economy.run(world, world.params, world.rng)
        return float(world.gangs.treasury[norte])

    assert treasury(keeps=True) == 0.0  # wages unpaid, nothing taken
    assert treasury(keeps=False) > 0.0


def test_a_gang_short_of_money_owes_the_share_of_wages_it_cannot_pay() -> None:
    world = prepare(h.toy(), seed=0, scale=h.SCALE)
    g, p = world.gangs, world.params
    world.police = np.full(world.n_places, 1e6)  # no business survives: no takings
    members = world.members().astype(float)
    wages = members * p.economy.wage_per_member
    g.treasury[:] = 0.25 * wages  # a quarter of the week's wages, no more
    g.revenue[:] = 0.0
    economy.run(world, p, world.rng)
    paid = members > 0
    # bribes are paid from takings only, so three quarters of the wages go unpaid
    assert np.allclose(g.unpaid[paid], 0.75)
    assert (g.unpaid[~paid] == 0.0).all()
    assert (g.treasury == 0.0).all()


def test_income_is_what_crime_takes_not_the_zone_s_aid() -> None:
    """A gang's income (P1's profits) is its takings this step: it rises where the police
    stand back, and aid that fills its treasury is not part of it."""
    from peacezones.engine.step import step

    world = prepare(h.toy(), seed=0, scale=h.SCALE)
    monte = world.gangs.ids.index("monte")
    world.police = np.zeros(world.n_places)
    economy.run(world, world.params, world.rng)
    assert world.gangs.income[monte] == world.gangs.revenue[monte] > 0
    world.gangs.treasury[monte] += 1e6  # aid, say: no income
    step(world)  # a new step starts from nothing
    assert world.gangs.income[monte] < 1e6
    policed = sum(_income(300.0, seed) for seed in range(5))
    free = sum(_income(0.0, seed) for seed in range(5))
    assert policed < 0.8 * free


def _income(officers: float, seed: int) -> float:
    world = prepare(h.toy(), seed=seed, scale=h.SCALE)
    world.police = np.full(world.n_places, officers)
    economy.run(world, world.params, world.rng)
    return float(world.gangs.income.sum())


def _drug_sales(parameters: dict[str, float] | None = None, members: float = 1.0) -> float:
    """Norte's drug sales in one week, its members multiplied by ``members``, without
    police (the toy's only drug gang)."""
    world = prepare(h.variant(parameters), seed=0, scale=h.SCALE)
    norte = world.gangs.ids.index("norte")
    members_at = world.members_at() * members
    free = np.ones(world.n_places)
    return float(economy._drugs(world, members_at, free, world.params)[norte])


def test_a_few_sellers_sell_all_they_offer_and_many_no_more_than_buyers_spend() -> None:
    world = prepare(h.toy(), seed=0, scale=h.SCALE)
    p = world.params.economy
    offer = world.members_at()[world.gangs.ids.index("norte")].sum() * p.drug_revenue_per_member
    few = _drug_sales(members=0.01)
    assert few > 0.95 * 0.01 * offer  # a market far larger than the offer takes it all
    spend = world.civilians.sum() * p.drug_spend_per_resident
    many = _drug_sales(members=1000.0)
    assert spend * 0.5 < many <= spend  # a thousand times the sellers: the market is sold out
    assert _drug_sales(members=2000.0) < 1.01 * many  # and more sellers sell no more


def test_buyers_who_travel_further_bring_a_hub_more_sales() -> None:
    # Barrio Norte lies 0.3 hours from Barrio Sur and from the centre: within 0.2 hours
    # its sellers meet their own barrio's buyers only, within 0.5 the whole town's
    near = _drug_sales({"economy.drug_reach_hours": 0.2}, members=1000.0)
    far = _drug_sales({"economy.drug_reach_hours": 0.5}, members=1000.0)
    assert far > 3.0 * near


def test_sellers_at_a_place_share_its_sales_in_proportion_to_what_they_offer() -> None:
    world = prepare(h.toy(), seed=0, scale=h.SCALE)
    world.gangs.drug[:] = True  # every gang sells, with members only at Barrio Norte
    norte, menor = (world.gangs.ids.index(g) for g in ("norte", "menor"))
    place = world.place_ids.index("barrio_norte")
    members_at = np.zeros((len(world.gangs), world.n_places))
    members_at[norte, place], members_at[menor, place] = 3000.0, 1000.0  # a sold-out market
    p = world.params
    sales = economy._drugs(world, members_at, np.ones(world.n_places), p)
    assert sales[norte] == pytest.approx(3.0 * sales[menor])
    buyers = world.within(p.economy.drug_reach_hours)[place].toarray().ravel() > 0
    spend = world.civilians[buyers].sum() * p.economy.drug_spend_per_resident
    assert 0.5 * spend < sales.sum() <= spend  # together no more than the buyers bring
    assert sales[[g for g in range(len(world.gangs)) if g not in (norte, menor)]].sum() == 0.0


def test_places_within_reach_follow_the_shortest_journeys() -> None:
    world = prepare(h.toy(), seed=0, scale=h.SCALE)
    i = {place: n for n, place in enumerate(world.place_ids)}
    # Barrio Norte - Centro 0.3 hours, Centro - Cuartel 0.1: Cuartel is 0.4 hours away
    reach = world.within(0.4).toarray()
    assert (np.diag(reach) == 1.0).all()  # each place within reach of itself
    assert reach[i["barrio_norte"], i["cuartel"]] == reach[i["cuartel"], i["barrio_norte"]] == 1
    assert reach[i["barrio_norte"], i["autopista"]] == 0  # 0.3 + 0.8 hours
    assert world.within(1.1).toarray()[i["barrio_norte"], i["autopista"]] == 1
    assert world.within(0.39).toarray()[i["barrio_norte"], i["cuartel"]] == 0
