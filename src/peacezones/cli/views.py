"""Rich renderings of scenarios for the terminal."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from typing import Any

from rich.console import Console, RenderableType
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table

from ..scenario import Problem, Scenario, ScenarioError
from ..scenario.load import resolve
from ..scenario.locate import key_lines, locate
from ..scenario.schema import Decision

PIPED_WIDTH = 160  # wide tables stay readable when piped: 80 columns would fold them


def console() -> Console:
    """Standard output, as wide as the terminal, or PIPED_WIDTH when piped."""
    return Console(highlight=False, width=None if sys.stdout.isatty() else PIPED_WIDTH)


def print_error(exc: ScenarioError, context: str = "") -> None:
    """Every problem of a scenario error on standard error, one a line; ``context``
    says where the error arose (as which command's variant)."""
    err = Console(stderr=True, highlight=False, soft_wrap=True)
    where = f"{exc.file} ({context})" if context else exc.file
    err.print(f"[bold red]error:[/] {escape(where)}: {len(exc.problems)} problem(s)")
    for problem in exc.problems:
        err.print(f"  {problem.render(exc.file)}", markup=False)


def placed(name: str, exc: ScenarioError) -> ScenarioError:
    """A variant's error told against the scenario's own file, with lines for the
    records a policy leaves where the file has them (every section but the schedule
    and the doctrine's rules); one that comes from the policy stays in the policy's."""
    if any(p.path[:1] == ("policy",) for p in exc.problems):
        return exc  # the policy's own problem, placed in the policy's file already
    lines: dict = {}
    try:
        file, text = resolve(name)
        lines = key_lines(text)
    except (OSError, ScenarioError):  # the file was read a moment ago; no lines then
        file = name
    moved = {"schedule", "doctrine"}
    problems = [
        Problem(p.path, p.found, p.expected, None if p.path[:1] and p.path[0] in moved
                else locate(lines, p.path))
        for p in exc.problems
    ]  # fmt: skip
    return ScenarioError(file, problems)


def counts(s: Scenario) -> str:
    """A one-line size of a scenario."""
    params = sum(len(group) for group in s.parameters.values())
    return (
        f"{len(s.places)} places, {len(s.edges)} edges, {len(s.gangs)} gangs, "
        f"{len(s.forces.units)} force units, {len(s.schedule)} decisions, "
        f"{len(s.doctrine.rules)} doctrine rules, {params} parameters, "
        f"{len(s.observations)} observations, {len(s.patterns)} patterns, {len(s.sources)} sources"
    )


def scenario_list(scenarios: list[Scenario]) -> Table:
    table = Table(title="Built-in scenarios", title_justify="left")
    for column in ("name", "title", "period", "places", "gangs", "decisions"):
        table.add_column(column)
    for s in scenarios:
        period = f"{s.meta.start} to {s.meta.end}"
        _row(
            table,
            s.meta.name,
            s.meta.title,
            period,
            str(len(s.places)),
            str(len(s.gangs)),
            str(len(s.schedule)),
        )
    return table


def scenario_tables(s: Scenario) -> Iterator[RenderableType]:
    """Everything a reader needs to judge a scenario, section by section."""
    yield Panel(
        f"[bold]{escape(s.meta.title)}[/]\n{escape(' '.join(s.meta.description.split()))}\n\n"
        f"{s.meta.start} to {s.meta.end}, steps of {s.meta.step_days} days; "
        f"{counts(s)}; digest {s.digest()}",
        title=escape(s.meta.name),
        title_align="left",
    )
    yield _places(s)
    yield _edges(s)
    yield _gangs(s)
    yield _forces(s)
    yield _context(s)
    yield _schedule(s)
    yield _doctrine(s)
    yield _parameters(s)
    yield _observations(s)
    yield _patterns(s)
    yield _sources(s)


def _table(title: str, *columns: str, **numeric: bool) -> Table:
    table = Table(title=title, title_justify="left", show_lines=False)
    for column in columns:
        table.add_column(column, justify="right" if numeric.get(column) else "left")
    return table


def _places(s: Scenario) -> Table:
    table = _table(
        "Places",
        "id",
        "name",
        "region",
        "kind",
        "lat",
        "lon",
        "population",
        "terrain",
        "provenance",
        lat=True,
        lon=True,
        population=True,
    )
    for p in s.places:
        _row(
            table,
            p.id,
            p.name,
            p.region,
            p.kind.value,
            f"{p.lat:.4f}",
            f"{p.lon:.4f}",
            f"{p.population:,}",
            p.terrain.value,
            p.evidence(),
        )
    return table


def _row(table: Table, *cells: str) -> None:
    """A row of data: text from a scenario file is shown as written, never as markup."""
    table.add_row(*(escape(cell) for cell in cells))


def _edges(s: Scenario) -> Table:
    table = _table("Edges (travel cost in hours)", "a", "b", "kind", "cost", "provenance",
                   cost=True)  # fmt: skip
    for e in s.edges:
        _row(table, e.a, e.b, e.kind.value, f"{e.cost:g}", e.evidence())
    return table


def _observations(s: Scenario) -> Table:
    table = _table("Observations (to compare the model with)", "variable", "where", "year",
                   "value", "tolerance", "role", "unit", "source", value=True)  # fmt: skip
    for o in s.observations:
        where = ", ".join(o.places) if o.places else o.area
        if o.gangs:
            where += f" [{', '.join(o.gangs)}]"
        role = o.role + (", trend" if o.trend else "")
        _row(table, o.variable, where, str(o.year), f"{o.value:,g}", f"{o.tolerance:.0%}", role,
             o.unit, ", ".join(o.source))  # fmt: skip
    return table


def _patterns(s: Scenario) -> Table:
    table = _table("Patterns (what the model must reproduce)", "id", "pattern", "statistic",
                   "mechanisms", "role", "source")  # fmt: skip
    for p in s.patterns:
        _row(table, p.id, p.title, p.statistic, ", ".join(p.mechanisms), p.role,  # type: ignore[attr-defined]
             ", ".join(p.source))  # fmt: skip
    return table


def _gangs(s: Scenario) -> Table:
    table = _table(
        "Gangs",
        "id",
        "name",
        "leader",
        "home, territory",
        "members",
        "weapons",
        "treasury",
        "traits",
        "allies / rivals",
        "provenance",
        members=True,
        weapons=True,
        treasury=True,
    )
    for g in s.gangs:
        leader = f'"{g.leader.alias}"' + (f" ({g.leader.name})" if g.leader.name else "")
        traits = ", ".join(k for k, v in g.traits.model_dump().items() if v) or "-"
        ties = f"{', '.join(g.allies) or '-'} / {', '.join(g.rivals) or '-'}"
        _row(
            table,
            g.id,
            g.name,
            leader,
            ", ".join((g.home, *g.territory)),
            f"{g.members:,}",
            f"{g.weapons:,}",
            f"{g.treasury:,.0f}",
            traits,
            ties,
            g.evidence(),
        )
    return table


def _forces(s: Scenario) -> Table:
    table = _table(
        "Security forces and facilities",
        "id",
        "place",
        "unit or kind",
        "size",
        "posture",
        "corruptibility",
        "provenance",
        size=True,
        corruptibility=True,
    )
    for u in s.forces.units:
        _row(
            table,
            u.id,
            u.place,
            u.unit.value,
            f"{u.size:,}",
            u.posture.value,
            f"{u.corruptibility:.2f}",
            u.evidence(),
        )
    for f in s.forces.facilities:
        _row(table, f.id, f.place, f.kind.value, "", "", "", f.evidence())
    return table


def _context(s: Scenario) -> Table:
    table = _table("Context: what drives the case besides the state (M19)", "id", "driver",
                   "unit", "values by year", "provenance")  # fmt: skip
    for c in s.context:
        values = ", ".join(f"{y}: {_number(v)}" for y, v in zip(c.years, c.values, strict=True))
        _row(table, c.id, c.driver.value, c.unit, values, c.evidence())
    return table


def _number(v: float) -> str:
    """Whole numbers with thousands separators (7,100,000), others as short as they go."""
    return f"{v:,.0f}" if v == int(v) and abs(v) >= 1000 else f"{v:g}"


def _schedule(s: Scenario) -> Table:
    table = _table("Schedule: the state's decisions", "date", "action", "settings", "sources")
    for d in sorted(s.schedule, key=lambda d: d.date):
        _row(table, str(d.date), d.action, _settings(d), d.evidence())
    return table


def _settings(d: Decision) -> str:
    skip = {"date", "action", "sources", "cite", "assumed", "notes"}
    data = d.model_dump(mode="json", exclude=skip)
    terms = data.pop("terms", None)
    text = "; ".join(f"{k}={_short(v)}" for k, v in data.items() if v not in (None, [], ""))
    if terms:
        text += "; terms: " + ", ".join(f"{k}={_short(v)}" for k, v in terms.items())
    return text


def _short(value: Any) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(map(str, value)) + "]"
    return str(value)


def _doctrine(s: Scenario) -> Table:
    table = _table(
        "Doctrine: the state's reaction rules", "rule", "when", "response", "size", "sources"
    )
    for r in s.doctrine.rules:
        when = f"{r.trigger.value} >= {r.threshold:g} in {r.window_weeks} weeks"
        size = f"{r.officers:,} officers, {r.weeks} weeks" if r.officers else "-"
        response = r.response.value + (", ends the zone" if r.ends_zone else "")
        response += f", hunts the leader ({r.leader_mode.value})" if r.leader_mode else ""
        _row(table, r.id, when, response, size, r.evidence())
    return table


def _parameters(s: Scenario) -> Table:
    table = _table("Parameters", "parameter", "value", "unit", "range", "from", "evidence",
                   value=True)  # fmt: skip
    for group, members in s.parameters.items():
        for name, p in members.items():
            evidence = ", ".join(p.source) if p.source else f"assumed: {p.assumed}"
            if p.range_reason:
                evidence += f"; range widened: {p.range_reason}"
            _row(
                table,
                f"{group}.{name}",
                f"{p.value:g}",
                p.unit,
                f"{p.range[0]:g} to {p.range[1]:g}",
                f"inherited from {p.inherited}" if p.inherited else "this file",
                evidence,
            )
    return table


def _sources(s: Scenario) -> Table:
    table = _table("Sources", "id", "citation")
    for key, citation in s.sources.items():
        _row(table, key, citation)
    return table
