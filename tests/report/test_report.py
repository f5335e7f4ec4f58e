"""The HTML report and its figures, built from results folders (browser tests elsewhere)."""

from __future__ import annotations

import json
import re
import shutil
from html import escape
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from peacezones.report.build import build_report
from peacezones.report.results import load
from peacezones.scenario import ScenarioError


def _data(folder: Path) -> dict:
    html = (folder / "report.html").read_text(encoding="utf-8")
    found = re.search(r'<script type="application/json" id="report-data">(.*?)</script>', html)
    assert found
    return json.loads(found.group(1).replace("<\\/", "</"))


def test_a_run_writes_a_self_contained_report(run_folder: Path) -> None:
    html = (run_folder / "report.html").read_text(encoding="utf-8")
    assert "Venezuela&#x27;s Peace Zones" in html
    # everything inline: no script, style, image or frame loaded from elsewhere
    assert not re.search(r"<(script|img|iframe)[^>]*\bsrc=", html)
    assert not re.search(r"<link[^>]*\bhref=", html)
    for section in ("glance", "where", "when", "why", "schedule"):
        assert f'id="{section}"' in html
    assert "policy" in html
    assert "historical" in html


def test_the_headline_matches_the_series(run_folder: Path) -> None:
    series = pd.read_parquet(run_folder / "series.parquet")
    meta = json.loads((run_folder / "run.json").read_text())
    members = series[series["variable"] == "members"]
    start = int(members[members["date"] == members["date"].min()]["value"].sum())
    end = int(members[members["date"] == members["date"].max()]["value"].sum())
    html = (run_folder / "report.html").read_text(encoding="utf-8")
    assert f"{start:,} → {end:,}" in html
    deaths = series[series["variable"].astype(str).str.startswith("homicides")]
    year = deaths["date"].dt.year.min()
    first_year = deaths[deaths["date"].dt.year == year]["value"].sum()
    living = series[series["variable"].isin(["civilians", "local_members"])]
    people = living[living["date"].dt.year == year].groupby("date")["value"].sum().mean()
    rate = first_year / people * 1e5
    assert abs(people - meta["residents"]) < 0.01 * meta["residents"]
    assert f"Violent deaths ran at {rate:.0f} per 100,000" in html


def test_the_map_has_a_frame_per_month_and_colours_by_controller(run_folder: Path) -> None:
    data = _data(run_folder)
    frames = data["map"]["frames"]
    months = pd.read_parquet(run_folder / "series.parquet")["date"].dt.to_period("M").nunique()
    assert len(frames) == months
    series = pd.read_parquet(run_folder / "series.parquet")
    control = series[series["variable"] == "controller"]
    last = control[control["date"] == control["date"].max()].set_index("place")["value"]
    place_ids = [p["id"] for p in json.loads((run_folder / "report.json").read_text())["places"]]
    colours = frames[-1]["data"][len(place_ids)]["marker"]["color"]  # the points of the map
    gangs = sorted(set(last[last >= 0]))
    by_code = {code: {colours[place_ids.index(p)] for p in last[last == code].index}
               for code in gangs}  # fmt: skip
    assert all(len(c) == 1 for c in by_code.values()), "one colour per gang"
    assert len({next(iter(c)) for c in by_code.values()}) == len(gangs), "gangs differ"


def test_the_series_mark_the_schedule(run_folder: Path) -> None:
    data = _data(run_folder)
    decisions = json.loads((run_folder / "report.json").read_text())["decisions"]
    marks = data["figures"]["fig-members"]["layout"]["annotations"]
    texts = " ".join(m["hovertext"] for m in marks)
    assert all(d["text"] in texts for d in decisions)
    assert set(data["figures"]) >= {"fig-homicides", "fig-members", "fig-treasury",
                                    "fig-control", "fig-governance", "fig-displacement",
                                    "fig-crime"}  # fmt: skip


def test_png_figures_lie_beside_the_report(run_folder: Path) -> None:
    from matplotlib.image import imread

    for name in ("homicides", "members", "control", "map"):
        image = imread(run_folder / "figures" / f"{name}.png")
        assert image.shape[0] > 300
        assert len(np.unique(image.reshape(-1, image.shape[-1]), axis=0)) > 20, name


def _copy_without(folder: Path, tmp_path: Path, name: str) -> Path:
    """A copy of a results folder without one of its files."""
    copy = tmp_path / "copy"
    shutil.copytree(folder, copy)
    (copy / name).unlink()
    return copy


def test_rebuilding_gives_the_same_report_and_leaves_no_temporary_file(
    run_folder: Path, tmp_path: Path
) -> None:
    copy = _copy_without(run_folder, tmp_path, "report.html")
    build_report(copy)
    assert (copy / "report.html").read_text() == (run_folder / "report.html").read_text()
    assert not [p for p in copy.rglob("*") if p.name.endswith(".tmp")]


def test_a_run_without_report_json_is_matched_to_its_policy(
    run_folder: Path, tmp_path: Path
) -> None:
    copy = _copy_without(run_folder, tmp_path, "report.json")
    assert load(copy).meta["policy"] == "historical"


def test_a_folder_without_results_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("not results")
    with pytest.raises(ScenarioError) as caught:
        build_report(tmp_path)
    message = caught.value.render()
    assert str(tmp_path) in message
    assert "notes.txt" in message
    assert "expected a results folder of `peacezones run`" in message


def test_a_run_folder_missing_a_table_names_it(run_folder: Path, tmp_path: Path) -> None:
    copy = _copy_without(run_folder, tmp_path, "events.parquet")
    with pytest.raises(ScenarioError, match=r"found no events\.parquet"):
        build_report(copy)


def test_a_broken_report_json_is_a_clear_error(run_folder: Path, tmp_path: Path) -> None:
    copy = _copy_without(run_folder, tmp_path, "report.json")
    (copy / "report.json").write_text("{not json")
    with pytest.raises(ScenarioError, match=r"report\.json: found unreadable"):
        build_report(copy)


def test_a_comparison_report_shows_outcomes_with_intervals(compare_folder: Path) -> None:
    html = (compare_folder / "report.html").read_text(encoding="utf-8")
    assert 'id="policies"' in html
    assert "Paired differences from historical" in html
    per_policy = pd.read_csv(compare_folder / "per_policy.csv")
    assert html.count("class='ci'") >= len(per_policy)
    data = _data(compare_folder)
    policies = [t["name"] for t in data["figures"]["fig-differences"]["data"]]
    assert policies == ["no-peace-zones"]
    assert (compare_folder / "figures" / "map.png").exists()


def test_a_validation_report_shows_the_pattern_table(validate_folder: Path) -> None:
    html = (validate_folder / "report.html").read_text(encoding="utf-8")
    table = pd.read_csv(validate_folder / "validation.csv")
    patterns = table[(table["kind"] == "pattern") & (table["role"] == "check")]
    held = int((patterns["outcome"] == "pass").sum())
    assert f"Patterns, checks: {held} of {len(patterns)} pass" in html
    assert "Observations, fitted" in html  # the fitted ones apart from the checks
    marks = sum(html.count(f'class="{c}"') for c in ("pass", "fail", "few"))
    assert marks == len(table)
    for ablation in patterns["ablation"]:
        assert escape(ablation) in html


def test_the_report_tells_each_decision_as_the_terminal_does() -> None:
    """A decision event names its decision by its place in the schedule; the report's copy
    keeps that order and every field its sentence reads (a policy's additions come last,
    out of date order)."""
    from peacezones import load_scenario
    from peacezones.experiments.policies import Policy, apply_policy
    from peacezones.report.chronicle import Names
    from peacezones.report.context import Context, context

    added = [
        {"at": "2014-03-03", "action": "target_leader", "gang": "koki", "mode": "extradite",
         "officers": 500, "weeks": 8},
        {"at": "2015-06-01", "action": "truce", "gangs": ["koki", "el_culon"], "weeks": 52},
        {"at": "2013-02-04", "action": "occupation", "places": ["cota905"], "officers": 1000,
         "weeks": 104},
    ]  # fmt: skip
    policy = Policy.model_validate({"name": "mine", "add": added})
    variant = apply_policy(load_scenario("venezuela"), policy)
    terminal = Names.of(variant)
    report = Context(**json.loads(json.dumps(context(variant, "run", [policy]).__dict__))).names
    told = [report.decision(i) for i in range(len(variant.schedule))]
    assert told == [terminal.decision(i) for i in range(len(variant.schedule))]
    assert any("500 officers to capture and extradite the leader of Koki" in t for t in told)
    assert any("truce between Koki gang and El Culón gang for 52 weeks" in t for t in told)
    assert any("with 1,000 officers for 104 weeks" in t for t in told)


def test_a_comparison_shows_each_policys_run_in_full(tmp_path: Path) -> None:
    """report.html shows the baseline's run; report-2.html the same tables with the
    second policy's run, told with its own schedule (crackdown replaces the zones)."""
    import peacezones as pz

    folder = tmp_path / "toy-compare"
    pz.compare("toy", ["historical", "crackdown"], replicates=1, out=folder, scale=0.05,
               workers=1)  # fmt: skip
    first = (folder / "report.html").read_text(encoding="utf-8")
    second = (folder / "report-2.html").read_text(encoding="utf-8")
    assert "Policy historical, replicate 0" in first
    assert "Policy crackdown, replicate 0" in second
    assert '<a href="report-2.html">crackdown</a>' in first
    assert '<a href="report.html">historical</a>' in second
    assert '<strong aria-current="page">crackdown</strong>' in second
    for html in (first, second):  # the comparison's tables are the same in both
        assert "Paired differences from historical" in html
    assert "Peace zone declared" in first
    assert "Peace zone declared" not in second
    assert "crackdown of 200 officers" in second
    assert "crackdown of 200 officers" not in first
    # a report of an earlier, larger comparison in the folder does not outlive a rebuild
    (folder / "report-3.html").write_text("stale", encoding="utf-8")
    build_report(folder)
    assert sorted(p.name for p in folder.glob("report*.html")) == ["report-2.html", "report.html"]
    assert "figures of the run of historical (report.html)" in second
    # a comparison written before each policy's schedule was kept shows the first's run only
    context = json.loads((folder / "report.json").read_text(encoding="utf-8"))
    del context["schedules"]
    (folder / "report.json").write_text(json.dumps(context), encoding="utf-8")
    build_report(folder)
    assert sorted(p.name for p in folder.glob("report*.html")) == ["report.html"]
    assert "report-2.html" not in (folder / "report.html").read_text(encoding="utf-8")


def _place(pid: str, lon: float, lat: float, population: int = 10_000) -> dict:
    return {"id": pid, "name": pid.title(), "region": "r", "kind": "barrio", "lon": lon,
            "lat": lat, "population": population}  # fmt: skip


def test_a_place_far_from_the_others_is_drawn_on_the_edge_of_their_box() -> None:
    """An aggregate place set at the country's middle ("Rest of Venezuela") does not
    shrink the map: it is drawn on the edge of the others' box, in its direction."""
    from peacezones.report.geography import drawn

    close = [_place(f"p{i}", -67 + 0.1 * i, 10 + 0.05 * (i % 3)) for i in range(8)]
    assert drawn(close) == close
    far = _place("rest", -66.5, 6.0, 26_000_000)
    shown = drawn([*close, far])
    assert shown[:8] == close
    moved = shown[8]
    assert moved["far"]
    assert min(p["lat"] for p in close) - 0.2 < moved["lat"] < min(p["lat"] for p in close)
    assert moved["lon"] == pytest.approx(-66.5, abs=0.3)  # still to the south-east


def test_no_label_of_the_map_covers_another_or_another_place(run_folder: Path) -> None:
    from itertools import combinations

    from peacezones.report import geography as g

    view = load(run_folder)
    places = g.drawn(view.context.places)
    extent = g._extent(places, g.cells(places), g.inset_region(places))
    pixels = g._pixels(extent, g.inset_region(places))[0]
    names, positions = g.placed(places, pixels)
    points = [(p["lon"] * pixels[0], -p["lat"] * pixels[1]) for p in places]
    boxes = [g._box(points[i], n, positions[i]) for i, n in enumerate(names) if n]
    assert len(boxes) >= len(places) // 2  # most places keep their name
    assert not any(g._overlap(a, b) for a, b in combinations(boxes, 2))
    shown = [i for i, n in enumerate(names) if n]
    for i, box in zip(shown, boxes, strict=True):
        for k, (x, y) in enumerate(points):
            if k != i:
                assert not g._overlap(box, (x - 1, y - 1, x + 1, y + 1)), (names[i], k)


def test_no_label_of_the_png_map_covers_another(run_folder: Path) -> None:
    from itertools import combinations

    from matplotlib.backends.backend_agg import FigureCanvasAgg

    from peacezones.report import static
    from peacezones.report.series import Periods

    view = load(run_folder)
    figure = static._new(static._map, Periods(view))
    renderer = FigureCanvasAgg(figure).get_renderer()
    named = 0
    for ax in figure.axes:
        labels = [t for t in ax.texts if t.get_text()]
        named += len(labels)
        boxes = [t.get_window_extent(renderer) for t in labels]
        for (a, b), (s, t) in zip(combinations(boxes, 2), combinations(labels, 2), strict=True):
            assert not a.overlaps(b), (s.get_text(), t.get_text())
    assert named >= len(view.context.places) // 2  # most places keep their name
