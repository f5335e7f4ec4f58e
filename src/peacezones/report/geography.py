"""The map: a cell around each place's coordinates (scenarios give points, not borders),
coloured by who controls the place, zones outlined, with a time slider and an inset on the
densest cluster of places (Caracas in the default scenario)."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..analysis.summary import HOMICIDE_TYPES
from .series import CONTESTED_COLOUR, STATE_COLOUR, Periods

CIRCLE_POINTS = 36
BASE_RADIUS = 0.035  # degrees: the cell of a place with no residents
RADIUS_PER_ROOT_PERSON = 1e-4  # degrees per square root of a resident: cities look larger
NEIGHBOUR_REACH = 1.5  # a cell reaches at most this many times its nearest neighbour's distance
INSET_ROOM = 1.4  # the main map extends south by this share of its height to hold the inset
INSET_TOP = 0.6  # the inset's top, as a share of the map's height from its bottom
INSET_LEFT = 0.3  # the inset's left side, as a share of the map's width
INSET_SHARE = 0.1  # a region this much smaller than the map gets an inset
FAR = 2.0  # a place farther from the others' middle than this many times the third
# quartile of their distances from it is drawn on the edge of the others' box
MAP_PIXELS = (900.0, 500.0)  # about the map's plot area in the report (width, height)
FONT_PIXELS = 10  # the labels' font size, which the sizes below are measured in
CHAR_PIXELS = 6.0  # about the width of a character of the labels' font
LINE_PIXELS = 13.0
DOT_PIXELS = 4.0  # half the side of a place's point, which no other place's label covers
PAD_PIXELS = 2.0  # kept clear around a label (Plotly sets a text-only label against its point)
ZONE_LINE = {"color": "#b2182b", "width": 3}
PLAIN_LINE = {"color": "#ffffff", "width": 1}


@dataclass(frozen=True)
class Cell:
    """A place's outline in longitude and latitude."""

    id: str
    lon: list[float]
    lat: list[float]


def drawn(places: list[dict]) -> list[dict]:
    """The places where the map draws them: at their coordinates, except a place far from
    all the others (an aggregate such as "Rest of Venezuela", set at the country's middle),
    which is drawn on the edge of the others' box, in its direction, with a small cell and
    ``far`` set, so that it does not shrink every other place into a corner of the map."""
    if len(places) < 4:
        return places
    lons, lats = np.array([p["lon"] for p in places]), np.array([p["lat"] for p in places])
    middle = np.array([np.median(lons), np.median(lats)])
    shrink = math.cos(math.radians(middle[1]))
    distance = np.hypot((lons - middle[0]) * shrink, lats - middle[1])
    far = distance > FAR * float(np.percentile(distance, 75)) + 2 * BASE_RADIUS
    if not far.any():
        return places
    margin = 4 * BASE_RADIUS
    low = np.array([lons[~far].min(), lats[~far].min()]) - margin
    high = np.array([lons[~far].max(), lats[~far].max()]) + margin
    out = []
    for p, is_far in zip(places, far, strict=True):
        if is_far:
            away = np.array([p["lon"], p["lat"]]) - middle
            edge = np.where(away > 0, high - middle, low - middle)
            with np.errstate(divide="ignore", invalid="ignore"):
                k = min(1.0, *np.where(away != 0, edge / away, np.inf))
            lon, lat = middle + k * away
            p = {**p, "lon": float(lon), "lat": float(lat), "far": True}
        out.append(p)
    return out


def cells(places: list[dict]) -> list[Cell]:
    """Voronoi cells of the places' points, each clipped to a disc that grows with the
    place's population but not past its nearest neighbour, so a dense cluster stays compact;
    computed in a plane where a degree of longitude is shortened by the cosine of the
    latitude, so cells look round on the map."""
    shrink = math.cos(math.radians(np.mean([p["lat"] for p in places])))
    points = np.array([[p["lon"] * shrink, p["lat"]] for p in places])
    distances = np.hypot(*(points[:, None, :] - points[None, :, :]).transpose(2, 0, 1))
    distances[distances == 0] = np.inf
    nearest = distances.min(axis=1)
    out = []
    for i, place in enumerate(places):
        radius = BASE_RADIUS + RADIUS_PER_ROOT_PERSON * math.sqrt(place["population"])
        if place.get("far"):  # drawn nearer than it lies: a mark, not a territory
            radius = 2 * BASE_RADIUS
        radius = min(radius, NEIGHBOUR_REACH * nearest[i])
        angles = np.linspace(0, 2 * math.pi, CIRCLE_POINTS, endpoint=False)
        polygon = points[i] + radius * np.column_stack([np.cos(angles), np.sin(angles)])
        for j in range(len(places)):
            if j != i and not np.allclose(points[i], points[j]):
                polygon = _clip(polygon, (points[i] + points[j]) / 2, points[j] - points[i])
        closed = np.vstack([polygon, polygon[:1]])
        out.append(Cell(place["id"], _round(closed[:, 0] / shrink), _round(closed[:, 1])))
    return out


def _clip(polygon: np.ndarray, middle: np.ndarray, normal: np.ndarray) -> np.ndarray:
    """The part of a convex polygon on the near side of the line through ``middle`` that is
    perpendicular to ``normal`` (one step of Sutherland-Hodgman)."""
    side = (polygon - middle) @ normal
    out = []
    for k in range(len(polygon)):
        a, b = polygon[k], polygon[(k + 1) % len(polygon)]
        sa, sb = side[k], side[(k + 1) % len(polygon)]
        if sa <= 0:
            out.append(a)
        if (sa < 0) != (sb < 0) and sa != sb:
            out.append(a + (b - a) * (sa / (sa - sb)))
    return np.array(out) if out else polygon[:0]


def _round(values: np.ndarray) -> list[float]:
    return [round(float(v), 5) for v in values]


def inset_region(places: list[dict]) -> tuple[str, list[float], list[float]] | None:
    """The region to show in an inset: the one with the smallest spread among those with
    three places or more, when it is under a tenth of the whole map's."""

    def spread(group: list[dict]) -> float:
        lons, lats = [p["lon"] for p in group], [p["lat"] for p in group]
        return math.hypot(max(lons) - min(lons), max(lats) - min(lats))

    regions: dict[str, list[dict]] = {}
    for p in places:
        regions.setdefault(p["region"], []).append(p)
    candidates = [(spread(g), name, g) for name, g in regions.items() if len(g) >= 3]
    if not candidates:
        return None
    size, name, group = min(candidates, key=lambda c: c[0])
    if size > INSET_SHARE * spread(places):
        return None
    pad = max(size * 0.35, BASE_RADIUS / 2)
    lons, lats = [p["lon"] for p in group], [p["lat"] for p in group]
    return (
        name,
        [min(lons) - pad, max(lons) + pad],
        [min(lats) - pad, max(lats) + pad],
    )


def map_figure(periods: Periods) -> dict:
    """The map as a Plotly figure with one frame per period."""
    ctx = periods.view.context
    places = drawn(ctx.places)
    outlines = cells(places)
    inset = inset_region(places)
    panels = [("x", "y", list(range(len(outlines))))]
    if inset:
        panels.append(("x2", "y2", [k for k, c in enumerate(outlines) if _within(c, inset)]))
    control = periods.place("controller")
    zoned = periods.place("in_zone").fillna(0.0)
    traces, updates = [], []
    for xaxis, yaxis, shown in panels:
        for k in shown:
            traces.append(_cell_trace(outlines[k], ctx.names.place(outlines[k].id), xaxis, yaxis))
        traces.append(_points_trace([places[k] for k in shown], xaxis, yaxis))
    traces += _labels(places, inset, _extent(places, outlines, inset))
    traces += _legend(periods)
    for when, label in zip(periods.starts, periods.labels, strict=True):
        frame = _frame(periods, control.loc[when], zoned.loc[when], [s for *_, s in panels])
        updates.append({"name": label, **frame})
    layout = _layout(places, outlines, inset, periods)
    first = updates[0]["data"]
    for k, update in enumerate(first):  # the figure opens on the first frame
        traces[k] = _merge(traces[k], update)
    return {"data": traces, "layout": layout, "frames": updates}


def _within(cell: Cell, inset: tuple) -> bool:
    """Whether a cell overlaps the inset's box."""
    _, (west, east), (south, north) = inset
    return (
        min(cell.lon) < east
        and max(cell.lon) > west
        and min(cell.lat) < north
        and max(cell.lat) > south
    )


def _merge(trace: dict, update: dict) -> dict:
    merged = {**trace, **update}
    for key in ("line", "marker"):
        if key in trace and key in update:
            merged[key] = {**trace[key], **update[key]}
    return merged


def _cell_trace(cell: Cell, name: str, xaxis: str, yaxis: str) -> dict:
    return {
        **_on_panel(cell.lon, cell.lat, xaxis, yaxis),
        "mode": "lines",
        "fill": "toself",
        "fillcolor": STATE_COLOUR,
        "line": dict(PLAIN_LINE),
        "name": name,
        "meta": cell.id,
        "hoveron": "fills",
        "hoverinfo": "name",
    }


def _on_panel(lons: list[float], lats: list[float], xaxis: str, yaxis: str) -> dict:
    """A trace's points, on one panel of the map."""
    return {"type": "scatter", "x": lons, "y": lats, "showlegend": False,
            "xaxis": xaxis, "yaxis": yaxis}  # fmt: skip


def _at_places(places: list[dict], xaxis: str, yaxis: str) -> dict:
    return _on_panel([p["lon"] for p in places], [p["lat"] for p in places], xaxis, yaxis)


def _points_trace(places: list[dict], xaxis: str, yaxis: str) -> dict:
    return {
        **_at_places(places, xaxis, yaxis),
        "mode": "markers",
        "customdata": [p["id"] for p in places],
        "marker": {"size": 7, "line": {"color": "#ffffff", "width": 1}},
        "hoverinfo": "text",
    }


def _labels(places: list[dict], inset: tuple | None, extent: tuple) -> list[dict]:
    """Place names: in the inset for its region, on the main map for the others
    (``extent``: the main map's longitudes, latitudes and aspect, from _extent)."""
    region = inset[0] if inset else None
    main = [p for p in places if p["region"] != region]
    pixels = _pixels(extent, inset)
    # a label on the main map stays above the inset, which covers its lower part
    (_, _), (south, north), _ = extent
    floor = -(south + INSET_TOP * (north - south)) * pixels[0][1] if inset else math.inf
    inside = [p for p in places if p["region"] == region]
    per_lon, per_lat = pixels[0]
    # the inset's places are drawn on the main map too, unnamed, inside its box
    blocked = [dot(p["lon"] * per_lon, -p["lat"] * per_lat) for p in inside]
    if inset:
        _, (w, e), (s, n) = inset
        blocked.append((w * per_lon, -n * per_lat, e * per_lon, -s * per_lat))
    traces = [_label_trace(main, "x", "y", pixels[0], floor, blocked)]
    if inset:
        traces.append(_label_trace(inside, "x2", "y2", pixels[1], math.inf, []))
    return traces


def _label_trace(
    places: list[dict],
    xaxis: str,
    yaxis: str,
    pixels: tuple[float, float],
    floor: float,
    blocked: list[tuple[float, float, float, float]],
) -> dict:
    names, positions = placed(places, pixels, floor, blocked)
    return {
        **_at_places(places, xaxis, yaxis),
        "mode": "text",
        "text": names,
        "textposition": positions,
        "textfont": {"size": FONT_PIXELS, "color": "#222222"},
        "hoverinfo": "skip",
    }


def _pixels(extent: tuple, inset: tuple | None) -> list[tuple[float, float]]:
    """Per panel (the main map, then the inset), about how many pixels a degree of
    longitude and of latitude take in the report, from the ranges _layout gives them."""
    (west, east), (south, north), ratio = extent
    width, height = MAP_PIXELS
    per_lon = min(width / (east - west), height / ((north - south) * ratio))
    panels = [(per_lon, per_lon * ratio)]
    if inset:
        _, (w, e), (s, n) = inset
        per_lon = min((1 - INSET_LEFT) * width / (e - w), INSET_TOP * height / ((n - s) * ratio))
        panels.append((per_lon, per_lon * ratio))
    return panels


def placed(
    places: list[dict],
    pixels: tuple[float, float],
    floor: float = math.inf,
    blocked: list[tuple[float, float, float, float]] | None = None,
) -> tuple[list[str], list[str]]:
    """Each place's label and its position, the most populous places first: on the side
    away from its nearest neighbour if it fits there, else on the first side where it
    covers no label already placed and no other place's point, else none (the place still
    names itself on hover), so that close places do not print their names over each other
    or beside another's point. No label goes below ``floor`` (pixels, y down) nor over a
    box of ``blocked``."""
    preferred = _label_positions(places)
    per_lon, per_lat = pixels
    points = [(p["lon"] * per_lon, -p["lat"] * per_lat) for p in places]  # pixels, y down
    names = [""] * len(places)
    positions = list(preferred)
    taken = [dot(x, y) for x, y in points]  # the points, by place
    taken += [(-math.inf, floor, math.inf, math.inf), *(blocked or [])]
    for i in sorted(range(len(places)), key=lambda k: -places[k]["population"]):
        name = short_name(places[i]["name"]) + (" (farther away)" if places[i].get("far") else "")
        for position in [preferred[i], *(p for p in POSITIONS if p != preferred[i])]:
            box = _box(points[i], name, position)
            others = (b for k, b in enumerate(taken) if k != i)  # its own point is free
            if not any(_overlap(box, other) for other in others):
                names[i], positions[i] = name, position
                taken.append(box)
                break
    return names, positions


POSITIONS = ("top center", "bottom center", "top right", "bottom right", "top left",
             "bottom left", "middle right", "middle left")  # fmt: skip


def dot(x: float, y: float) -> tuple[float, float, float, float]:
    """A place's point, as a box in pixels that no other place's label may cover."""
    return (x - DOT_PIXELS, y - DOT_PIXELS, x + DOT_PIXELS, y + DOT_PIXELS)


def _box(point: tuple[float, float], text: str, position: str) -> tuple[float, ...]:
    """The label's box in pixels (left, top, right, bottom; y down) at ``position``."""
    x, y = point
    width, height = CHAR_PIXELS * len(text), LINE_PIXELS
    vertical, horizontal = position.split()
    left = {"left": x - width, "center": x - width / 2, "right": x}[horizontal]
    top = {"top": y - height, "middle": y - height / 2, "bottom": y}[vertical]
    pad = PAD_PIXELS
    return (left - pad, top - pad, left + width + pad, top + height + pad)


def _overlap(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def short_name(name: str) -> str:
    """A place's name without what follows a bracket or a slash: "Santa Rosalía"."""
    return name.split(" (")[0].split(" / ")[0]


def _label_positions(places: list[dict]) -> list[str]:
    """Each label on the side away from its nearest neighbour, so close names overlap less."""
    points = np.array([[p["lon"], p["lat"]] for p in places])
    out = []
    for i, point in enumerate(points):
        gaps = np.hypot(*(points - point).T)
        gaps[i] = np.inf
        dx, dy = point - points[gaps.argmin()] if len(points) > 1 else (0.0, 1.0)
        vertical = "top" if dy >= 0 else "bottom"
        horizontal = "center" if abs(dx) < abs(dy) / 2 else ("right" if dx > 0 else "left")
        out.append(f"{vertical} {horizontal}")
    return out


def _legend(periods: Periods) -> list[dict]:
    """Legend entries only: who the colours stand for, and the zones' outline."""
    names = periods.view.context.names
    entries = [("the state", STATE_COLOUR, None), ("contested", CONTESTED_COLOUR, None)]
    entries += [(names.gang(g), periods.gang_colour(g), None) for g in periods.shown]
    entries.append(("peace zone (outline)", "#ffffff", ZONE_LINE))
    return [
        {
            "type": "scatter",
            "mode": "markers",
            "x": [None],
            "y": [None],
            "name": name,
            "marker": {
                "symbol": "square",
                "size": 12,
                "color": colour,
                "line": line or {"color": "#999999", "width": 1},
            },
            "hoverinfo": "skip",
            "showlegend": True,
        }
        for name, colour, line in entries
    ]


def _frame(periods: Periods, control: pd.Series, zoned: pd.Series, panels: list[list[int]]):
    """One period's colours, outlines and hover texts, for the traces of every panel."""
    names = periods.view.context.names
    colours = [periods.controller_colour(v) for v in control]
    hover = [
        f"{names.place(p)}: {_holder(v, periods.gangs, names)}" + (", peace zone" if z else "")
        for p, v, z in zip(periods.places, control, zoned, strict=True)
    ]
    data = []
    for shown in panels:
        data += [
            {"fillcolor": colours[k], "line": ZONE_LINE if zoned.iloc[k] else PLAIN_LINE}
            for k in shown
        ]
        data.append(
            {
                "marker": {"color": [colours[k] for k in shown]},
                "hovertext": [hover[k] for k in shown],
            }
        )
    return {"data": data, "traces": list(range(len(data)))}


def _holder(code: float, gangs: list[str], names) -> str:
    if code != code or code == -1:
        return "held by the state"
    return "contested" if code < 0 else f"held by {names.gang(gangs[int(code)])}"


def _extent(
    places: list[dict], outlines: list[Cell], inset: tuple | None
) -> tuple[list[float], list[float], float]:
    """The main map's longitudes and latitudes shown, and its aspect ratio."""
    lons = [v for c in outlines for v in c.lon]
    lats = [v for c in outlines for v in c.lat]
    pad = 0.05
    south = min(lats) - pad
    if inset:  # room below the map for the inset, in its lower right corner
        south -= INSET_ROOM * (max(lats) - min(lats))
    ratio = 1 / math.cos(math.radians(np.mean([p["lat"] for p in places])))
    return [min(lons) - pad, max(lons) + pad], [south, max(lats) + pad], ratio


def _layout(places: list[dict], outlines: list[Cell], inset: tuple | None, periods: Periods):
    lon_range, lat_range, ratio = _extent(places, outlines, inset)
    hidden = {"visible": False, "fixedrange": False}
    layout = {
        "height": 700,
        "margin": {"l": 10, "r": 10, "t": 60, "b": 10},
        "plot_bgcolor": "#f4f7fa",
        "hovermode": "closest",
        "dragmode": "pan",
        "modebar": {"orientation": "v"},
        "legend": {"orientation": "h", "x": 0, "y": 1, "yanchor": "bottom", "font": {"size": 11}},
        "xaxis": {**hidden, "range": lon_range},
        "yaxis": {**hidden, "range": lat_range, "scaleanchor": "x", "scaleratio": ratio},
        "sliders": [_slider(periods)],
        "updatemenus": [_play()],
        "annotations": [],
    }  # fmt: skip
    if inset:
        name, inset_lons, inset_lats = inset
        layout["xaxis2"] = {
            **hidden,
            "range": inset_lons,
            "domain": [INSET_LEFT, 1],
            "anchor": "y2",
            "constrain": "domain",
            "constraintoward": "right",
        }
        layout["yaxis2"] = {**hidden, "range": inset_lats, "anchor": "x2", "scaleanchor": "x2",
                            "scaleratio": ratio, "constrain": "domain", "domain": [0, INSET_TOP],
                            "constraintoward": "bottom"}  # fmt: skip
        layout["annotations"] = [
            {"text": f"<b>{name}</b> (enlarged)", "xref": "x2 domain", "yref": "y2 domain",
             "x": 0.01, "y": 0.99, "showarrow": False, "xanchor": "left", "yanchor": "top"},
        ]  # fmt: skip
        layout["shapes"] = [
            {"type": "rect", "xref": "x", "yref": "y", "x0": inset_lons[0], "x1": inset_lons[1],
             "y0": inset_lats[0], "y1": inset_lats[1], "line": {"color": "#555", "width": 1}},
            {"type": "rect", "xref": "x2 domain", "yref": "y2 domain", "x0": 0, "x1": 1,
             "y0": 0, "y1": 1, "line": {"color": "#555", "width": 1}},
        ]  # fmt: skip
    return layout


def _slider(periods: Periods) -> dict:
    return {
        "active": 0,
        "pad": {"t": 50, "l": 90},
        "len": 0.9,
        "x": 0.1,
        "currentvalue": {"prefix": "Date: ", "font": {"size": 14, "color": "#222222"}},
        "font": {"color": "rgba(0,0,0,0)"},  # the current value names the step; 120 ticks
        "ticklen": 0,
        "steps": [
            {
                "label": label,
                "method": "animate",
                "args": [
                    [label],
                    {
                        "mode": "immediate",
                        "frame": {"duration": 0, "redraw": True},
                        "transition": {"duration": 0},
                    },
                ],
            }
            for label in periods.labels
        ],
    }


def _play() -> dict:
    return {
        "type": "buttons",
        "direction": "left",
        "x": 0.0,
        "y": 0,
        "xanchor": "left",
        "yanchor": "top",
        "pad": {"t": 55},
        "showactive": False,
        "buttons": [
            {
                "label": "▶ Play",
                "method": "animate",
                "args": [None, {"frame": {"duration": 250, "redraw": True},
                                "fromcurrent": True, "transition": {"duration": 0}}],
            },
            {
                "label": "❚❚",
                "method": "animate",
                "args": [[None], {"mode": "immediate", "frame": {"duration": 0,
                                                                 "redraw": False}}],
            },
        ],
    }  # fmt: skip


PANEL_SERIES = {
    "deaths": ("violent deaths", tuple(HOMICIDE_TYPES)),
    "extortion": ("extortion", ("extortion",)),
    "displaced": ("people displaced", ("displaced",)),
    "police": ("police officers", ("police",)),
    "governance": ("gang governance (0-1)", ("governance",)),
}


def place_data(periods: Periods) -> dict:
    """Per place, its series by period, for the panel that clicking a place opens."""
    tables = {
        key: sum(periods.place(v).fillna(0.0) for v in variables)
        for key, (_, variables) in PANEL_SERIES.items()
    }
    control = periods.place("controller")
    zoned = periods.place("in_zone").fillna(0.0)
    names = periods.view.context.names
    out = {}
    for p in periods.view.context.places:
        pid = p["id"]
        out[pid] = {
            **p,
            "series": {key: [round(float(v), 3) for v in tables[key][pid]] for key in tables},
            "holder": [_holder(v, periods.gangs, names) for v in control[pid]],
            "colour": [periods.controller_colour(v) for v in control[pid]],
            "zone": [bool(v) for v in zoned[pid]],
        }
    return {
        "dates": [f"{d:%Y-%m-%d}" for d in periods.starts],
        "labels": {key: label for key, (label, _) in PANEL_SERIES.items()},
        "unit": periods.unit,
        "places": out,
    }
