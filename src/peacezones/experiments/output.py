"""A run's results folder: series.parquet, events.parquet and run.json."""

from __future__ import annotations

import datetime as dt
import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from .. import __version__
from ..engine import RunResult


def default_folder(scenario_name: str, root: Path = Path("results")) -> Path:
    """results/<scenario>-<timestamp>, unique to the second."""
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    return root / f"{scenario_name}-{stamp}"


def write_run(result: RunResult, folder: Path, wall_seconds: float) -> list[Path]:
    """Write the run's tables and metadata; each file appears whole or not at all."""
    import pyarrow.parquet as pq

    folder.mkdir(parents=True, exist_ok=True)
    written = [
        _atomic(folder / "series.parquet", lambda p: pq.write_table(result.series_table, p)),
        _atomic(folder / "events.parquet", lambda p: pq.write_table(result.events_table, p)),
        _atomic(
            folder / "run.json",
            lambda p: p.write_text(json.dumps(metadata(result, wall_seconds), indent=2)),
        ),
    ]
    return written


def metadata(result: RunResult, wall_seconds: float) -> dict:
    """What is needed to reproduce and read the run."""
    world = result.world
    return {
        "scenario": result.scenario.meta.name,
        "scenario_digest": result.scenario.digest(),
        "seed": result.seed,
        "replicate": result.replicate,
        "scale": result.scale,
        "version": __version__,
        "start": str(world.dates[0]),
        "end": str(world.dates[-1]),
        "steps": len(world.dates),
        "residents": int(world.population.sum()),
        "records": len(world.civ),
        "wall_seconds": round(wall_seconds, 3),
        "places": world.place_ids,
        "gangs": world.gangs.ids,
        "controller_codes": {"-1": "state", "-2": "contested", "0..": "index into gangs"},
        "leader_codes": {"0": "active", "1": "fled", "2": "jailed", "3": "dead"},
    }


def _file_mode() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


_FILE_MODE = _file_mode()  # what an ordinary open() would give, not mkstemp's 0600


def _atomic(path: Path, write: Callable[[Path], object]) -> Path:
    """Write to a temporary file beside ``path``, then move it into place."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    try:
        write(Path(tmp))
        os.chmod(tmp, _FILE_MODE)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path
