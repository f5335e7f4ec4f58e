"""docs/ODD.md stays true: it names every mechanism module and every parameter read."""

from __future__ import annotations

import re
from pathlib import Path

from peacezones.engine.step import ALL, ORDER, required_parameters

ODD = (Path(__file__).parents[2] / "docs" / "ODD.md").read_text("utf-8")


def test_every_mechanism_module_is_described() -> None:
    for module in ALL:
        name = module.__name__.rsplit(".", 1)[-1]
        assert f"`{name}.py`" in ODD, name


def test_every_parameter_is_named() -> None:
    for group, names in required_parameters().items():
        for name in names:
            assert name in ODD, f"{group}.{name}"


def test_the_process_order_matches_the_step_function() -> None:
    section = ODD.split("## 3. Process overview and scheduling")[1].split("## 4.")[0]
    names = [m.__name__.rsplit(".", 1)[-1] for m in ORDER]
    found = [re.search(rf"\*\*(?:M\d+ )?{name}\*\*", section) for name in names]
    assert all(found), [n for n, f in zip(names, found, strict=True) if not f]
    starts = [f.start() for f in found if f]
    assert starts == sorted(starts)


def test_every_event_kind_and_series_variable_is_listed_for_patterns() -> None:
    """Section 8 lists what a pattern or observation can read: every kind of event and
    every variable of the series."""
    from peacezones import load_scenario
    from peacezones.engine import simulate
    from peacezones.engine.events import Kind

    section = ODD.split("### What a pattern can read")[1].split("###")[0]
    assert [k.value for k in Kind if f"`{k.value}`" not in section] == []
    series = simulate(load_scenario("toy"), seed=0, scale=0.02).series
    assert [v for v in sorted(set(series["variable"])) if f"`{v}`" not in section] == []
