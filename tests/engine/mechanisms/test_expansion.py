"""M7 Expansion: a gang that expects impunity pushes into its neighbours."""

from __future__ import annotations

from peacezones.scenario.schema import Engine
from tests.engine import helpers as h


def test_belief_in_impunity_brings_more_takeover_attempts() -> None:
    # without routine confrontations (M22), which keep the toy's gangs too small to try
    # where police stand, so that the police a gang expects are what holds it back
    calm = Engine(mechanisms_off=("force",))
    bold = h.runs(h.variant({"expansion.impunity_prior": 0.5}, engine=calm))
    wary = h.runs(h.variant({"expansion.impunity_prior": 0.0}, engine=calm))
    assert h.events(bold, "takeover_attempted") > h.events(wary, "takeover_attempted")


def test_time_in_a_zone_teaches_a_gang_impunity() -> None:
    with_zone = h.runs(h.toy())
    without = h.runs(h.variant(schedule=h.decisions("declare_zone")))
    peak = max(
        r.series.query("variable == 'belief' and gang == 'norte'")["value"].max() for r in with_zone
    )
    peak_without = max(
        r.series.query("variable == 'belief' and gang == 'norte'")["value"].max() for r in without
    )
    assert peak > peak_without


def test_alliances_form_between_neighbours() -> None:
    gangs = [g.model_dump() for g in h.toy().gangs]
    gangs[2]["home"], gangs[2]["territory"] = "barrio_sur", []  # monte next door to norte
    friendly = h.runs(h.variant({"expansion.alliance_rate": 0.01}, gangs=gangs))
    aloof = h.runs(h.variant({"expansion.alliance_rate": 0.0005}, gangs=gangs))
    assert h.events(friendly, "alliance") > h.events(aloof, "alliance")
