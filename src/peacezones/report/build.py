"""Building report.html (and its PNG figures) from a results folder."""

from __future__ import annotations

import re
from html import escape
from pathlib import Path

from . import page
from .geography import map_figure, place_data
from .results import BatchView, RunView, load
from .series import Periods, figures
from .static import write_figures

FILE = "report.html"
OTHER = re.compile(r"^report-[0-9]+\.html$")
"""The reports of a comparison that show a later policy's run in full."""


def file_of(index: int) -> str:
    """The report that shows the run of a comparison's policy number ``index`` (from 1) in
    full: report.html for the first (the baseline), report-2.html for the second..."""
    return FILE if index == 1 else f"report-{index}.html"


def build_report(folder: Path) -> Path:
    """Write ``folder/report.html`` and ``folder/figures/*.png`` from the results there;
    for a comparison, also ``report-2.html``... : the same report with a run of each later
    policy shown in full."""
    results = load(folder)
    names = {file_of(i): policy for i, policy in _others(results)}
    for stale in folder.iterdir():  # of an earlier comparison in this folder
        if OTHER.match(stale.name) and stale.name not in names:
            stale.unlink()
    for name, policy in names.items():
        other = load(folder, policy)
        assert isinstance(other, BatchView)
        _write(folder, other, name, pictures=False)
    return _write(folder, results, FILE, pictures=True)


def _others(results: RunView | BatchView) -> list[tuple[int, str]]:
    """The later policies of a comparison whose run can be shown in full, with their
    number (from 1): those whose schedule report.json keeps (a folder written before it
    kept them has none)."""
    if not isinstance(results, BatchView) or results.command != "compare":
        return []
    kept = results.example.context.schedules
    return [(i, p) for i, p in enumerate(results.policies, start=1) if i > 1 and p in kept]


def _write(folder: Path, results: RunView | BatchView, name: str, pictures: bool) -> Path:
    from ..experiments.output import _atomic

    view = results.example if isinstance(results, BatchView) else results
    periods = Periods(view)
    charts = figures(periods)
    data = {
        "figures": charts,
        "map": map_figure(periods),
        "places": place_data(periods),
    }
    if isinstance(results, BatchView):
        title, body = _batch_body(results, list(charts), data)
    else:
        title, body = _run_body(results, list(charts))
    html = page.document(title, body, data)
    if pictures:
        write_figures(periods, folder)
    return _atomic(folder / name, lambda p: p.write_text(html, encoding="utf-8"))


def _run_body(view: RunView, charts: list[str]) -> tuple[str, str]:
    title = f"{view.context.scenario['title']}: {view.meta['policy']}, seed {view.meta['seed']}"
    body = "".join(
        [
            page.run_header(view),
            _contents(["glance", "where", "when", "why", "schedule", "files"]),
            page.glance(view),
            page.map_section(view),
            page.series_section(charts),
            page.chronicle_section(view),
            page.schedule_section(view),
            page.files_section(page.RUN_FILES),
        ]
    )
    return title, f"<main>{body}</main>"


def _batch_body(batch: BatchView, charts: list[str], data: dict) -> tuple[str, str]:
    view = batch.example
    if batch.command == "compare":
        summary = page.comparison_section(batch)
        if batch.differences is not None and not batch.differences.empty:
            data["figures"]["fig-differences"] = page.differences_figure(batch)
        first = "policies"
    else:
        summary = page.validation_section(batch)
        first = "patterns"
    example = (
        '<section class="example"><h2>One run in full</h2><p class="hint">Policy '
        f"{escape(view.meta['policy'])}, replicate {view.meta['replicate']}: its series and "
        "notable events as the batch stores them, by month (compare) or by year (validate), "
        "so its &ldquo;start&rdquo; is the end of its first period; "
        "<code>peacezones run</code> gives a run week by week.</p>"
        f"{_switch(batch) if _others(batch) else ''}</section>"
    )
    body = "".join(
        [
            page.batch_header(batch),
            _contents([first, "glance", "where", "when", "why", "schedule", "files"]),
            summary,
            example,
            page.glance(view),
            page.map_section(view),
            page.series_section(charts),
            page.chronicle_section(view),
            page.schedule_section(view),
            page.files_section(page.BATCH_FILES, _figures_of(batch)),
        ]
    )
    title = f"{view.context.scenario['title']}: {batch.command}"
    return title, f"<main>{body}</main>"


def _figures_of(batch: BatchView) -> str:
    """Whose run the PNG figures show, where this page shows another's."""
    first = batch.policies[0]
    if batch.example.meta["policy"] == first:
        return ""
    return f" of the run of {escape(first)} (report.html)"


def _switch(batch: BatchView) -> str:
    """Links to the same report with another policy's run shown in full (the same
    replicate: common random numbers make the runs comparable)."""
    shown = batch.example.meta["policy"]
    links = [
        f'<strong aria-current="page">{escape(p)}</strong>'
        if p == shown
        else f'<a href="{file_of(i)}">{escape(p)}</a>'
        for i, p in [(1, batch.policies[0]), *_others(batch)]
    ]
    return f'<p class="policies-shown" id="runs-shown">Show the run of: {" · ".join(links)}</p>'


CONTENTS = {
    "policies": "Outcomes by policy",
    "patterns": "Patterns",
    "glance": "At a glance",
    "where": "Map",
    "when": "Series",
    "why": "Chronicle",
    "schedule": "Schedule",
    "files": "Files",
}


def _contents(ids: list[str]) -> str:
    links = " · ".join(f'<a href="#{i}">{CONTENTS[i]}</a>' for i in ids)
    return f'<nav class="contents">{links}</nav>'
