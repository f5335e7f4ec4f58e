"""The ablation switch: `[engine] mechanisms_off` turns a mechanism off by name."""

from __future__ import annotations

from types import ModuleType

import numpy as np
import pytest

from peacezones.engine import prepare, simulate
from peacezones.engine.mechanisms import collusion, impunity, politics, terrain
from peacezones.engine.step import BY_NAME, MODIFIERS, ORDER, step
from peacezones.scenario import ScenarioError, derive
from peacezones.scenario.schema import MECHANISMS
from tests.engine.helpers import SCALE, toy


def _off(*names: str):
    return derive(toy(), {"engine": {"mechanisms_off": list(names)}})


def test_every_mechanism_has_a_name_the_scenario_accepts() -> None:
    assert set(BY_NAME) == set(MECHANISMS)
    assert len(BY_NAME) == len(ORDER) + len(MODIFIERS)


def test_an_unknown_mechanism_is_a_scenario_error() -> None:
    with pytest.raises(ScenarioError, match=r"engine\.mechanisms_off\[0\]: found 'paxx'"):
        _off("paxx")


@pytest.mark.parametrize("module", ORDER, ids=lambda m: m.__name__.rsplit(".", 1)[-1])
def test_a_step_mechanism_switched_off_never_runs(
    module: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    name = module.__name__.rsplit(".", 1)[-1]
    world = prepare(_off(name), seed=1, scale=SCALE)

    def refuse(*args: object) -> None:
        raise AssertionError(f"{name} ran while switched off")

    monkeypatch.setattr(module, "run", refuse)
    for t in range(60):  # past the zone's declaration in week 52
        world.step = t
        step(world)


def test_modifiers_switched_off_have_no_effect() -> None:
    on = prepare(toy(), seed=1, scale=SCALE)
    off = prepare(_off("impunity", "politics", "collusion", "terrain"), seed=1, scale=SCALE)
    monte = on.gangs.ids.index("monte")
    loma = on.place_ids.index("loma")
    assert collusion.arrest_factors(on)[monte] < 1.0  # ties shield the rural gang
    assert np.all(collusion.arrest_factors(off) == 1.0)
    assert np.all(collusion.bribes(off, np.ones(len(off.gangs))) == 0.0)
    assert terrain.escape_chance(on, monte, loma) > 0.0
    assert terrain.escape_chance(off, monte, loma) == 0.0
    assert politics.raid_factor(off, monte) == 1.0
    for t in range(60):  # the zone comes in week 52
        for world in (on, off):
            world.step = t
            step(world)
    norte = on.gangs.ids.index("norte")
    assert impunity.turn_back(on)[norte] > 0.0
    assert np.all(impunity.turn_back(off) == 0.0)


def test_runs_without_a_mechanism_lack_what_it_makes() -> None:
    def kinds(scenario) -> list[str]:
        found: list[str] = []
        for seed in range(3):
            found += simulate(scenario, seed=seed, scale=SCALE).events["kind"].astype(str).tolist()
        return found

    full = kinds(toy())
    assert {"zone_declared", "pursuit_abandoned"} <= set(full)
    assert "zone_declared" not in kinds(_off("schedule"))
    assert "pursuit_abandoned" not in kinds(_off("impunity"))
