"""Results folders keep their kind: a command writes only into a new or empty folder, or
one holding results of the same command, so that no command damages another's results.

A folder is claimed before any work, once every other input has been checked: it is made
if need be and marked with ``peacezones.json`` (``{"kind": "compare"}``). Folders written
before the mark existed are recognised by their files (``report.json`` names its
command; ``run.json`` is a run's).
"""

from __future__ import annotations

import json
from pathlib import Path

from ..scenario import Problem, ScenarioError

MARK = "peacezones.json"
KINDS = ("run", "compare", "validate")
SHOWN = 5  # files named when a folder holds others


def kind_of(folder: Path) -> str | None:
    """The command whose results ``folder`` holds, or None (not a results folder)."""
    for name, key in ((MARK, "kind"), ("report.json", "command")):
        try:
            value = json.loads((folder / name).read_text("utf-8")).get(key)
        except (OSError, ValueError, AttributeError):
            continue
        if value in KINDS:
            return str(value)
    if (folder / "run.json").is_file():
        return "run"
    return None


def _refuse(option: str, folder: Path, found: str, expected: str) -> ScenarioError:
    # a control character in a folder's name is shown, not sent to the terminal
    shown = "".join(ch if ch.isprintable() else ascii(ch)[1:-1] for ch in str(folder))
    return ScenarioError(option, [Problem((option.lstrip("-"),), f"{shown}, {found}", expected)])


def scenario_of(folder: Path) -> str | None:
    """The digest of the scenario whose batch ``folder`` holds, where its mark says."""
    try:
        value = json.loads((folder / MARK).read_text("utf-8")).get("scenario")
    except (OSError, ValueError, AttributeError):
        return None
    return str(value) if value else None


def check(folder: Path, kind: str, option: str = "--out", scenario: str = "") -> None:
    """Refuse ``folder`` for results of ``kind`` unless it is new, empty, or holds
    results of the same kind (and, for a batch, of the same ``scenario`` digest: a
    batch resumed, not two scenarios mixed in one store); touches nothing."""
    expected = f"a new or empty folder, or one holding the results of `peacezones {kind}`"
    if folder.exists() and not folder.is_dir():
        raise _refuse(option, folder, "a file", expected)
    for parent in folder.absolute().parents:  # not inside another command's results
        outer = kind_of(parent) if parent.is_dir() else None
        if outer is not None:
            found = f"inside {parent}, which holds the results of `peacezones {outer}`"
            raise _refuse(option, folder, found, "a folder outside any results folder")
    if not folder.is_dir():
        return
    held = kind_of(folder)
    earlier = scenario_of(folder)
    if held == kind and scenario and earlier and earlier != scenario:
        found = "which holds a batch of another scenario (or another version of this one)"
        raise _refuse(option, folder, found, f"{expected} of this scenario: choose another")
    if held == kind:
        figures = folder / "figures"  # the report's PNGs are written there, at the end
        if figures.exists() and not figures.is_dir():
            raise _refuse(option, folder, "whose figures is a file, not a folder", expected)
        return
    if held is not None:
        found = f"which holds the results of `peacezones {held}`"
        raise _refuse(option, folder, found, f"{expected} (those are kept: choose another)")
    try:
        present = sorted(p.name for p in folder.iterdir())
    except OSError as exc:
        raise _refuse(option, folder, f"unreadable ({exc.strerror or exc})", expected) from None
    if present:
        shown = ", ".join(present[:SHOWN]) + (
            f" and {len(present) - SHOWN} more" if len(present) > SHOWN else ""
        )
        raise _refuse(option, folder, f"which holds other files ({shown})", expected)


def claim(folder: Path, kind: str, option: str = "--out", scenario: str = "") -> None:
    """:func:`check` the folder, then make it if need be and mark it with its kind (and,
    for a batch, the digest of its ``scenario``)."""
    check(folder, kind, option, scenario)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        mark = folder / MARK
        if not mark.exists() or (scenario and not scenario_of(folder)):
            content = {"kind": kind} | ({"scenario": scenario} if scenario else {})
            mark.write_text(json.dumps(content) + "\n", "utf-8")
    except OSError as exc:
        problem = Problem(
            (option.lstrip("-"),), f"{folder}: {exc.strerror or exc}", "a folder that can be made"
        )
        raise ScenarioError(option, [problem]) from None


def release(folder: Path) -> None:
    """Undo :func:`claim` of a new folder that holds nothing but its mark (the command was
    interrupted before writing anything): a folder never written is not left behind."""
    try:
        if [p.name for p in folder.iterdir()] == [MARK]:
            (folder / MARK).unlink()
            folder.rmdir()
    except OSError:
        pass  # it is the user's to tidy then; nothing in it was theirs
