"""Verdicts: a scenario's patterns and observations judged from its runs' numbers.

A batch stores, for each run, the numbers that :mod:`.measures` computes for every
pattern and observation of the scenario. Here they are read across the runs of each arm
and turned into verdicts: ``pass``, ``fail`` or ``too few cases``; :mod:`..experiments.
validate` adds ``not evidence`` where a pattern still passes with its mechanism off.
docs/ODD.md ("Validation") documents each statistic. No pattern is known here by name.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from ..scenario.schema import (
    Bounded,
    Cases,
    Change,
    DeathShare,
    Difference,
    EventCount,
    Level,
    Measure,
    Observation,
    PatternBase,
    Scenario,
    Sequence,
    Step,
)
from .statistics import Estimate, mean_interval, paired_difference

STATISTICS_VERSION = 6  # part of each run's id: stored numbers of another version are redone
HISTORICAL = "historical"
PASS, FAIL, FEW, NOT_EVIDENCE = "pass", "fail", "too few cases", "not evidence"


@dataclass(frozen=True)
class Verdict:
    """One row of the validation table."""

    id: str
    kind: str  # pattern, observation or trend
    role: str  # fit or check
    title: str
    statistic: str
    expected: str
    observed: str
    outcome: str  # pass, fail, too few cases, not evidence
    n: int | None = None
    """How many runs the statistic read (for a cases statistic: how many cases)."""
    mechanisms: tuple[str, ...] = ()
    ablation: str = ""
    """Per mechanism switched off: whether the pattern then still passes, and what the
    ablated runs observed (so that a residual effect can be set against the intact one)."""

    @property
    def passed(self) -> bool:
        return self.outcome == PASS


def arm_label(arm: str, off: str | None = None) -> str:
    """How an arm's runs are labelled in the store (``policy`` column)."""
    return arm if off is None else f"{arm} without {off}"


def pattern_arms(pattern: PatternBase) -> tuple[str, ...]:
    if isinstance(pattern, Difference):
        return tuple(pattern.arms)
    return (pattern.arm,)  # type: ignore[attr-defined]


def wide(outcomes: pd.DataFrame) -> pd.DataFrame:
    """Rows: (policy, replicate); columns: the stored numbers."""
    if outcomes.empty:
        return pd.DataFrame(index=pd.MultiIndex.from_tuples([], names=["policy", "replicate"]))
    return outcomes.pivot_table(
        index=["policy", "replicate"], columns="outcome", values="value", dropna=False
    )


def _column(table: pd.DataFrame, label: str, name: str) -> pd.Series:
    if label not in table.index.get_level_values(0) or name not in table:
        return pd.Series(dtype=float)
    return table.loc[label, name]


# --- words ------------------------------------------------------------------------------


def _list(items: tuple[str, ...], every: str) -> str:
    return ", ".join(items) if items else every


def _years(years: tuple[int, int] | None) -> str:
    if years is None:
        return "whole run"
    return str(years[0]) if years[0] == years[1] else f"{years[0]}-{years[1]}"


def describe(m: Measure, window: bool = True) -> str:
    """A measure in words, for the table (``window``: with its years)."""
    if m.events:
        what = f"{'number' if m.how == 'number' else 'count'} of {_list(m.events, '')}"
        who = f" with {_list(m.gangs, '')} as {m.gang_as}" if m.gangs else ""
    else:
        what = f"{m.how} of {m.variable}"
        who = f" of {_list(m.gangs, '')}" if m.gangs else ""
    where = f" at {_list(m.places, '')}" if m.places else (f" in {m.region}" if m.region else "")
    text = f"{what}{who}{where}" + (f", {_years(m.years)}" if window else "")
    return f"{text} per {describe(m.per)}" if m.per is not None else text


def _step(s: Step) -> str:
    parts = [f"{'/'.join(s.events)} ({s.gang_as})"]
    if s.places:
        parts.append(f"at {', '.join(s.places)}")
    if s.years:
        parts.append(_years(s.years))
    if s.min_count:
        parts.append(f"count >= {s.min_count:g}")
    if s.in_zone:
        parts.append("in a zone")
    if s.within_weeks:
        parts.append(f"within {s.within_weeks} weeks")
    return " ".join(parts)


def _bounds(p: Bounded, what: str) -> str:
    parts = []
    if p.above is not None:
        parts.append(f"> {p.above:g}")
    if p.below is not None:
        parts.append(f"< {p.below:g}")
    return f"{what} {' and '.join(parts)}"


def _within(p: Bounded, value: float) -> bool:
    if not np.isfinite(value):
        return False
    return (p.above is None or value > p.above) and (p.below is None or value < p.below)


def _interval_within(p: Bounded, est: Estimate) -> bool:
    if not (np.isfinite(est.low) and np.isfinite(est.high)):
        return False
    return (p.above is None or est.low > p.above) and (p.below is None or est.high < p.below)


SIGNS: dict[str, Callable[[Estimate], bool]] = {
    "higher": lambda d: d.low > 0,
    "lower": lambda d: d.high < 0,
    "not_lower": lambda d: d.high >= 0,
    "not_higher": lambda d: d.low <= 0,
}
SIGN_WORDS = {"higher": "> 0", "lower": "< 0", "not_lower": "not < 0", "not_higher": "not > 0"}


# --- patterns ---------------------------------------------------------------------------


def judge(pattern: PatternBase, table: pd.DataFrame, off: str | None = None) -> Verdict:
    """The pattern's verdict from the runs of its arms (with ``off`` switched off)."""
    key = f"pattern.{pattern.id}"
    base = Verdict(
        pattern.id, "pattern", pattern.role, pattern.title, "", "", "", FAIL,
        mechanisms=tuple(pattern.mechanisms),
    )  # fmt: skip
    label = lambda arm: arm_label(arm, off)  # noqa: E731
    if isinstance(pattern, Difference):
        return _difference(pattern, table, key, base, label)
    if isinstance(pattern, Change):
        est = mean_interval(_column(table, label(pattern.arm), f"{key}.value").dropna())
        return _signed(base, est, pattern.expect,
                       f"{describe(pattern.measure, window=False)}: {pattern.years[1]} minus "
                       f"{pattern.years[0]} ({pattern.arm})")  # fmt: skip
    if isinstance(pattern, Level | EventCount | DeathShare):
        return _level(pattern, table, key, base, label)
    if isinstance(pattern, Sequence):
        return _sequence(pattern, table, key, base, label)
    if isinstance(pattern, Cases):
        return _cases(pattern, table, key, base, label)
    raise TypeError(f"no verdict for {type(pattern).__name__}")


def _signed(base: Verdict, d: Estimate, expect: str, statistic: str) -> Verdict:
    observed = f"{d} (n {d.n})" if d.n else "no runs with a value"
    if hasattr(d, "p_value") and d.n:
        observed = f"{d} (p {d.p_value:.2g}, n {d.n})"  # type: ignore[attr-defined]
    if d.n < 2:
        return replace(base, statistic=statistic, expected=SIGN_WORDS[expect],
                       observed=observed, outcome=FEW, n=d.n)  # fmt: skip
    outcome = PASS if SIGNS[expect](d) else FAIL
    return replace(base, statistic=statistic, expected=SIGN_WORDS[expect], observed=observed,
                   outcome=outcome, n=d.n)  # fmt: skip


def _difference(
    p: Difference, table: pd.DataFrame, key: str, base: Verdict, label: Callable[[str], str]
) -> Verdict:
    a, b = (_column(table, label(arm), f"{key}.value") for arm in p.arms)
    both = pd.concat([a, b], axis=1, keys=["a", "b"]).dropna()
    d = paired_difference(both["a"].to_numpy(), both["b"].to_numpy())
    statistic = f"{describe(p.measure)}: {p.arms[0]} minus {p.arms[1]}"
    return _signed(base, d, p.expect, statistic)


def _level(
    p: Level | EventCount | DeathShare,
    table: pd.DataFrame,
    key: str,
    base: Verdict,
    label: Callable[[str], str],
) -> Verdict:
    if isinstance(p, DeathShare):
        where = _list(p.places, p.region or "all places")
        statistic = f"share of violent deaths that are {', '.join(p.types)}, {where}, "
        statistic += _years(p.years)
    else:
        statistic = describe(p.measure)
    statistic += f" ({p.arm})"
    est = mean_interval(_column(table, label(p.arm), f"{key}.value").dropna())
    outcome = FEW if est.n < 2 else (PASS if _interval_within(p, est) else FAIL)
    observed = f"{est} (n {est.n})" if est.n else "no runs with a value"
    return replace(base, statistic=statistic, expected=_bounds(p, "95% interval"),
                   observed=observed, outcome=outcome, n=est.n)  # fmt: skip


def _sequence(
    p: Sequence, table: pd.DataFrame, key: str, base: Verdict, label: Callable[[str], str]
) -> Verdict:
    hits = _column(table, label(p.arm), f"{key}.hit").dropna()
    years = _column(table, label(p.arm), f"{key}.year").dropna()
    share = float(hits.mean()) if len(hits) else float("nan")
    if not len(years):
        spread = "never"
    elif years.min() == years.max():
        spread = f"first step in {years.min():.0f}"
    else:
        spread = f"first steps {years.min():.0f}-{years.max():.0f}, median {years.median():.0f}"
    who = f"for one of {', '.join(p.gangs)}" if p.gangs else "for one gang"
    statistic = f"share of {p.arm} runs with, {who}: " + "; then ".join(map(_step, p.steps))
    outcome = FEW if len(hits) < 2 else (PASS if _within(p, share) else FAIL)
    observed = f"{share:.0%} of {len(hits)} runs ({spread})" if len(hits) else "no runs"
    depth = _column(table, label(p.arm), f"{key}.depth").dropna()
    if len(depth) and share < 1:  # where the chains break (runs stored before have none)
        steps = [int((depth >= k).sum()) for k in range(1, len(p.steps) + 1)]
        observed += "; runs reaching each step: " + ", ".join(map(str, steps))
    return replace(base, statistic=statistic, expected=_bounds(p, "share"), observed=observed,
                   outcome=outcome, n=len(hits))  # fmt: skip


def _cases(
    p: Cases, table: pd.DataFrame, key: str, base: Verdict, label: Callable[[str], str]
) -> Verdict:
    arm = label(p.arm)

    def pooled(name: str) -> float:
        return float(_column(table, arm, f"{key}.{name}").fillna(0.0).sum())

    n = int(pooled("cases"))
    who = f" by {', '.join(p.gangs)}" if p.gangs else ""
    who += " whose leader was in command" if p.led else ""
    # cases whose window runs past the run's end cannot be judged either way: left out
    late = int(pooled("censored"))
    left = f"; {late} too late to follow for {p.within_weeks} weeks left out" if late else ""
    statistic = f"cases of {_step(p.trigger)}{who} ({p.arm}, pooled over runs{left}): "
    if p.variable:
        changes = int(pooled("change_n"))
        mean = pooled("change_sum") / changes if changes else float("nan")
        statistic += f"relative change of the gang's {p.variable} over {p.within_weeks} weeks"
        observed = f"{mean:+.1%} over {changes} cases" if changes else "no cases"
        outcome = FEW if changes < p.min_cases else (PASS if _within(p, mean) else FAIL)
        expected = _bounds(p, "mean change")
        return replace(base, statistic=statistic, expected=f"{expected}; at least "
                       f"{p.min_cases} cases", observed=observed, outcome=outcome,
                       n=changes)  # fmt: skip
    replies = [pooled(f"reply{j}") for j in range(len(p.replies))]
    shares = [r / n if n else float("nan") for r in replies]
    statistic += f"share followed within {p.within_weeks} weeks by " + "; by ".join(
        r.label for r in p.replies
    )
    observed = (
        "no cases"
        if not n
        else f"{n} cases: "
        + "; ".join(
            f"{r.label} {int(k)} ({s:.0%})"
            for r, k, s in zip(p.replies, replies, shares, strict=True)
        )
    )
    if sum(replies) > n:  # the shares add up to more than the cases: say why
        observed += " (a case may be followed by both, or by several)"
    if len(p.replies) == 2:
        expected = f"{p.replies[0].label} more often than {p.replies[1].label}"
        good = replies[0] > replies[1]
    else:
        expected = _bounds(p, "share of cases")
        good = _within(p, shares[0])
    outcome = FEW if n < p.min_cases else (PASS if good else FAIL)
    return replace(base, statistic=statistic, expected=f"{expected}; at least {p.min_cases} "
                   "cases", observed=observed, outcome=outcome, n=n)  # fmt: skip


# --- observations -----------------------------------------------------------------------


def _previous(scenario: Scenario, i: int) -> int | None:
    """The index of the latest earlier observation of the same variable and area."""
    obs = scenario.observations[i]
    same = [
        (o.year, j)
        for j, o in enumerate(scenario.observations)
        if (o.variable, o.area, o.places, o.gangs)
        == (obs.variable, obs.area, obs.places, obs.gangs)
        and o.year < obs.year
    ]
    return max(same)[1] if same else None


def observation_verdicts(scenario: Scenario, table: pd.DataFrame) -> list[Verdict]:
    """Each observation against the model's mean over the historical runs; its trend."""
    out = []
    for i, obs in enumerate(scenario.observations):
        values = _column(table, HISTORICAL, f"observation.{i}").dropna()
        out.append(_level_verdict(obs, values))
        j = _previous(scenario, i)
        if obs.trend and j is not None:
            earlier = scenario.observations[j]
            before = _column(table, HISTORICAL, f"observation.{j}")
            both = pd.concat([values, before], axis=1, keys=["now", "then"]).dropna()
            d = paired_difference(both["now"].to_numpy(), both["then"].to_numpy())
            out.append(_trend_verdict(obs, earlier, d))
    return out


def _level_verdict(obs: Observation, values: pd.Series) -> Verdict:
    est = mean_interval(values.to_numpy())
    low, high = obs.value * (1 - obs.tolerance), obs.value * (1 + obs.tolerance)
    low, high = min(low, high), max(low, high)
    ok = np.isfinite(est.mean) and low <= est.mean <= high
    unit = f" ({obs.unit})" if obs.unit else ""
    return Verdict(
        obs.label(), "observation", obs.role, f"{obs.variable}{unit}",
        f"model mean, historical, {len(values)} runs",
        f"{obs.value:,.4g}, within {obs.tolerance:.0%}: {low:,.4g} to {high:,.4g}",
        str(est) if len(values) else "no runs", PASS if ok else FAIL, n=len(values),
    )  # fmt: skip


def _trend_verdict(obs: Observation, earlier: Observation, d: Estimate) -> Verdict:
    change = obs.value - earlier.value
    if change > 0:
        ok, expected = d.low > 0, f"up (observed {change:+,.4g})"
    elif change < 0:
        ok, expected = d.high < 0, f"down (observed {change:+,.4g})"
    else:
        ok, expected = d.low <= 0 <= d.high, "no change (observed 0)"
    outcome = FEW if d.n < 2 else (PASS if ok else FAIL)
    return Verdict(
        f"{obs.label()} trend", "trend", obs.role,
        f"{obs.variable}: change {earlier.year}-{obs.year}",
        f"model change {earlier.year} to {obs.year}, paired within runs", expected,
        f"{d} (n {d.n})" if d.n else "no runs with a value", outcome, n=d.n,
    )  # fmt: skip
