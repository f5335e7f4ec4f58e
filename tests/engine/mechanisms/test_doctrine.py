"""M17 Doctrine: the state's reactions follow its rules; remove a rule and it does not act."""

from __future__ import annotations

from peacezones.engine import prepare
from peacezones.engine.events import Kind
from peacezones.engine.mechanisms import doctrine, schedule
from peacezones.engine.world import OpKind
from tests.engine import helpers as h


def test_a_senior_official_killed_brings_a_targeted_operation() -> None:
    world = prepare(h.toy(), seed=0, scale=h.SCALE)
    monte = world.gangs.ids.index("monte")
    place = world.place_ids.index("loma")
    event = world.events.add(Kind.SENIOR_OFFICIAL_KILLED, place, monte)
    world.offend(monte, "senior_official_killed", place, event)
    doctrine.run(world, world.params, world.rng)
    ops = [op for op in world.operations if op.target == monte]
    assert ops
    assert ops[0].kind == OpKind.TARGETED


def test_without_its_expansion_rule_the_state_lets_expansion_pass() -> None:
    rules = [r.model_dump() for r in h.toy().doctrine.rules if r.id != "expansion"]
    # few local bands in the way, and most of the gang sent, so that the zone's gang does
    # push out and win places beyond its zone
    bold = {
        "expansion.impunity_prior": 0.5,
        "expansion.commit_share": 0.6,
        "local.capacity_per_1000": 1.0,
    }
    lenient = h.runs(h.variant(bold, doctrine={"rules": rules}))
    strict = h.runs(h.variant(bold))
    assert h.events(strict, "offensive") > h.events(lenient, "offensive")


def test_political_services_make_the_state_let_offences_pass() -> None:
    world = prepare(h.toy(), seed=0, scale=h.SCALE)
    monte = world.gangs.ids.index("monte")
    plain = doctrine.answer_chance(world, monte, 1.0, world.params)
    world.gangs.political[monte] = True
    useful = doctrine.answer_chance(world, monte, 1.0, world.params)
    assert useful < plain
    # the more the offences pile up, the likelier an answer, services or not
    assert doctrine.answer_chance(world, monte, 5.0, world.params) > useful
    world.off = frozenset({"politics"})
    assert doctrine.answer_chance(world, monte, 1.0, world.params) == plain


def test_delegated_justice_falls_back_to_the_state() -> None:
    world = prepare(h.toy(), seed=0, scale=h.SCALE)
    schedule.declare_zone(world, h.toy().schedule[0])
    menor = world.gangs.ids.index("menor")
    place = world.place_ids.index("barrio_norte")
    event = world.events.add(Kind.OFFICIAL_KILLED, place, menor)
    world.offend(menor, "official_killed", place, event)
    doctrine.run(world, world.params, world.rng)
    assert world.pending
    assert not world.operations
    world.step += 10
    doctrine.run(world, world.params, world.rng)
    assert any(op.target == menor for op in world.operations)
