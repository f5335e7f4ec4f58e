"""The patterns P1-P12 of SPEC section 4, and the level checks, as statistics.

Each run yields per-run statistics (:func:`statistics`), kept in the store beside its
outcomes. A pattern compares them across the validation arms: the historical schedule,
the same scenario without peace zones, and contrasts that switch one gang trait off. A
paired difference passes when its 95% interval lies on the expected side of zero; a
pooled share passes when it clears its bar. docs/ODD.md defines each statistic.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..engine import RunResult
from ..scenario import Scenario, derive
from .statistics import mean_interval, paired_difference

GANG_KILLINGS = ("homicides_gang_on_gang", "homicides_gang_on_civilian")
HOMICIDES = (*GANG_KILLINGS, "homicides_by_police", "homicides_other")
STATISTICS_VERSION = 5  # part of each run's id: stored statistics of another version are redone
LAST_YEARS_LEFT_OUT = 2  # growth and governance are read before the scenario's last years
WEEKS_A_YEAR = 365.25 / 7
AFTERMATH_WEEKS = 26
MOST = 0.5  # "in most replicates"
LEVEL_BAND = (0.5, 1.5)  # a modelled rate within these multiples of the observed one


# --- per-run statistics ----------------------------------------------------------------


def statistics(result: RunResult) -> dict[str, float]:
    """Every per-run statistic the patterns and level checks read."""
    s, e = result.series, result.events
    stats: dict[str, float] = {}
    first, last = _window(result)
    stats |= _growth(s, last)
    stats |= _governance(s, first, last)
    stats |= _by_gang(e)
    stats |= _rates(result)
    stats |= _uncontested_vs_disputed(s)
    stats |= _sequence(result)
    stats |= _pax(result)
    stats |= _seniors(result)
    stats |= _returns(e)
    return stats


def _window(result: RunResult) -> tuple[int, int]:
    """The years the growth and governance statistics read: from the second year of the
    scenario to its last years but two (in the real case 2014-2020, before the offensives
    that the patterns P6 and P8 are about)."""
    meta = result.scenario.meta
    return meta.start.year + 1, meta.end.year - LAST_YEARS_LEFT_OUT


def _growth(s: pd.DataFrame, last_year: int) -> dict[str, float]:
    """Log growth of members, weapons and treasury per gang: the mean over the window's last
    year against the mean over the scenario's first year (means steady the noisy treasury)."""
    out = {}
    for var in ("members", "weapons", "treasury"):
        rows = s[s["variable"] == var]
        year = rows["date"].dt.year
        first = rows[year == year.min()].groupby("gang", observed=True)["value"].mean()
        last = rows[year == last_year].groupby("gang", observed=True)["value"].mean()
        for gang in first.index:
            out[f"growth.{var}.{gang}"] = float(
                np.log1p(last.get(gang, 0.0)) - np.log1p(first[gang])
            )
    return out


def _governance(s: pd.DataFrame, first: int, last: int) -> dict[str, float]:
    rows = s[(s["variable"] == "governance") & s["date"].dt.year.between(first, last)]
    return {
        f"governance.{p}": float(v)
        for p, v in rows.groupby("place", observed=True)["value"].mean().items()
    }


def _by_gang(e: pd.DataFrame) -> dict[str, float]:
    out = {}
    for kind, name in (
        ("crime_outside_zone", "crimes_outside"),
        ("pursuit_abandoned", "pursuits_abandoned"),
    ):
        rows = e[e["kind"] == kind]
        for gang, n in rows.groupby("actor", observed=True)["count"].sum().items():
            out[f"{name}.{gang}"] = float(n)
    hits = e[e["kind"].isin(["arrest", "homicide_by_police"]) & (e["target"] != "")]
    for (kind, gang), n in hits.groupby(["kind", "target"], observed=True)["count"].sum().items():
        out[f"{kind}.{gang}"] = float(n)
    arrests = e[e["kind"].isin(["arrest", "pursuit_arrest"])]
    caught = pd.concat(
        [
            arrests.loc[arrests["kind"] == "arrest", ["target", "count"]].rename(
                columns={"target": "gang"}
            ),
            arrests.loc[arrests["kind"] == "pursuit_arrest", ["actor", "count"]].rename(
                columns={"actor": "gang"}
            ),
        ]
    )
    crimes = e[e["kind"] == "crime_outside_zone"].groupby("actor", observed=True)["count"].sum()
    for gang, n in (
        caught[caught["gang"] != ""].groupby("gang", observed=True)["count"].sum().items()
    ):
        out[f"arrests_per_crime.{gang}"] = float(n / max(crimes.get(gang, 0.0), 1.0))
    return out


def _rates(result: RunResult) -> dict[str, float]:
    """Violent deaths per 100,000 a year over all places; killings on corridors."""
    s = result.series
    rows = s[s["variable"].isin(HOMICIDES)]
    people = result.world.population.sum()
    out = {
        f"rate.{year}": float(v / people * 1e5)
        for year, v in rows.groupby(rows["date"].dt.year)["value"].sum().items()
    }
    region = {p.id: p.region for p in result.scenario.places}
    residents = {}
    for p in result.scenario.places:
        residents[p.region] = residents.get(p.region, 0) + p.population
    by_region = rows.groupby([rows["date"].dt.year, rows["place"].map(region)], observed=True)
    for (year, name), v in by_region["value"].sum().items():
        if residents.get(name):
            out[f"rate.{name}.{year}"] = float(v / residents[name] * 1e5)
    corridors = [p.id for p in result.scenario.places if p.kind.value == "highway"]
    on_road = s[
        s["place"].isin(corridors)
        & s["variable"].isin(["highway_robbery", "kidnapping", "extortion", *HOMICIDES])
    ]
    out["corridor_incidents"] = float(on_road["value"].sum())
    return out


def _uncontested_vs_disputed(s: pd.DataFrame) -> dict[str, float]:
    """Killings in fights between gangs per 100,000 a year, in place-weeks a gang holds with
    no other gang there and in place-weeks where gangs meet (the "criminal peace" of
    uncontested control)."""
    fights = "homicides_gang_on_gang"
    columns = ["controller", "gangs_present", "civilians", fights]
    wide = (
        s[s["variable"].isin(columns)]
        .pivot_table(
            index=["date", "place"],
            columns="variable",
            values="value",
            aggfunc="sum",
            observed=True,
        )
        .reindex(columns=columns, fill_value=0.0)
    )
    killings = wide[fights]
    out = {}
    alone = (wide["controller"] >= 0) & (wide["gangs_present"] == 1)
    for name, mask in (("uncontested", alone), ("disputed", wide["gangs_present"] >= 2)):
        people = wide.loc[mask, "civilians"].sum()
        out[f"gang_killing_rate.{name}"] = (
            float(killings[mask].sum() / people * 1e5 * WEEKS_A_YEAR) if people > 0 else np.nan
        )
    return out


def _cause_kind(e: pd.DataFrame) -> pd.Series:
    kinds = e.set_index("event")["kind"].astype(str)
    return e["cause"].map(kinds).fillna("")


def _sequence(result: RunResult) -> dict[str, float]:
    """P6: a pact's gang takes a place beyond its zone, an offensive answers, the zone ends."""
    e = result.events
    cause = _cause_kind(e)
    answered = e[(e["kind"] == "offensive") & (cause == "takeover_won")]
    ends = e[(e["kind"] == "zone_ended") & (e["cause"] >= 0)]
    hit = [d for d in ends["date"] if (answered["date"] <= d).any()]
    return {"p6.sequence": float(bool(hit)), "p6.year": float(hit[0].year) if hit else np.nan}


def _pax(result: RunResult) -> dict[str, float]:
    """P7: officials killed by a lesser gang in a pact zone; who punished the killing."""
    e = result.events
    breaches = set(result.world.lesser_breaches)
    massacres = set(e.loc[e["kind"] == "punishment_massacre", "cause"])
    operations = set(e.loc[e["kind"].isin(["targeted_operation", "offensive"]), "cause"])
    return {
        "p7.lesser_killings": float(len(breaches)),
        "p7.punished_by_gang": float(len(breaches & massacres)),
        "p7.punished_by_state": float(len(breaches & operations)),
    }


def _members_change(s: pd.DataFrame, gang: str, date: pd.Timestamp) -> float:
    rows = s[(s["variable"] == "members") & (s["gang"] == gang)].set_index("date")["value"]
    before = rows[rows.index <= date]
    after = rows[rows.index <= date + pd.Timedelta(weeks=AFTERMATH_WEEKS)]
    if before.empty or before.iloc[-1] <= 0:
        return np.nan
    return float(after.iloc[-1] / before.iloc[-1] - 1.0)


def _seniors(result: RunResult) -> dict[str, float]:
    """P8: senior officials killed; how many brought an operation; the killers' change."""
    e, s = result.events, result.series
    killings = e[e["kind"] == "senior_official_killed"]
    answered = e[e["kind"].isin(["targeted_operation", "offensive"])]["cause"]
    changes = [_members_change(s, str(r.actor), r.date) for r in killings.itertuples()]
    return {
        "p8.killings": float(len(killings)),
        "p8.answered": float(killings["event"].isin(answered).sum()),
        "p8.change_sum": float(np.nansum(changes)),
        "p8.change_n": float(np.isfinite(changes).sum()),
    }


def _returns(e: pd.DataFrame) -> dict[str, float]:
    """P12: leaders who fled and came back; members returning after offensives."""
    offensives = e[e["kind"] == "offensive"]
    returned = e[e["kind"] == "members_returned"]
    after = sum(
        bool(((returned["actor"] == o.target) & (returned["date"] > o.date)).any())
        for o in offensives.itertuples()
    )
    fled = e[e["kind"] == "leader_fled"]
    back = e[e["kind"] == "leader_returned"]
    came_back = sum(
        bool(((back["actor"] == f.actor) & (back["date"] > f.date)).any())
        for f in fled.itertuples()
    )
    return {
        "p12.offensives": float(len(offensives)),
        "p12.members_back": float(after),
        "p12.fled": float(len(fled)),
        "p12.leaders_back": float(came_back),
    }


# --- arms -------------------------------------------------------------------------------

BASE, NO_ZONES = "historical", "no-peace-zones"


def contrasts(scenario: Scenario) -> dict[str, Scenario]:
    """The scenario with one gang trait switched off everywhere (P9, P10, P11)."""
    out = {}
    for trait in ("rural_base", "political_services", "police_ties"):
        gangs = [g.model_dump() for g in scenario.gangs]
        for g in gangs:
            g["traits"] = {**g["traits"], trait: False}
        out[f"without-{trait.replace('_', '-')}"] = derive(scenario, {"gangs": gangs})
    return out


# --- patterns ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Verdict:
    pattern: str
    statistic: str
    expected: str
    observed: str
    passed: bool


@dataclass(frozen=True)
class Pattern:
    id: str
    text: str
    judge: Callable[[pd.DataFrame, Scenario], Verdict]


def _wide(outcomes: pd.DataFrame) -> pd.DataFrame:
    """Rows: (policy, replicate); columns: statistic names."""
    return outcomes.pivot_table(index=["policy", "replicate"], columns="outcome", values="value")


def _arm(wide: pd.DataFrame, arm: str, columns: list[str]) -> pd.Series:
    """The mean of ``columns`` per replicate in ``arm`` (missing columns count as 0)."""
    if arm not in wide.index.get_level_values(0):
        return pd.Series(dtype=float)
    table = wide.loc[arm].reindex(columns=columns)
    return table.fillna(0.0).mean(axis=1)


def _paired(
    wide: pd.DataFrame,
    a: str,
    b: str,
    columns: list[str],
    sign: int,
    pattern: str,
    statistic: str,
    expected: str,
) -> Verdict:
    if not columns:
        return Verdict(pattern, statistic, expected, "not applicable: no such gang or place", True)
    x, y = _arm(wide, a, columns), _arm(wide, b, columns)
    if x.empty or y.empty:
        return Verdict(pattern, statistic, expected, f"no runs of {a} and {b} to compare", False)
    both = pd.concat([x, y], axis=1, keys=["a", "b"]).dropna()
    d = paired_difference(both["a"], both["b"])
    passed = bool(np.isfinite(d.low) and (d.low > 0 if sign > 0 else d.high < 0))
    return Verdict(pattern, statistic, expected, f"{d} (p {d.p_value:.2g}, n {d.n})", passed)


def zone_gangs(scenario: Scenario) -> list[str]:
    """Gangs at home in a place the historical schedule makes a zone."""
    places = {p for d in scenario.schedule if d.action == "declare_zone" for p in d.places}
    return [g.id for g in scenario.gangs if g.home in places]


def zone_places(scenario: Scenario) -> list[str]:
    return sorted({p for d in scenario.schedule if d.action == "declare_zone" for p in d.places})


def _gangs_with(scenario: Scenario, trait: str) -> list[str]:
    return [g.id for g in scenario.gangs if getattr(g.traits, trait)]


def _p1(wide: pd.DataFrame, s: Scenario) -> Verdict:
    verdicts = [
        _paired(wide, BASE, NO_ZONES, [f"growth.{v}.{g}" for g in zone_gangs(s)], +1, "P1", "", "")
        for v in ("members", "weapons", "treasury")
    ]
    observed = "; ".join(
        f"{v}: {x.observed}"
        for v, x in zip(("members", "weapons", "treasury"), verdicts, strict=True)
    )
    return Verdict(
        "P1",
        f"zone gangs' log growth to {s.meta.end.year - LAST_YEARS_LEFT_OUT}, historical minus "
        "no zones: members; weapons; treasury",
        "each > 0",
        observed,
        all(v.passed for v in verdicts),
    )


def _p2(wide: pd.DataFrame, s: Scenario) -> Verdict:
    return _paired(
        wide,
        BASE,
        NO_ZONES,
        [f"governance.{p}" for p in zone_places(s)],
        +1,
        "P2",
        f"mean governance in zone places {s.meta.start.year + 1}-"
        f"{s.meta.end.year - LAST_YEARS_LEFT_OUT}, historical minus no zones",
        "> 0",
    )


def _p3(wide: pd.DataFrame, s: Scenario) -> Verdict:
    crimes = _paired(
        wide, BASE, NO_ZONES, [f"crimes_outside.{g}" for g in zone_gangs(s)], +1, "P3", "", ""
    )
    pursuits = _arm(wide, BASE, [f"pursuits_abandoned.{g}" for g in zone_gangs(s)])
    none = _arm(wide, NO_ZONES, [f"pursuits_abandoned.{g}" for g in zone_gangs(s)])
    passed = crimes.passed and pursuits.mean() > 0 and none.sum() == 0
    observed = (
        f"crimes: {crimes.observed}; pursuits abandoned per run: {pursuits.mean():.1f} "
        f"historical, {none.mean():.1f} no zones"
    )
    return Verdict(
        "P3",
        "zone gangs' crimes outside, historical minus no zones; pursuits abandoned at borders",
        "crimes > 0; pursuits > 0 with zones, 0 without",
        observed,
        passed,
    )


def _p4(wide: pd.DataFrame, s: Scenario) -> Verdict:
    years = [f"rate.{y}" for y in range(s.meta.start.year, s.meta.end.year)]
    not_lower = _paired(wide, BASE, NO_ZONES, years, -1, "P4", "", "")
    if BASE not in wide.index.get_level_values(0):
        return Verdict("P4", "", "", "no historical runs", False)
    table = (
        wide.loc[BASE]
        .reindex(columns=["gang_killing_rate.uncontested", "gang_killing_rate.disputed"])
        .dropna()
    )
    d = paired_difference(table.iloc[:, 0], table.iloc[:, 1])
    passed = (not not_lower.passed) and np.isfinite(d.high) and d.high < 0
    return Verdict(
        "P4",
        f"violent deaths {s.meta.start.year}-{s.meta.end.year - 1}, historical minus no "
        "zones; gang killings where one gang holds a place alone minus where gangs meet",
        "not below 0; below 0",
        f"{not_lower.observed}; {d} (p {d.p_value:.2g})",
        bool(passed),
    )


def _p5(wide: pd.DataFrame, s: Scenario) -> Verdict:
    return _paired(
        wide,
        BASE,
        NO_ZONES,
        ["corridor_incidents"],
        +1,
        "P5",
        "robbery, kidnapping, extortion and killings on corridors, historical minus no zones",
        "> 0",
    )


def _p6(wide: pd.DataFrame, s: Scenario) -> Verdict:
    runs = _arm(wide, BASE, ["p6.sequence"])
    share = float(runs.mean()) if len(runs) else 0.0
    years = _arm(wide, BASE, ["p6.year"]).replace(0.0, np.nan).dropna()
    spread = (
        f"years {years.min():.0f}-{years.max():.0f}, median {years.median():.0f}"
        if len(years)
        else "never"
    )
    return Verdict(
        "P6",
        "share of historical runs where a zone gang's expansion is answered by "
        "an offensive and the zone ends",
        f"> {MOST}",
        f"{share:.0%} ({spread})",
        bool(share > MOST),
    )


def _pooled(wide: pd.DataFrame, arm: str, column: str) -> float:
    if column not in wide or arm not in wide.index.get_level_values(0):
        return 0.0
    return float(wide.loc[arm, column].sum())


def _p7(wide: pd.DataFrame, s: Scenario) -> Verdict:
    """Cases are rare (a lesser gang must kill an official inside a pact zone), and every
    arm but the one without zones has the pacts: the cases of all of them are pooled."""
    arms = [a for a in wide.index.get_level_values(0).unique() if a != NO_ZONES]
    n, gang, state = (
        sum(_pooled(wide, arm, f"p7.{column}") for arm in arms)
        for column in ("lesser_killings", "punished_by_gang", "punished_by_state")
    )
    return Verdict(
        "P7",
        "officials killed by lesser gangs in pact zones: punished by the dominant "
        "gang, by the state (pooled over the arms with zones)",
        "gang > state",
        f"{n:.0f} killings: {gang:.0f} by the gang, {state:.0f} by the state",
        bool(n > 0 and gang > state),
    )


def _p8(wide: pd.DataFrame, s: Scenario) -> Verdict:
    n, answered = _pooled(wide, BASE, "p8.killings"), _pooled(wide, BASE, "p8.answered")
    change_n = _pooled(wide, BASE, "p8.change_n")
    change = _pooled(wide, BASE, "p8.change_sum") / change_n if change_n else np.nan
    passed = n > 0 and answered / n > MOST and change < 0
    return Verdict(
        "P8",
        "senior officials killed: share answered by an operation; the killers' "
        f"change in members over {AFTERMATH_WEEKS} weeks (pooled)",
        f"> {MOST}; < 0",
        f"{n:.0f} killings, {answered / n if n else 0:.0%} answered, change {change:+.0%}",
        bool(passed),
    )


def _p9(wide: pd.DataFrame, s: Scenario) -> Verdict:
    gangs = _gangs_with(s, "rural_base")
    cols = [f"{k}.{g}" for g in gangs for k in ("arrest", "homicide_by_police")]
    return _paired(
        wide,
        BASE,
        "without-rural-base",
        cols,
        -1,
        "P9",
        f"members of rural-base gangs ({', '.join(gangs)}) arrested or killed by the state, "
        "with the base minus without",
        "< 0",
    )


def _p10(wide: pd.DataFrame, s: Scenario) -> Verdict:
    gangs = _gangs_with(s, "political_services")
    cols = [f"{k}.{g}" for g in gangs for k in ("arrest", "homicide_by_police")]
    return _paired(
        wide,
        BASE,
        "without-political-services",
        cols,
        -1,
        "P10",
        f"members of {', '.join(gangs)} arrested or killed by the state, with political "
        "services minus without",
        "< 0",
    )


def _p11(wide: pd.DataFrame, s: Scenario) -> Verdict:
    gangs = _gangs_with(s, "police_ties")
    return _paired(
        wide,
        BASE,
        "without-police-ties",
        [f"arrests_per_crime.{g}" for g in gangs],
        -1,
        "P11",
        f"arrests of {', '.join(gangs)} (in raids and after pursuits) per crime they commit, "
        "with ties to local forces minus without",
        "< 0",
    )


def _p12(wide: pd.DataFrame, s: Scenario) -> Verdict:
    fled, back = _pooled(wide, BASE, "p12.fled"), _pooled(wide, BASE, "p12.leaders_back")
    offensives, members = (
        _pooled(wide, BASE, "p12.offensives"),
        _pooled(wide, BASE, "p12.members_back"),
    )
    passed = fled > 0 and back > 0 and offensives > 0 and members / offensives > MOST
    return Verdict(
        "P12",
        "leaders who fled an offensive and came back; offensives after which "
        "members returned (pooled)",
        f"some; > {MOST}",
        f"{back:.0f} of {fled:.0f} fled leaders back; members back after "
        f"{members / offensives if offensives else 0:.0%} of {offensives:.0f} offensives",
        bool(passed),
    )


PATTERNS: tuple[Pattern, ...] = (
    Pattern("P1", "Gangs in zones grow faster in members, weapons and treasury.", _p1),
    Pattern("P2", "Gang control over residents (governance) rises in zones.", _p2),
    Pattern("P3", "Crimes by zone gangs outside their zones rise; pursuits end at borders.", _p3),
    Pattern("P4", "Zones do not durably lower homicides; uncontested control kills less.", _p4),
    Pattern("P5", "Corridors left without police see more extortion, kidnapping, homicide.", _p5),
    Pattern("P6", "A strong zone gang pushes out; an offensive answers; the zone ends.", _p6),
    Pattern("P7", "The dominant gang punishes a lesser gang's killing of officials.", _p7),
    Pattern("P8", "Killing a senior official brings retribution and weakens the gang.", _p8),
    Pattern("P9", "Gangs with a rural base survive interventions more often.", _p9),
    Pattern("P10", "Gangs that render political services are raided less.", _p10),
    Pattern("P11", "Gangs with ties to local forces suffer fewer arrests.", _p11),
    Pattern("P12", "An escaped leader comes back and members return.", _p12),
)


def judge(outcomes: pd.DataFrame, scenario: Scenario) -> list[Verdict]:
    """Every pattern's verdict from the stored statistics of the validation arms."""
    wide = _wide(outcomes)
    return [pattern.judge(wide, scenario) for pattern in PATTERNS]


def levels(outcomes: pd.DataFrame, scenario: Scenario) -> list[Verdict]:
    """Modelled violent-death rates against the scenario's observed national rates."""
    wide = _wide(outcomes)
    out = []
    regions = {p.region for p in scenario.places}
    for obs in scenario.observations:
        column = f"rate.{obs.area}.{obs.year}" if obs.area in regions else f"rate.{obs.year}"
        if obs.variable != "violent_deaths_per_100k" or column not in wide:
            continue
        est = mean_interval(wide.loc[BASE, column].dropna())
        low, high = obs.value * LEVEL_BAND[0], obs.value * LEVEL_BAND[1]
        where = obs.area if obs.area in regions else "all places"
        out.append(
            Verdict(
                f"level {obs.area} {obs.year}",
                f"violent deaths per 100,000 ({where})",
                f"{low:.0f} to {high:.0f} (observed {obs.value:g}, {obs.area})",
                str(est),
                bool(low <= est.mean <= high),
            )
        )
    return out
