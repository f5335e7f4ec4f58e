"""Cross-record checks: ids, references, zones in force, evidence."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from peacezones import ScenarioError
from peacezones.scenario import parse_scenario
from tests.conftest import DATA

BASE = (DATA / "valid_minimal.toml").read_text("utf-8")

ZONE_A_END = """
[[schedule]]
date = {date}
action = "end_zone"
zone = "zone_a"
sources = ["synthetic"]
"""
ZONE_A_AGAIN = """
[[schedule]]
date = {date}
action = "declare_zone"
zone = "zone_a"
places = ["barrio"]
sources = ["synthetic"]
"""


def problems(text: str) -> list[str]:
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(text, "case.toml")
    return [p.render("case.toml") for p in caught.value.problems]


def test_a_zone_ended_before_it_is_declared() -> None:
    text = BASE + ZONE_A_END.format(date="2020-03-02")
    assert any("schedule[1].zone: found 'zone_a'; expected a zone in force" in m
               for m in problems(text))  # fmt: skip


def test_a_zone_declared_again_while_in_force() -> None:
    text = BASE + ZONE_A_AGAIN.format(date="2021-01-04")
    assert any("expected a zone not already in force (declared 2020-06-01" in m
               for m in problems(text))  # fmt: skip


def test_a_zone_relaunched_after_its_end_is_valid() -> None:
    text = BASE + ZONE_A_END.format(date="2020-09-07") + ZONE_A_AGAIN.format(date="2021-01-04")
    scenario = parse_scenario(text, "case.toml")
    assert [d.action for d in scenario.schedule] == ["declare_zone", "end_zone", "declare_zone"]


def test_duplicate_ids_name_the_first_use() -> None:
    text = BASE.replace('id = "town"', 'id = "barrio"')
    assert any("places[1].id: found 'barrio'; expected an id not already used (see places[0])"
               in m for m in problems(text))  # fmt: skip


def test_a_gang_allied_with_itself() -> None:
    text = BASE.replace('home = "barrio"', 'home = "barrio"\nallies = ["band"]')
    assert any("gangs[0].allies: found 'band'; expected other gangs" in m for m in problems(text))


def test_a_second_edge_between_the_same_places() -> None:
    edge = """
[[edges]]
a = "town"
b = "barrio"
kind = "road"
cost = 2.0
sources = ["synthetic"]
"""
    assert any("expected one edge per pair of places" in m for m in problems(BASE + edge))


def test_unknown_zone_in_end_zone() -> None:
    text = BASE + ZONE_A_END.format(date="2021-03-01").replace("zone_a", "zone_z")
    assert any("found 'zone_z'; expected the id of a zone declared" in m for m in problems(text))


def test_assumed_must_name_a_data_field(tmp_path: Path) -> None:
    text = BASE.replace("population = 20000", 'population = 20000\nassumed = { colour = "x" }')
    assert any("places[0].assumed.colour: found 'colour'; expected a data field" in m
               for m in problems(text))  # fmt: skip


def test_a_misspelt_parameter_group_or_name_gets_did_you_mean() -> None:
    """A group or name the model does not read is refused by `scenario validate` as `run`
    would, once, with the nearest names; not as a parameter missing its fields."""
    group = '\n[parameters.recruitmnt]\nbase_rate = { value = 0.01, assumed = "x" }\n'
    line = (BASE + group).splitlines().index("[parameters.recruitmnt]") + 1
    assert problems(BASE + group) == [
        f"case.toml:{line}: parameters.recruitmnt: found 'recruitmnt'; expected a group of "
        "the model's parameters; did you mean 'recruitment'?"
    ]
    name = '\n[parameters.recruitment]\nbase_rat = { value = 0.01, assumed = "x" }\n'
    line = (BASE + name).splitlines().index(name.splitlines()[-1]) + 1
    assert problems(BASE + name) == [
        f"case.toml:{line}: parameters.recruitment.base_rat: found 'base_rat'; expected a "
        "parameter of group 'recruitment' that the model reads; did you mean 'base_rate'?"
    ]


def test_parameters_neither_written_nor_inherited_are_refused() -> None:
    """Without ``from``, every parameter the model reads must be written: a scenario that
    `run` would refuse fails `scenario validate` too, one line per missing group."""
    head = BASE.split("[parameters")[0]
    inherit = '(or inherit them all with [parameters] from = "venezuela")'
    assert problems(head) == [
        "case.toml: parameters: found nothing; expected the parameters that the model "
        f"reads {inherit}"
    ]
    one = (
        '\n[parameters.recruitment]\nbase_rate = { value = 0.01, unit = "x", '
        'range = [0.0, 1.0], assumed = "y" }\n'
    )
    found = problems(head + one)
    assert any(
        m.endswith("parameters.pax: found nothing; expected the group's parameters "
                   "(encounter_rate, transit_exposure, pact_restraint, unprovoked, "
                   "grievance_boldness, senior_share, punishment_base, massacre_share), or "
                   'inherit them all with [parameters] from = "venezuela"')
        for m in found
    ), found  # fmt: skip
    assert any("parameters.recruitment.pool_half: found nothing; expected a parameter that "
               f"the model reads {inherit}" in m for m in found)  # fmt: skip


def test_dates_outside_the_era_are_refused() -> None:
    """A thousand-year run from a typo (1013 for 2013) is refused."""
    text = BASE.replace("start = 2020-01-06", "start = 1013-01-06", 1)
    assert any("meta.start: found 1013-01-06; expected a date from 1900 to 2100" in m
               for m in problems(text))  # fmt: skip


def test_control_characters_in_any_text_are_refused() -> None:
    text = BASE.replace('name = "Barrio"', 'name = "Bar\\u0000rio"', 1)
    text = text.replace('title = "', 'title = "\\u202e', 1)
    found = problems(text)
    assert any("places[0].name: found 'Bar\\x00rio'; expected text without control "
               "characters (found U+0000 at position 3)" in m for m in found)  # fmt: skip
    assert any("meta.title" in m and "U+202E" in m for m in found)


def test_residents_must_allow_a_rate_and_hold_the_gangs() -> None:
    """No residents anywhere gave NaN in every rate; a gang larger than its places was
    cut to their residents, silently, leaving the next gang there with none."""
    empty = re.sub(r"\npopulation = \d+", "\npopulation = 0", BASE)
    assert any("places: found no residents in any place; expected a population above 0"
               in m for m in problems(empty))  # fmt: skip
    huge = BASE.replace("members = 50", "members = 1000000000", 1)
    assert any("gangs[0].members: found 1000000000; expected at most the residents of its "
               "home and territory (20,000)" in m for m in problems(huge))  # fmt: skip


def test_an_end_before_the_start_is_told_once_with_the_date_as_written() -> None:
    """It used to read ``found datetime.date(2012, 12, 26)``, then fail every year against it."""
    text = re.sub(r"\nend = \S+", "\nend = 2012-12-26", BASE, count=1)
    line = text.splitlines().index("end = 2012-12-26") + 1
    assert problems(text) == [
        f"case.toml:{line}: meta.end: found 2012-12-26; expected a date after start (2020-01-06)"
    ]


def test_what_a_run_could_not_judge_or_would_get_wrong_is_refused() -> None:
    """From a hostile tester's list: each was accepted, then gave NaN, inf or wrong rates."""
    emigration = (
        '\n[[context]]\nid = "abroad"\ndriver = "emigration"\nunit = "people"\n'
        'years = [2020, 2024]\nvalues = [0.0, 600000.0]\nsources = ["synthetic"]\n'
    )
    assert any("values: found a rise of 600,000 people abroad; expected less than the "
               "scenario's 50,000 residents" in m for m in problems(BASE + emigration))  # fmt: skip
    daily = BASE.replace("start = 2020-01-06", "start = 2020-01-06\nstep_days = 1", 1)
    assert any("meta.step_days: found 1; expected 7: the model's rates are per week" in m
               for m in problems(daily))  # fmt: skip
    lies = BASE + '\n[parameters.pax]\nencounter_rate = { inherited = "lies", value = 1e-5, ' \
        'assumed = "x" }\n'  # fmt: skip
    assert any("encounter_rate.inherited: found 'lies'" in m for m in problems(lies))
    broken = BASE.replace('name = "The Band"', 'name = "The\\nBand"', 1)
    assert any("gangs[0].name" in m and "U+000A" in m for m in problems(broken))


def test_an_id_twice_in_a_list_is_refused() -> None:
    """A truce between a gang and itself, a territory listed twice: slips, told as such."""
    text = BASE.replace(
        'home = "barrio"', 'home = "barrio"\nrevenue = ["extortion", "extortion"]', 1
    )
    assert any("gangs[0].revenue[1]: found 'extortion'; expected each id once in the list" in m
               for m in problems(text))  # fmt: skip


OBS = '\n[[observations]]\nvariable = "violent_deaths_per_100k"\nyear = 2020\nvalue = {v}\n' \
    'sources = ["synthetic"]\n{extra}'  # fmt: skip


def test_odd_observations_and_sources_are_refused() -> None:
    negative = problems(BASE + OBS.format(v="-10.0", extra=""))
    assert any("observations[0].value: found -10.0" in m for m in negative)
    both = problems(BASE + OBS.format(v="50.0", extra='area = "all"\nplaces = ["barrio"]\n'))
    assert any("observations[0].area: found 'all'; expected area or places, not both" in m
               for m in both)  # fmt: skip
    twice = problems(BASE + OBS.format(v="50.0", extra="") + OBS.format(v="60.0", extra=""))
    assert any("observations[1].year: found 2020; expected one observation of a variable"
               in m for m in twice)  # fmt: skip
    empty = BASE.replace('synthetic = "Made up for tests."', 'synthetic = ""', 1)
    assert any("sources.synthetic" in m for m in problems(empty))


def test_a_second_tester_s_scenario_slips_are_refused() -> None:
    blank = BASE.replace('leader = { alias = "Boss" }', 'leader = { alias = "   " }', 1)
    assert any("gangs[0].leader.alias" in m for m in problems(blank))
    unit = (
        '\n[[forces.units]]\nid = "army"\nplace = "barrio"\nunit = "army"\n'
        'size = 999999999\nuse_of_force = 1000000.0\nsources = ["synthetic"]\n'
    )
    found = problems(BASE + unit)
    assert any("forces.units[0].size: found 999999999; expected at most the scenario's "
               "residents (50,000)" in m for m in found)  # fmt: skip
    assert any("forces.units[0].use_of_force: found 1000000.0" in m for m in found)
    members = BASE + OBS.format(v="50.0", extra="").replace(
        '"violent_deaths_per_100k"', '"members"'
    ).replace("value = 50.0", 'value = 50.0\nplaces = ["barrio"]')
    assert any("observations[0].places: found ['barrio']; expected no places or area: the "
               "variable is a gang's" in m for m in problems(members))  # fmt: skip


RULE = """
[[doctrine.rules]]
id = "odd"
trigger = "visible_violence"
threshold = 1
window_weeks = 4
response = "{response}"
officers = {officers}
weeks = 4
sources = ["synthetic"]
"""
PATTERN = """
[[patterns]]
id = "odd"
title = "x"
mechanisms = ["pax"]
sources = ["synthetic"]
{body}
"""


def test_a_third_tester_s_slips_are_refused_with_words_not_quotes() -> None:
    """A rule that answers nothing sends no one; officers come from the scenario's
    people; weapons arm members; a first step or a trigger has nothing to count weeks
    from; an event count counts events; what was found in words is not quoted."""
    found = problems(BASE + RULE.format(response="none", officers=5000))
    assert any("doctrine.rules[0].response: found response = 'none' with officers = 5000, "
               "weeks = 4; expected no officers" in m for m in found)  # fmt: skip
    found = problems(BASE + RULE.format(response="offensive", officers=999999999))
    assert any("doctrine.rules[0].officers: found 999999999; expected at most the "
               "scenario's residents (50,000)" in m for m in found)  # fmt: skip
    armed = BASE.replace("weapons = 40", "weapons = 9000000", 1)
    assert any("gangs[0].weapons: found 9000000; expected at most one per member (50)" in m
               for m in problems(armed))  # fmt: skip
    first = ('statistic = "sequence"\nabove = 0.5\n'
             'steps = [{ events = ["offensive"], within_weeks = 4 }]')  # fmt: skip
    assert any("patterns[0].steps: found within_weeks = 4 in the first step" in m
               for m in problems(BASE + PATTERN.format(body=first)))  # fmt: skip
    cases = ('statistic = "cases"\nabove = 0.1\nwithin_weeks = 8\nreplies = [{ label = "x", '
             'events = ["arrest"] }]\ntrigger = { events = ["offensive"], gang_as = "target", '
             "within_weeks = 3 }")  # fmt: skip
    assert any("patterns[0].trigger: found within_weeks = 3 in the trigger" in m
               for m in problems(BASE + PATTERN.format(body=cases)))  # fmt: skip
    counted = (
        'statistic = "event_count"\nabove = 0\nmeasure = { variable = "members", how = "mean" }'
    )
    assert any("patterns[0].measure: found variable = 'members'; expected events" in m
               for m in problems(BASE + PATTERN.format(body=counted)))  # fmt: skip
    both = ('statistic = "level"\nabove = 0\n'
            'measure = { variable = "members", events = ["arrest"], how = "mean" }')  # fmt: skip
    assert any("found both a variable and events; expected either" in m
               for m in problems(BASE + PATTERN.format(body=both)))  # fmt: skip
    traffic = BASE.replace("population = 30000", "population = 30000\ntraffic = 1e15", 1)
    assert any("places[1].traffic: found 1000000000000000.0; expected a number less than or "
               "equal to 100000000" in m for m in problems(traffic))  # fmt: skip


def test_a_value_of_one_form_or_another_is_told_once() -> None:
    """A date field that also takes a keyword, given neither, is one problem naming both
    forms (the library tells one per form)."""
    text = BASE.replace("date = 2020-06-01", 'date = "yesterday"', 1)
    found = [m for m in problems(text) if "schedule[0].date" in m]
    assert len(found) == 1, found


def test_a_decision_written_twice_is_refused() -> None:
    """Two removals of one leader on one day (or two identical crackdowns) would act
    twice; the second names the first."""
    removal = ('\n[[schedule]]\ndate = 2021-03-01\naction = "remove_leader"\ngang = "band"\n'
               'mode = "kill"\nsources = ["synthetic"]\n')  # fmt: skip
    found = problems(BASE + removal + removal)
    assert any("schedule[2]: found the decision of schedule[1] again; expected each decision "
               "once" in m for m in found)  # fmt: skip
    assert len(found) == 1, found
    # killed and captured on the same day: one leader is removed once
    assert problems(BASE + removal + removal.replace('"kill"', '"capture"'))


def test_a_rule_that_sends_no_one_and_a_home_in_its_own_territory_are_refused() -> None:
    found = problems(BASE + RULE.format(response="offensive", officers=0))
    assert any("doctrine.rules[0].response: found offensive with officers = 0, weeks = 4; "
               "expected officers and weeks above 0" in m for m in found)  # fmt: skip
    home = BASE.replace('home = "barrio"', 'home = "barrio"\nterritory = ["barrio"]', 1)
    assert any("gangs[0].territory: found 'barrio'; expected places besides the gang's home"
               in m for m in problems(home))  # fmt: skip


def test_too_many_members_at_a_place_are_told_at_the_gang_that_puts_them_there() -> None:
    second = ('\n[[gangs]]\nid = "other"\nname = "Other"\nleader = { alias = "B" }\n'
              'home = "barrio"\nmembers = 40\nmembers_by_place = { barrio = 40 }\nweapons = 10\n'
              'treasury = 0.0\nsources = ["synthetic"]\n')  # fmt: skip
    text = BASE.replace("population = 20000", "population = 60", 1) + second
    assert any("gangs[1].members_by_place.barrio: found 90 members of gangs at barrio; "
               "expected at most its residents (60)" in m for m in problems(text))  # fmt: skip
