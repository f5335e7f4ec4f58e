"""The report's HTML: sections written here, figures drawn in the browser by Plotly from
data embedded in the page, so that the file opens offline with nothing to fetch."""

from __future__ import annotations

import json
import math
from html import escape
from importlib import resources

import pandas as pd

from .. import __version__
from ..analysis.outcomes import OUTCOMES
from .chronicle import NOTABLE, YEAR, Entry, entries
from .headline import headline, story
from .results import BatchView, RunView
from .static import FIGURES
from .static import FOLDER as FIGURE_FOLDER
from .text import interval


def document(title: str, body: str, data: dict) -> str:
    """A whole page: style, body, data and scripts inline."""
    from plotly.offline import get_plotlyjs

    assets = resources.files("peacezones.report") / "assets"
    return "".join(
        [
            '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f"<title>{escape(title)}</title><style>",
            (assets / "report.css").read_text(encoding="utf-8"),
            "</style></head><body>",
            body,
            '<script type="application/json" id="report-data">',
            _script_safe(json.dumps(data, separators=(",", ":"), ensure_ascii=False)),
            "</script><script>",
            _script_safe(get_plotlyjs()),
            "</script><script>",
            (assets / "report.js").read_text(encoding="utf-8"),
            "</script></body></html>\n",
        ]
    )


def _script_safe(text: str) -> str:
    """Text that cannot close the script element it sits in."""
    return text.replace("</", "<\\/")


def table(headers: list[str], rows: list[list[str]], cls: str = "") -> str:
    """An HTML table; cells are escaped by the caller (some hold markup)."""
    head = "".join(f"<th>{h}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    return f'<table class="{cls}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def run_header(view: RunView) -> str:
    ctx, meta = view.context, view.meta
    scale = float(meta["scale"])
    facts = [
        ("scenario", f"{ctx.scenario['name']} (digest {ctx.scenario['digest']})"),
        ("policy", ctx.policy_text(str(meta.get("policy", "?")))),
        ("seed", f"{meta['seed']}, replicate {meta.get('replicate', 0)}"),
        ("scale", f"{scale:g} (a record stands for {1 / scale:,.0f} residents)"),
        ("period", f"{ctx.scenario['start']} to {ctx.scenario['end']}"),
        ("version", f"peacezones {meta.get('version', __version__)}"),
    ]
    return _header(ctx.scenario["title"], "One simulated run", facts, ctx.scenario["description"])


def _header(title: str, kind: str, facts: list[tuple[str, str]], description: str) -> str:
    # each label with its value in one group, so that a wrapped line never parts them
    items = "".join(f"<div><dt>{escape(k)}</dt><dd>{escape(v)}</dd></div>" for k, v in facts)
    return (
        f'<header><p class="kind">{escape(kind)} · peacezones report</p>'
        f"<h1>{escape(title)}</h1><p class='lede'>{escape(description)}</p>"
        f'<dl class="facts">{items}</dl></header>'
    )


def glance(view: RunView) -> str:
    """The numbers that matter, then the same in sentences, then two small tables."""
    h = headline(view)
    cards = "".join(
        f'<div class="card"><div class="number">{escape(n)}</div>'
        f'<div class="what">{escape(w)}</div><div class="detail">{escape(d)}</div></div>'
        for n, w, d in h.cards()
    )
    sentences = "".join(f"<p>{escape(s)}</p>" for s in story(view, h))
    rates = h.rates
    rate_rows = [[str(y), *(f"{v:.1f}" for v in row)] for y, row in rates.iterrows()]
    names = view.context.names
    member_rows = [
        [escape(names.gang(g)), *(f"{v:,}" for v in row)] for g, row in h.members.iterrows()
    ]
    return (
        '<section id="glance"><h2>At a glance</h2>'
        f'<div class="cards">{cards}</div><div class="story">{sentences}</div>'
        "<div><h3>Violent deaths per 100,000 residents, by year and type</h3>"
        + table(["year", *map(escape, rates.columns)], rate_rows, "numbers")
        + "</div><div><h3>Gang members</h3><p class='hint'>At the start (the end of the"
        " first week) and the end, how many joined, and how many left by each way out:"
        " deserted, unpaid"
        " (wages the gang's takings could not pay), leaderless (while it had no leader),"
        " killed by police (and the military), killed by rivals (in clashes or by a pact's"
        " enforcers), jailed, split off to a breakaway faction. The start, plus those who"
        " joined, less those who left, is the end.</p>"
        + table(
            ["gang", *(escape(c.replace("_", " ")) for c in h.members.columns)],
            member_rows,
            "numbers",
        )
        + "</div></section>"
    )


def map_section(view: RunView) -> str:
    return (
        '<section id="where"><h2>Where: who holds each place</h2>'
        "<p class='hint'>Each place is drawn as a cell around its coordinates (the scenario "
        "gives points, not borders), coloured by who controls it; peace zones are outlined in "
        "red; a place far from all the others (an aggregate such as the rest of a country) is "
        "drawn at the map's edge, in its direction; names that would cover each other are "
        "left to the hover. Move the slider or press Play to see control change over time; "
        "click a place to see its own series and events.</p>"
        '<div class="map-wrap"><div id="map" class="map"></div>'
        '<aside id="place-panel"><p class="hint">Click a place on the map.</p></aside></div>'
        "</section>"
    )


def series_section(figure_ids: list[str]) -> str:
    cells = "".join(f'<div id="{i}" class="figure"></div>' for i in figure_ids)
    return (
        '<section id="when"><h2>When: the series</h2>'
        "<p class='hint'>Grey dotted lines mark the schedule's decisions (the state's "
        "deliberate choices, inputs of the run); red ones the state's reactions that the model "
        "produced (offensives, zones ended). Hover the ▼ at the top of a line to read it.</p>"
        f'<div class="grid">{cells}</div></section>'
    )


CHRONICLE_PAGE = 60
"""A chronicle longer than this opens at its first year, one year a page."""
KIND_LABELS = {kind: kind.replace("_", " ") for kind in NOTABLE} | {YEAR: "yearly summary"}


def chronicle_section(view: RunView) -> str:
    """The chronicle as a table that can be filtered by place, gang and kind of event."""
    names = view.context.names
    rows = entries(view.events, names)
    places = sorted({e.place for e in rows if e.place}, key=names.place)
    gangs = sorted({g for e in rows for g in e.gangs}, key=names.gang)
    kinds = sorted({e.kind for e in rows}, key=lambda k: KIND_LABELS.get(k, k))
    years = sorted({f"{e.date:%Y}" for e in rows})
    paged = " data-paged" if len(rows) > CHRONICLE_PAGE else ""
    filters = (
        _select("year", "every year", [(y, y) for y in years])
        + '<button type="button" id="year-prev" title="the year before">&#9664;</button>'
        + '<button type="button" id="year-next" title="the year after">&#9654;</button>'
        + _select("place", "every place", [(p, names.place(p)) for p in places])
        + _select("gang", "every gang", [(g, names.gang(g)) for g in gangs])
        + _select("kind", "every kind of event", [(k, KIND_LABELS.get(k, k)) for k in kinds])
        + '<input id="filter-text" type="search" placeholder="words in the sentence">'
    )
    body = "".join(_chronicle_row(e) for e in rows)
    return (
        '<section id="why"><h2>Why: the chronicle</h2>'
        "<p class='hint'>The notable events as dated sentences; in grey, the event that caused "
        "each one. At each year's end, a line per gang sums up its routine activity. A long "
        "chronicle opens at its first year: step through the years, or choose every year.</p>"
        f'<div class="filters">{filters}<span id="chronicle-count"></span></div>'
        f'<table id="chronicle" class="chronicle"{paged}><thead><tr><th>date</th><th>what happened'
        f"</th><th>because of</th></tr></thead><tbody>{body}</tbody></table></section>"
    )


def _select(name: str, everything: str, options: list[tuple[str, str]]) -> str:
    items = "".join(f'<option value="{escape(v)}">{escape(t)}</option>' for v, t in options)
    return (
        f'<label>{name} <select id="filter-{name}"><option value="">{everything}</option>'
        f"{items}</select></label>"
    )


def _chronicle_row(e: Entry) -> str:
    return (
        f'<tr data-place="{escape(e.place)}" data-gangs="{escape(" ".join(e.gangs))}" '
        f'data-kind="{escape(e.kind)}" data-year="{e.date:%Y}">'
        f'<td class="date">{e.date:%Y-%m-%d}</td>'
        f'<td>{escape(e.text)}</td><td class="cause">{escape(e.cause)}</td></tr>'
    )


def schedule_section(view: RunView) -> str:
    dated = sorted(view.context.decisions, key=lambda d: d["date"])  # stable: same day, in order
    rows = [[escape(d["date"]), escape(d["text"])] for d in dated]
    return (
        '<section id="schedule"><h2>The schedule: what the state decided</h2>'
        "<p class='hint'>These decisions are the run's inputs. Everything else, what gangs "
        "did and how the state reacted to it, came from the model's mechanisms.</p>"
        + table(["date", "decision"], rows)
        + "</section>"
    )


def files_section(extra: list[str], whose: str = "") -> str:
    pngs = "".join(
        f'<li><a href="{FIGURE_FOLDER}/{n}.png">{FIGURE_FOLDER}/{n}.png</a></li>' for n in FIGURES
    )
    others = "".join(f"<li>{escape(x)}</li>" for x in extra)
    return (
        f'<section id="files"><h2>Files</h2><p>PNG copies of the main figures{whose}, beside '
        f"this file:</p><ul>{pngs}</ul><p>The data:</p><ul>{others}</ul>"
        "<p class='hint'>Rebuild this report from the folder with "
        "<code>peacezones report DIR</code>.</p></section>"
    )


RUN_FILES = [
    "series.parquet: every series (date, place, gang, variable, value)",
    "events.parquet: every event with its date, place, actor, target, count and cause",
    "run.json: what was run (scenario digest, seed, scale, version)",
]
BATCH_FILES = [
    "results.duckdb: every run of the batch (runs, series by month for compare and by year "
    "for validate, notable events, outcomes)",
    "runs.parquet, series.parquet, events.parquet, outcomes.parquet: the same as Parquet",
]


# --- compare and validate --------------------------------------------------------------


def batch_header(batch: BatchView) -> str:
    ctx, runs = batch.example.context, batch.runs
    policies = list(dict.fromkeys(runs["policy"]))
    replicates = runs.groupby("policy")["replicate"].nunique().max()
    what = "A comparison of policies" if batch.command == "compare" else "A validation"
    listed = ", ".join(policies)
    if batch.command == "validate":
        ablated = [p for p in policies if " without " in p]
        listed = ", ".join(p for p in policies if p not in ablated)
        if ablated:
            listed += f"; and {len(ablated)} of them with one mechanism switched off (ablation)"
    facts = [
        ("scenario", f"{ctx.scenario['name']}"),
        ("policies" if batch.command == "compare" else "arms", listed),
        *(
            (f"policy {name}", ctx.descriptions[name])
            for name in policies
            if batch.command == "compare" and name in ctx.descriptions
        ),
        ("replicates", f"{replicates} per {'policy' if batch.command == 'compare' else 'arm'}"),
        ("seed", str(runs["seed"].iloc[0])),
        ("scale", f"{float(runs['scale'].iloc[0]):g}"),
        ("version", f"peacezones {runs['version'].iloc[0]}"),
    ]
    return _header(ctx.scenario["title"], what, facts, ctx.scenario["description"])


def comparison_section(batch: BatchView) -> str:
    assert batch.per_policy is not None
    per, diff = batch.per_policy, batch.differences
    policies = list(dict.fromkeys(per["policy"]))
    labels = {o.name: o.description for o in OUTCOMES}
    arrows = {"min": " ↓", "max": " ↑"}
    directions = {o.name: arrows.get(o.direction, "") for o in OUTCOMES}
    indexed = per.set_index(["outcome", "policy"])
    rows = [
        [escape(labels.get(o, o)) + directions.get(o, ""),
         *(_interval(indexed.loc[(o, p)], "mean") for p in policies)]
        for o in dict.fromkeys(per["outcome"])
    ]  # fmt: skip
    html = (
        '<section id="policies"><h2>Outcomes by policy</h2>'
        "<p class='hint'>Mean over replicates with its 95% interval; ↓ marks an outcome a "
        "policy should lower. The same replicate draws the same random numbers under every "
        "policy, so the differences below are paired.</p>"
        + table(["outcome", *map(escape, policies)], rows, "numbers")
    )
    if diff is not None and not diff.empty:
        html += (
            f"<h3>Paired differences from {escape(policies[0])}</h3>"
            '<div id="fig-differences" class="figure wide"></div>'
            + table(
                ["outcome", "policy", "difference [95% interval]", "p"],
                [
                    [escape(labels.get(r.outcome, r.outcome)), escape(r.policy),
                     _interval(r, "difference"),
                     f"{r.p:.2g}" if r.p == r.p else "none: one pair"]
                    for r in diff.itertuples()
                ],
                "numbers",
            )
        )  # fmt: skip
    return html + "</section>"


def _interval(row: pd.Series | tuple, column: str) -> str:
    get = (lambda k: getattr(row, k)) if isinstance(row, tuple) else row.__getitem__
    value, bracket = interval(float(get(column)), float(get("low")), float(get("high")))
    return f"{value} <span class='ci'>{bracket}</span>" if bracket else value


def differences_figure(batch: BatchView) -> dict:
    """Each outcome's paired difference as a share of the baseline's mean, with intervals."""
    assert batch.per_policy is not None
    assert batch.differences is not None
    base = batch.per_policy.groupby("outcome")["mean"].first()
    labels = {o.name: o.description for o in OUTCOMES}
    traces = []
    for policy, rows in batch.differences.groupby("policy", sort=False):
        scale = rows["outcome"].map(base).abs().replace(0, float("nan")) / 100
        mid = rows["difference"] / scale.values
        traces.append(
            {
                "type": "scatter",
                "mode": "markers",
                "name": str(policy),
                "y": [labels.get(o, o) for o in rows["outcome"]],
                "x": [None if v != v else round(v, 2) for v in mid],
                "error_x": {
                    "type": "data",
                    "symmetric": False,
                    "array": _none((rows["high"] - rows["difference"]) / scale.values),
                    "arrayminus": _none((rows["difference"] - rows["low"]) / scale.values),
                },
            }
        )
    layout = {
        "title": {"text": f"Change from {batch.per_policy['policy'].iloc[0]}, % of its mean "
                  "(95% interval)", "font": {"size": 14}},
        "height": 80 + 28 * base.size,
        "margin": {"l": 330, "r": 20, "t": 50, "b": 40},
        "xaxis": {"zeroline": True, "zerolinecolor": "#444", "ticksuffix": "%"},
        "yaxis": {"autorange": "reversed"},
    }  # fmt: skip
    return {"data": traces, "layout": layout}


def _none(values: pd.Series) -> list[float | None]:
    return [None if not math.isfinite(v) else round(float(v), 2) for v in values]


VERDICT_CLASS = {"pass": "pass", "fail": "fail", "too few cases": "few", "not evidence": "few"}


def validation_section(batch: BatchView) -> str:
    """The scenario's patterns and observations, fitted and checked ones apart."""
    assert batch.validation is not None
    v = batch.validation.astype(object).fillna("")  # empty cells, whatever the dtype
    out = '<section id="patterns"><h2>Validation: patterns and observations</h2>'
    out += (
        "<p class='hint'>Each pattern of the scenario with its statistic, what was expected, "
        "what the runs gave (95% interval, or the number of cases) and its verdict; its "
        "ablation says whether it still passes with each of its mechanisms switched off (a "
        "pattern that does is not evidence). Then each observation against the model's "
        "mean. <b>Checks</b>: nothing was tuned to them. <b>Fitted</b>: a parameter was set "
        "to reach them, so agreement there is no evidence. docs/ODD.md defines each "
        "statistic.</p>"
    )
    groups = (("pattern", ("pattern",), "Patterns"), ("observation", ("observation", "trend"),
              "Observations"))  # fmt: skip
    for kind, kinds, title in groups:
        for role, words in (("check", "checks"), ("fit", "fitted")):
            rows = v[v["kind"].isin(kinds) & (v["role"] == role)]
            if rows.empty:
                continue
            held = int((rows["outcome"] == "pass").sum())
            columns = ["id", "statistic", "expected", "observed", "verdict"]
            columns += ["ablation"] if kind == "pattern" else []
            body = []
            for r in rows.itertuples():
                mark = VERDICT_CLASS.get(str(r.outcome), "fail")
                cells = [escape(str(r.id)), escape(str(r.statistic)), escape(str(r.expected)),
                         escape(str(r.observed)),
                         f'<span class="{mark}">{escape(str(r.outcome))}</span>']  # fmt: skip
                if kind == "pattern":
                    cells.append(escape(str(r.ablation)))
                body.append(cells)
            out += f"<h3>{title}, {words}: {held} of {len(rows)} pass</h3>" + table(columns, body)
    return out + "</section>"
