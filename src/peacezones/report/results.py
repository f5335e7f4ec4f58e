"""Reading a results folder (of ``run``, ``compare`` or ``validate``) for a report."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn

import pandas as pd

from ..scenario import Problem, ScenarioError
from .context import FILE as CONTEXT_FILE
from .context import Context, context

RUN_FILES = ("run.json", "series.parquet", "events.parquet")
BATCH_FILES = ("runs.parquet", "series.parquet", "events.parquet")
EXPECTED = (
    "a results folder of `peacezones run` (run.json, series.parquet, events.parquet) or of "
    "`peacezones compare` or `validate` (runs.parquet, series.parquet, events.parquet, and "
    "per_policy.csv or validation.csv)"
)


@dataclass
class RunView:
    """One run's tables and what it was: weekly for a run folder, yearly from a batch."""

    series: pd.DataFrame
    events: pd.DataFrame
    meta: dict
    context: Context


@dataclass
class BatchView:
    """A comparison or a validation: its tables, and one of its runs to show in full."""

    command: str
    runs: pd.DataFrame
    per_policy: pd.DataFrame | None
    differences: pd.DataFrame | None
    validation: pd.DataFrame | None
    example: RunView
    policies: list[str]
    """The batch's policies in its order (a comparison's first is its baseline)."""


def load(folder: Path, policy: str | None = None) -> RunView | BatchView:
    """The results in ``folder``; a clear error when it holds none. For a batch, the run
    shown in full is replicate 0 of ``policy`` (default: its first policy)."""
    from ..experiments.folders import kind_of

    if not folder.is_dir():
        _fail(folder, "folder", "a file, not a folder" if folder.exists() else "no such folder")
    kind = kind_of(folder)  # its mark says which command wrote it, whatever else it holds
    if kind == "run" or (kind is None and (folder / "run.json").exists()):
        _require(folder, RUN_FILES)
        return _run(folder)
    if kind is not None or (folder / "runs.parquet").exists():
        _require(folder, BATCH_FILES)
        return _batch(folder, policy)
    present = sorted(p.name for p in folder.iterdir())
    found = "an empty folder" if not present else "files " + ", ".join(present[:8])
    _fail(folder, "folder", found + ("..." if len(present) > 8 else ""))


def _fail(folder: Path, what: str, found: str, expected: str = EXPECTED) -> NoReturn:
    raise ScenarioError(str(folder), [Problem((what,), found, expected)])


def _require(folder: Path, names: tuple[str, ...]) -> None:
    missing = [n for n in names if not (folder / n).exists()]
    if missing:
        _fail(folder, "folder", "no " + ", ".join(missing))


def _run(folder: Path) -> RunView:
    try:
        meta = json.loads((folder / "run.json").read_text())
    except ValueError as exc:
        _fail(folder, "run.json", f"unreadable JSON ({exc})", "the run.json that `run` wrote")
    needed = ("scenario", "scenario_digest", "seed", "scale")
    missing = [k for k in needed if not isinstance(meta, dict) or k not in meta]
    if missing:
        found = "no " + ", ".join(missing)
        _fail(
            folder, "run.json", found, "the run.json that `run` wrote (" + ", ".join(needed) + ")"
        )
    series = pd.read_parquet(folder / "series.parquet")
    events = pd.read_parquet(folder / "events.parquet")
    ctx = _context(folder, meta["scenario"], meta["scenario_digest"], "run")
    meta = {**meta, "policy": ctx.policies[0] if ctx.policies else "?"}
    return RunView(_tidy(series), _tidy(events), meta, ctx)


def _batch(folder: Path, policy: str | None = None) -> BatchView:
    runs = pd.read_parquet(folder / "runs.parquet")
    per_policy = _csv(folder / "per_policy.csv")
    differences = _csv(folder / "differences.csv")
    validation = _csv(folder / "validation.csv")
    if per_policy is None and validation is None:
        _fail(folder, "folder", "no per_policy.csv nor validation.csv")
    command = "validate" if validation is not None else "compare"
    policies = (
        [str(p) for p in dict.fromkeys(per_policy["policy"])]
        if per_policy is not None
        else ["historical"]
    )
    shown = policy or policies[0]
    chosen = runs[runs["policy"] == shown].sort_values("replicate")
    if chosen.empty:
        _fail(folder, "runs.parquet", f"no run of policy {shown!r}", "a run of each policy")
    run = chosen.iloc[0]
    ctx = _context(folder, str(run["scenario"]), str(run["scenario_digest"]), command)
    example = RunView(
        _tidy(_rows(folder / "series.parquet", run["run_id"])),
        _tidy(_rows(folder / "events.parquet", run["run_id"])),
        {**run.drop(["parameters", "status"]).to_dict(), "policy": shown},
        ctx.under(shown),
    )
    return BatchView(command, runs, per_policy, differences, validation, example, policies)


def _rows(path: Path, run_id: str) -> pd.DataFrame:
    return pd.read_parquet(path, filters=[("run_id", "==", run_id)])


def _csv(path: Path) -> pd.DataFrame | None:
    return pd.read_csv(path) if path.exists() else None


def _tidy(frame: pd.DataFrame) -> pd.DataFrame:
    """Dates as timestamps, ids as plain strings, whatever wrote the table."""
    frame = frame.copy()
    frame["date"] = pd.to_datetime(frame["date"])
    for column in ("place", "gang", "variable", "kind", "actor", "target"):
        if column in frame:
            frame[column] = frame[column].astype(str).replace({"nan": "", "None": ""})
    return frame


def _context(folder: Path, scenario: str, digest: str, command: str) -> Context:
    """report.json when the command wrote one; otherwise the built-in scenario under the
    built-in policy whose digest matches the run's."""
    if (folder / CONTEXT_FILE).exists():
        try:
            return Context.read(folder / CONTEXT_FILE)
        except (ValueError, TypeError) as exc:
            _fail(folder, CONTEXT_FILE, f"unreadable ({exc})", "the report.json a command wrote")
    from ..experiments.policies import apply_policy, builtin_policies, load_policy
    from ..scenario import builtin_names, load_scenario

    if scenario in builtin_names():
        base = load_scenario(scenario)
        for name in builtin_policies():
            if apply_policy(base, load_policy(name)).digest() == digest:
                return context(apply_policy(base, load_policy(name)), command, [name])
    _fail(
        folder,
        CONTEXT_FILE,
        f"no {CONTEXT_FILE}, and scenario {scenario!r} (digest {digest}) is not a built-in "
        "one under a built-in policy",
        f"the {CONTEXT_FILE} that run, compare and validate write",
    )
