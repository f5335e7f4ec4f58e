"""The chronicle tells notable events as dated sentences with causes, in date order."""

from __future__ import annotations

import pandas as pd

from peacezones.engine import simulate
from peacezones.report.chronicle import chronicle
from tests.engine.helpers import SCALE, toy


def _lines() -> list[str]:
    result = simulate(toy(), seed=2, scale=SCALE)
    return list(chronicle(result.events, toy()))


def test_lines_are_dated_and_in_order() -> None:
    lines = _lines()
    dates = [pd.Timestamp(line[:10]) for line in lines]
    assert dates == sorted(dates)
    assert any("The state declares a peace zone in Barrio Norte." in line for line in lines)


def test_caused_events_name_their_cause() -> None:
    lines = (chronicle(simulate(toy(), seed=s, scale=SCALE).events, toy()) for s in range(5))
    assert any("[after " in line for told in lines for line in told)


def test_each_year_summarises_routine_events_per_gang() -> None:
    yearly = [line for line in _lines() if "-12-31  In " in line]
    assert any("Banda del Norte recruits" in line for line in yearly)
    assert any("takes in" in line and "USD of zone aid" in line for line in yearly)
    assert any("pursuits turn back at its zone's border" in line for line in yearly)


def test_an_attacker_that_never_held_the_place_gives_up_rather_than_loses_it() -> None:
    day = pd.Timestamp("2020-01-06")
    events = pd.DataFrame(
        {
            "event": [0, 1, 2],
            "date": [day, day + pd.Timedelta(weeks=8), day + pd.Timedelta(weeks=9)],
            "kind": ["takeover_attempted", "takeover_lost", "takeover_lost"],
            "place": ["centro", "centro", "barrio_sur"],
            "actor": ["norte", "norte", "norte"],
            "target": ["", "", ""],
            "count": [10.0, 1.0, 1.0],
            "cause": [-1, 0, -1],
        }
    )
    lines = list(chronicle(events, toy()))
    gave_up = "Banda del Norte gives up its attempt on Centro (rest of the city)."
    assert any(gave_up in line for line in lines)
    assert any("Banda del Norte loses its hold on Barrio Sur." in line for line in lines)


def test_yearly_lines_count_one_in_the_singular() -> None:
    events = pd.DataFrame(
        {
            "event": [0, 1],
            "date": [pd.Timestamp("2020-03-02"), pd.Timestamp("2020-05-04")],
            "kind": ["pursuit_abandoned", "recruitment"],
            "place": ["barrio_norte", "barrio_norte"],
            "actor": ["norte", "norte"],
            "target": ["", ""],
            "count": [1.0, 12.0],
            "cause": [-1, -1],
        }
    )
    (line,) = list(chronicle(events, toy()))
    assert "sees 1 pursuit turn back" in line
    assert "recruits 12 members" in line


def test_the_violence_of_unnamed_actors_is_told_once_a_year() -> None:
    lines = _lines()
    yearly = [line for line in lines if "the local armed groups kill" in line]
    assert len(yearly) == 3  # one a year of the toy's three
    assert all("-12-31  In " in line for line in yearly)
    # an official killed by no named gang is not told as a sentence with an empty name
    assert not any(line[12:].startswith(" kills an official") for line in lines)


def test_leaders_and_their_successors_have_names() -> None:
    day = pd.Timestamp("2020-01-06")
    kinds = ["leader_killed", "leader_succeeded", "leader_jailed", "leader_succeeded"]
    events = pd.DataFrame(
        {
            "event": [0, 1, 2, 3],
            "date": [day + pd.Timedelta(weeks=w) for w in range(4)],
            "kind": kinds,
            "place": ["barrio_norte"] * 4,
            "actor": ["norte"] * 4,
            "target": [""] * 4,
            "count": [1.0] * 4,
            "cause": [-1] * 4,
        }
    )
    lines = [line[12:] for line in chronicle(events, toy())]
    leader = toy().gang("norte").leader.alias
    assert lines == [
        f"{leader}, the leader of Banda del Norte, is killed.",
        f"The successor of {leader} takes over Banda del Norte.",
        f"The successor of {leader}, the leader of Banda del Norte, is captured.",
        f"The second successor of {leader} takes over Banda del Norte.",
    ]


def test_a_crackdown_over_several_places_says_so() -> None:
    """A crackdown's event names its first place; the chronicle adds how many more the
    decision covered, in its own line and where it is a cause."""
    from peacezones.report.chronicle import Names, entries

    day = pd.Timestamp("2020-01-06")
    names = Names(
        {"a": "Alto", "b": "Bajo", "c": "Centro"}, {"g": "Banda"}, {},
        [{"date": "2020-01-01", "action": "crackdown", "places": ["a", "b", "c"]}],
    )  # fmt: skip
    events = pd.DataFrame(
        {
            "event": [0, 1],
            "date": [day, day + pd.Timedelta(days=7)],
            "kind": ["crackdown", "official_killed"],
            "place": ["a", "b"],
            "actor": ["", "g"],
            "target": ["", ""],
            "count": [300.0, 1.0],
            "cause": [-1, 0],
        }
    )
    lines = [e.line() for e in entries(events, names)]
    assert "crackdown in Alto and 2 other places with 300 officers" in lines[0]
    assert "[after a crackdown in Alto and 2 other places, 2020-01-06]" in lines[1]


def test_an_effect_is_not_told_before_the_decision_that_caused_it() -> None:
    """A decision acts from the first day of its week: what it does that week is dated
    from the decision's own day (a capture was once told three days before the order)."""
    from peacezones.report.chronicle import Names, entries

    week = pd.Timestamp("2011-11-07")
    names = Names(
        {"a": "Alto"}, {"g": "Banda"}, {},
        [{"date": "2011-11-10", "action": "target_leader", "gang": "g"}],
    )  # fmt: skip
    events = pd.DataFrame(
        {
            "event": [0, 1],
            "date": [week, week],
            "kind": ["decision", "leader_jailed"],
            "place": ["a", "a"],
            "actor": ["", "g"],
            "target": ["", ""],
            "count": [0.0, 1.0],
            "cause": [-1, 0],
        }
    )
    told = {e.kind: e for e in entries(events, names)}
    assert told["leader_jailed"].date == pd.Timestamp("2011-11-10")
    assert "[after the state's decision of 2011-11-10]" in told["leader_jailed"].line()


def test_a_gangs_many_killings_of_officials_are_counted_not_listed() -> None:
    """Beyond the first few a year, a named gang's killings of officials are counted in
    its yearly line, so that a gang of thousands does not bury the story."""
    import pandas as pd

    from peacezones import load_scenario
    from peacezones.report.chronicle import TOLD_EACH_YEAR, chronicle

    day = pd.Timestamp("2021-03-01")
    rows = [
        {"event": i, "date": day + pd.Timedelta(weeks=i), "kind": "official_killed",
         "place": "barrio_norte", "actor": "norte", "target": "", "count": 1.0, "cause": -1}
        for i in range(TOLD_EACH_YEAR + 5)
    ]  # fmt: skip
    lines = list(chronicle(pd.DataFrame(rows), load_scenario("toy")))
    assert sum("kills an official" in line for line in lines) == TOLD_EACH_YEAR
    assert any("In 2021, Banda del Norte kills 5 more officials." in line for line in lines)


def test_what_follows_a_decision_in_its_week_is_not_told_before_it() -> None:
    """Not only what a decision caused: a succession the same week, after a leader's
    extradition, was told the day before the extradition."""
    from peacezones.report.chronicle import Names, entries

    week = pd.Timestamp("2008-05-12")
    names = Names(
        {"a": "Alto"}, {"g": "Banda"}, {},
        [{"date": "2008-05-13", "action": "remove_leader", "gang": "g", "mode": "extradite"}],
    )  # fmt: skip
    events = pd.DataFrame(
        {
            "event": [0, 1, 2],
            "date": [week, week, week],
            "kind": ["leader_succeeded", "decision", "leader_succeeded"],
            "place": ["a", "a", "a"],
            "actor": ["g", "", "g"],
            "target": ["", "", ""],
            "count": [1.0, 0.0, 1.0],
            "cause": [-1, -1, -1],
        }
    )
    told = [(e.kind, e.date) for e in entries(events, names)]
    assert told == [
        ("leader_succeeded", week),  # before the decision in the step: its week's first day
        ("decision", pd.Timestamp("2008-05-13")),
        ("leader_succeeded", pd.Timestamp("2008-05-13")),
    ]


def test_the_summary_tells_a_gangs_same_turn_twice_and_every_decision() -> None:
    """A fifth offensive against the same gang is no new turn of the story: the summary
    keeps the first two (a run's summary outgrew two screens on such repeats)."""
    from peacezones.report.chronicle import TOLD_AGAIN, Entry, summary

    day = pd.Timestamp("2016-01-04")
    rows = [
        *(Entry(day, "offensive", "a", ("g",), f"offensive {i}", "") for i in range(5)),
        Entry(day, "offensive", "a", ("h",), "offensive on another gang", ""),
        *(Entry(day, "decision", "a", (), f"decision {i}", "") for i in range(4)),
    ]
    told = [e.text for e in summary(rows)]
    assert told == [
        *(f"offensive {i}" for i in range(TOLD_AGAIN)),
        "offensive on another gang",
        *(f"decision {i}" for i in range(4)),
    ]
