"""A run's series by period, and the report's time-series figures (Plotly figure specs)
with the schedule's decisions and the state's offensives marked."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from ..analysis.summary import HOMICIDE_TYPES, LIVING
from ..engine.outcomes import PLACE_COUNTS
from .results import RunView

GANG_COLOURS = (
    "#1f77b4", "#d62728", "#9467bd", "#2ca02c", "#ff7f0e",
    "#8c564b", "#e377c2", "#17becf", "#bcbd22", "#7f7f7f",
)  # fmt: skip
STATE_COLOUR = "#dcdcdc"
CONTESTED_COLOUR = "#505050"
TYPE_COLOURS = {
    "gang on gang": "#d62728",
    "gang on civilian": "#ff7f0e",
    "local armed groups": "#8c564b",
    "by police": "#1f77b4",
    "other": "#9e9e9e",
}
REGION_COLOURS = ("#4c72b0", "#dd8452", "#55a868", "#c44e52", "#8172b3", "#937860")
MARKED_EVENTS = ("offensive", "zone_ended")


class Periods:
    """The run's place and gang series by period: months for a weekly run or the monthly
    series of a comparison, years for the yearly series a validation keeps. Counts are
    summed over a period, states are its last."""

    def __init__(self, view: RunView) -> None:
        s = view.series
        self.view = view
        self.monthly = s["date"].nunique() > 2 * s["date"].dt.year.nunique()
        self.per_year = 12 if self.monthly else 1
        self.period = s["date"].dt.to_period("M" if self.monthly else "Y")
        self.starts = [p.start_time for p in sorted(self.period.unique())]
        self.labels = [f"{d:%Y-%m}" if self.monthly else f"{d:%Y}" for d in self.starts]
        self.places = [p["id"] for p in view.context.places]
        self.gangs = [g["id"] for g in view.context.gangs]
        """Every gang the controller codes may name, in index order (M21's slots too)."""
        lived = set(s.loc[s["variable"] == "alive", "gang"].astype(str))
        self.shown = [g for g in self.gangs if g in lived]
        """The gangs that lived in the run: the ones its figures and legend show."""
        self.unit = "a month" if self.monthly else "a year"

    def gang_colour(self, gang: str) -> str:
        """A gang's colour: by its place among the gangs that lived, so that a gang formed
        in the run (M21) does not take the colour of one of the scenario's."""
        return GANG_COLOURS[self.shown.index(gang) % len(GANG_COLOURS)]

    def controller_colour(self, code: float) -> str:
        """The map's colour for a controller code: the state, contested, or a gang."""
        if code != code or code == -1:  # NaN: no record, shown as the state's
            return STATE_COLOUR
        return CONTESTED_COLOUR if code < 0 else self.gang_colour(self.gangs[int(code)])

    def place(self, variable: str) -> pd.DataFrame:
        """One row per period, one column per place."""
        s = self.view.series
        rows = s["variable"] == variable
        grouped = s[rows].groupby([self.period[rows], s.loc[rows, "place"]])["value"]
        table = (grouped.sum() if variable in PLACE_COUNTS else grouped.last()).unstack()
        table.index = [p.start_time for p in table.index]
        return table.reindex(index=self.starts, columns=self.places)

    def _has(self, variable: str) -> bool:
        return bool((self.view.series["variable"] == variable).any())

    def gang(self, variable: str) -> pd.DataFrame:
        """One row per date of the series (every week for a run), one column per gang."""
        s = self.view.series
        rows = s[s["variable"] == variable]
        table = rows.pivot_table(index="date", columns="gang", values="value", aggfunc="last")
        return table.reindex(columns=self.shown)

    def by_region(self, variable: str, weighted: bool = False) -> pd.DataFrame:
        """Per period and region: the sum over its places, or a population-weighted mean."""
        table = self.place(variable).fillna(0.0)
        regions = pd.Series({p["id"]: p["region"] for p in self.view.context.places})
        if not weighted:
            return table.T.groupby(regions).sum().T[_unique(regions)]
        people = pd.Series({p["id"]: p["population"] for p in self.view.context.places})
        weighted_sum = (table * people).T.groupby(regions).sum().T
        mean = weighted_sum / people.groupby(regions).sum().replace(0, float("nan"))
        return mean[_unique(regions)].dropna(axis=1, how="all")

    def homicide_rates(self) -> pd.DataFrame:
        """Violent deaths per 100,000 people living in the places a year (at each period's
        end, where the series has them; else per the residents at the start), per period
        and type."""
        residents: pd.Series | float = self.view.context.residents
        if (self.view.series["variable"] == "civilians").any():
            living = sum(self.place(v).sum(axis=1) for v in LIVING if self._has(v))
            residents = living.where(living > 0)
        return pd.DataFrame(
            {
                label: self.place(variable).sum(axis=1) / residents * 1e5 * self.per_year
                for variable, label in HOMICIDE_TYPES.items()
            }
        )


def _unique(values: pd.Series) -> list[str]:
    return list(dict.fromkeys(values))


def figures(periods: Periods) -> dict[str, dict]:
    """Every time-series figure of the report, by its element id."""
    marks = _marks(periods.view)
    unit = periods.unit
    specs: dict[str, tuple[str, str, Callable[[], list[dict]]]] = {
        "fig-homicides": (
            "Violent deaths per 100,000 residents a year, by type",
            "per 100,000 a year",
            lambda: _stacked(periods.homicide_rates()),
        ),
        "fig-members": ("Gang members", "members", lambda: _gang_lines(periods, "members")),
        "fig-treasury": (
            "Gang treasuries (USD)",
            "USD",
            lambda: _gang_lines(periods, "treasury"),
        ),
        "fig-control": (
            "Places held by each gang",
            "places",
            lambda: _gang_lines(periods, "places_held", shape="hv"),
        ),
        "fig-governance": (
            "Gang governance over residents, by region (0 none, 1 full)",
            "governance",
            lambda: _lines(periods.by_region("governance", weighted=True), REGION_COLOURS),
        ),
        "fig-displacement": (
            f"People displaced (fled or expelled), {unit}, by region",
            "people",
            lambda: _lines(periods.by_region("displaced"), REGION_COLOURS),
        ),
        "fig-crime": (
            f"Extortion, kidnapping and highway robbery, {unit}",
            "cases",
            lambda: _lines(
                pd.DataFrame(
                    {
                        v.replace("_", " "): periods.place(v).sum(axis=1)
                        for v in ("extortion", "kidnapping", "highway_robbery")
                    }
                ),
                ("#8c564b", "#d62728", "#9467bd"),
            ),
        ),
    }
    return {key: _figure(title, y, build(), marks) for key, (title, y, build) in specs.items()}


def _figure(title: str, y_title: str, traces: list[dict], marks: dict) -> dict:
    layout = {
        "title": {"text": title, "font": {"size": 14}, "x": 0.01},
        "height": 330,
        "margin": {"l": 60, "r": 20, "t": 60, "b": 40},
        "xaxis": {"type": "date"},
        "yaxis": {"title": {"text": y_title}, "rangemode": "tozero"},
        "legend": {"orientation": "h", "y": -0.15, "font": {"size": 10}},
        "hovermode": "x unified",
        **marks,
    }
    return {"data": traces, "layout": layout}


def _xs(index: pd.Index) -> list[str]:
    return [f"{d:%Y-%m-%d}" for d in index]


def _values(column: pd.Series) -> list[float | None]:
    return [None if v != v else round(float(v), 4) for v in column]


def _stacked(table: pd.DataFrame) -> list[dict]:
    return [
        {
            "type": "scatter",
            "x": _xs(table.index),
            "y": _values(table[c]),
            "name": c,
            "stackgroup": "one",
            "line": {"width": 0.5, "color": TYPE_COLOURS.get(c, "#7f7f7f")},
            "hovertemplate": "%{y:.1f}",
        }
        for c in table.columns
    ]


def _lines(table: pd.DataFrame, colours: tuple[str, ...], shape: str = "linear") -> list[dict]:
    return [
        {
            "type": "scatter",
            "mode": "lines",
            "x": _xs(table.index),
            "y": _values(table[c]),
            "name": str(c),
            "line": {"width": 1.6, "color": colours[i % len(colours)], "shape": shape},
        }
        for i, c in enumerate(table.columns)
    ]


def _gang_lines(periods: Periods, variable: str, shape: str = "linear") -> list[dict]:
    names = periods.view.context.names
    table = periods.gang(variable)
    colours = tuple(periods.gang_colour(g) for g in table.columns)
    table.columns = [names.gang(g) for g in table.columns]
    return _lines(table, colours, shape)


def _marks(view: RunView) -> dict:
    """Dotted lines at the schedule's decisions, red ones at offensives and zones ended by
    the state's reaction; hovering the mark at the top tells what it was."""
    groups: dict[tuple[str, str], list[str]] = {}
    for d in view.context.decisions:
        groups.setdefault((d["date"], "decision"), []).append(d["text"])
    names = view.context.names
    e = view.events
    for _, row in e[e["kind"].isin(MARKED_EVENTS)].iterrows():
        text = (
            f"Offensive of {row['count']:,.0f} officers against {names.gang(row.target)}"
            if row.kind == "offensive"
            else f"The peace zone in {names.place(row.place)} ends"
        )
        groups.setdefault((f"{row.date:%Y-%m-%d}", "reaction"), []).append(text)
    shapes, notes = [], []
    for (date, kind), texts in sorted(groups.items()):
        colour = "#888888" if kind == "decision" else "#c0392b"
        shapes.append(
            {
                "type": "line",
                "x0": date,
                "x1": date,
                "yref": "paper",
                "y0": 0,
                "y1": 1,
                "line": {"color": colour, "width": 1, "dash": "dot"},
            }
        )
        notes.append(
            {
                "x": date,
                "y": 1.0,
                "yref": "paper",
                "yanchor": "bottom",
                "text": "▼",
                "showarrow": False,
                "font": {"color": colour, "size": 10},
                "hovertext": f"{date}<br>" + "<br>".join(texts),
            }
        )
    return {"shapes": shapes, "annotations": notes}
