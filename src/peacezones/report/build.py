"""Building report.html (and its PNG figures) from a results folder."""

from __future__ import annotations

from pathlib import Path

from . import page
from .geography import map_figure, place_data
from .results import BatchView, RunView, load
from .series import Periods, figures
from .static import write_figures

FILE = "report.html"


def build_report(folder: Path) -> Path:
    """Write ``folder/report.html`` and ``folder/figures/*.png`` from the results there."""
    from ..experiments.output import _atomic

    results = load(folder)
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
    write_figures(periods, folder)
    return _atomic(folder / FILE, lambda p: p.write_text(html, encoding="utf-8"))


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
        f"{view.meta['policy']}, replicate {view.meta['replicate']}: its series and "
        "notable events as the batch stores them, by month (compare) or by year (validate), "
        "so its &ldquo;start&rdquo; is the end of its first period; "
        "<code>peacezones run</code> gives a run week by week.</p></section>"
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
            page.files_section(page.BATCH_FILES),
        ]
    )
    title = f"{view.context.scenario['title']}: {batch.command}"
    return title, f"<main>{body}</main>"


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
