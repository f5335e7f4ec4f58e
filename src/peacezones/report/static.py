"""PNG copies of the report's main figures (matplotlib, no display needed), for slides and
papers: violent deaths by year and type, gang members, places held, and the final map."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from ..analysis.summary import homicide_rates
from .geography import FONT_PIXELS, INSET_ROOM, cells, dot, drawn, inset_region, placed
from .series import (
    CONTESTED_COLOUR,
    STATE_COLOUR,
    TYPE_COLOURS,
    Periods,
)

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

FOLDER = "figures"
DPI = 110


def write_figures(periods: Periods, folder: Path) -> list[Path]:
    """Write the PNGs into ``folder/figures``; each file appears whole or not at all."""
    from ..experiments.output import _atomic

    target = folder / FOLDER
    target.mkdir(exist_ok=True)
    written = []
    for name, draw in FIGURES.items():
        figure = _new(draw, periods)
        written.append(
            _atomic(target / f"{name}.png", lambda p, f=figure: f.savefig(p, format="png", dpi=DPI))
        )
    return written


def _new(draw: Callable[[Figure, Periods], None], periods: Periods) -> Figure:
    from matplotlib.figure import Figure

    figure = Figure(figsize=(8, 4.5))
    # fixed margins, room below for the legend: a layout engine would draw each figure twice
    figure.subplots_adjust(left=0.08, right=0.98, top=0.92, bottom=0.2)
    draw(figure, periods)
    return figure


def _homicides(figure: Figure, periods: Periods) -> None:
    view = periods.view
    rates = homicide_rates(view.series, view.context.residents).drop(columns="all")
    ax = figure.subplots()
    bottom = None
    for column in [c for c in TYPE_COLOURS if c in rates]:
        colour = TYPE_COLOURS[column]
        ax.bar(rates.index, rates[column], bottom=bottom, label=column, color=colour)
        bottom = rates[column] if bottom is None else bottom + rates[column]
    ax.set_title("Violent deaths per 100,000 residents, by year and type")
    ax.set_xticks(list(rates.index))
    _legend(figure, ax)
    _marks(ax, periods)


def _gang_plot(variable: str, title: str, step: bool = False):
    def draw(figure: Figure, periods: Periods) -> None:
        names = periods.view.context.names
        table = periods.gang(variable)
        ax = figure.subplots()
        for gang in table.columns:
            colour = periods.gang_colour(gang)
            kind = {"drawstyle": "steps-post"} if step else {}
            ax.plot(table.index, table[gang], label=names.gang(gang), color=colour, **kind)
        ax.set_title(title)
        ax.set_ylim(bottom=0)
        _legend(figure, ax)
        _marks(ax, periods, dates=True)

    return draw


def _legend(figure: Figure, ax: Axes) -> None:
    figure.legend(*ax.get_legend_handles_labels(), loc="lower center", ncols=4, fontsize=8)


def _marks(ax: Axes, periods: Periods, dates: bool = False) -> None:
    """The schedule's decisions as dotted lines (by year on a bar chart of years)."""
    import pandas as pd

    for d in periods.view.context.decisions:
        when = pd.Timestamp(d["date"])
        x = when if dates else when.year + (when.day_of_year - 0.5) / 366 - 0.5
        ax.axvline(x, color="#999999", linestyle=":", linewidth=0.8, zorder=0)


def _map(figure: Figure, periods: Periods) -> None:
    """The last period's control, with the inset in the lower right as on the page."""
    ctx = periods.view.context
    control = periods.place("controller").iloc[-1]
    zones = periods.place("in_zone").iloc[-1].fillna(0.0)
    places = drawn(ctx.places)
    inset = inset_region(places)
    figure.set_size_inches(9, 7)
    main = figure.subplots()
    axes = [main]
    if inset:
        _, lon_range, lat_range = inset
        axes.append(main.inset_axes((0.5, 0.01, 0.49, 0.55)))
        axes[1].set_xlim(*lon_range)
        axes[1].set_ylim(*lat_range)
        axes[1].set_title(f"{inset[0]} (enlarged)", fontsize=8, y=0.9)
        main.indicate_inset_zoom(axes[1], edgecolor="#555555")
    for ax in axes:
        for cell in cells(places):
            zoned = zones[cell.id] > 0
            edge = {"edgecolor": "#b2182b", "linewidth": 2} if zoned else {"edgecolor": "white"}
            ax.fill(
                cell.lon, cell.lat, facecolor=periods.controller_colour(control[cell.id]), **edge
            )
        ax.set_aspect("equal", adjustable="box")
        ax.set_xticks([])
        ax.set_yticks([])
    if inset:
        south, north = main.get_ylim()
        main.set_ylim(south - INSET_ROOM * (north - south), north)
    region = inset[0] if inset else None
    main.set_title(f"Who holds each place, {periods.labels[-1]}")
    _map_legend(figure, periods)
    figure.draw_without_rendering()  # the axes take their final size and aspect
    inside = [p for p in places if p["region"] == region]
    outside = [p for p in places if p["region"] != region]
    _name(main, outside, [axes[1]] if inset else [], inside)
    if inset:
        _name(axes[1], inside, [], [])


LABEL_POINTS = 6.0  # the map's labels' font size
GAP_POINTS = 2.0  # between a place's point and its label
SIDES = {"top": ("bottom", 1.0), "bottom": ("top", -1.0), "middle": ("center", 0.0),
         "center": ("center", 0.0), "right": ("left", 1.0), "left": ("right", -1.0)}  # fmt: skip
"""A label's position (as geography.placed gives it) as matplotlib's alignment of the
text and the direction of its offset from the point."""


def _name(ax: Axes, places: list[dict], covering: list[Axes], hidden: list[dict]) -> None:
    """Name ``places`` on ``ax`` where no label covers another label or another place's
    point (geography.placed, as on the report's map), and none falls under the axes in
    ``covering`` (the inset) or on the points of ``hidden`` places (drawn under it)."""
    figure = ax.get_figure()
    to_pixels = ax.transData.transform
    (x0, y0), (x1, y1) = to_pixels([(0.0, 0.0), (1.0, 1.0)])
    # geography.placed measures labels in its own font's pixels: scale the map to ours
    scale = FONT_PIXELS / (LABEL_POINTS * figure.dpi / 72.0)
    pixels = ((x1 - x0) * scale, (y1 - y0) * scale)
    blocked = []
    for other in covering:
        (left, bottom), (right, top) = other.get_window_extent().get_points()
        (w, s), (e, n) = ax.transData.inverted().transform([(left, bottom), (right, top)])
        blocked.append((w * pixels[0], -n * pixels[1], e * pixels[0], -s * pixels[1]))
    blocked += [dot(p["lon"] * pixels[0], -p["lat"] * pixels[1]) for p in hidden]
    names, positions = placed(places, pixels, blocked=blocked)
    for p, name, position in zip(places, names, positions, strict=True):
        if not name:
            continue  # no room: left unnamed, as the report leaves it to the hover
        vertical, horizontal = position.split()
        va, up = SIDES[vertical]
        ha, right = SIDES[horizontal]
        ax.annotate(name, (p["lon"], p["lat"]), xytext=(right * GAP_POINTS, up * GAP_POINTS),
                    textcoords="offset points", fontsize=LABEL_POINTS, ha=ha, va=va)  # fmt: skip


def _map_legend(figure: Figure, periods: Periods) -> None:
    from matplotlib.patches import Patch

    names = periods.view.context.names
    handles = [Patch(color=STATE_COLOUR, label="the state"),
               Patch(color=CONTESTED_COLOUR, label="contested")]  # fmt: skip
    handles += [Patch(color=periods.gang_colour(g), label=names.gang(g)) for g in periods.shown]
    handles.append(Patch(facecolor="white", edgecolor="#b2182b", label="peace zone"))
    figure.legend(handles=handles, loc="lower center", ncols=5, fontsize=7)


FIGURES: dict[str, Callable[[Figure, Periods], None]] = {
    "homicides": _homicides,
    "members": _gang_plot("members", "Gang members"),
    "control": _gang_plot("places_held", "Places held by each gang", step=True),
    "map": _map,
}
