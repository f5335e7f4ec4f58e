"""The results store: one DuckDB file per output folder, one transaction per run.

A run is written whole or not at all (its row in ``runs`` and its rows in ``series``,
``events`` and ``outcomes`` commit together), so a batch killed at any point, even by
``kill -9``, leaves only complete runs; started again, it runs the missing ones only.
DuckDB lets one process write a file at a time: a second one gets :class:`StoreBusyError`.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

FILE = "results.duckdb"

SCHEMA = (
    """CREATE TABLE IF NOT EXISTS runs (
        run_id VARCHAR PRIMARY KEY, scenario VARCHAR, scenario_digest VARCHAR,
        policy VARCHAR, replicate INTEGER, seed BIGINT, scale DOUBLE, version VARCHAR,
        parameters VARCHAR, status VARCHAR, seconds DOUBLE)""",
    """CREATE TABLE IF NOT EXISTS series (
        run_id VARCHAR, policy VARCHAR, replicate INTEGER, seed BIGINT, date DATE,
        place VARCHAR, gang VARCHAR, variable VARCHAR, value DOUBLE)""",
    """CREATE TABLE IF NOT EXISTS events (
        run_id VARCHAR, policy VARCHAR, replicate INTEGER, event BIGINT, date DATE,
        kind VARCHAR, place VARCHAR, actor VARCHAR, target VARCHAR, count DOUBLE,
        cause BIGINT)""",
    """CREATE TABLE IF NOT EXISTS outcomes (
        run_id VARCHAR, policy VARCHAR, replicate INTEGER, outcome VARCHAR, value DOUBLE)""",
)
ORDER = {
    "runs": "policy, replicate, run_id",
    "series": "policy, replicate, run_id, date, variable, place, gang",
    "events": "policy, replicate, run_id, event",
    "outcomes": "policy, replicate, run_id, outcome",
}


class StoreBusyError(Exception):
    """Another process holds the store."""


class Store:
    """Open with ``with Store(folder) as store:``; the folder is created if need be."""

    def __init__(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.path = folder / FILE
        try:
            self.con = duckdb.connect(str(self.path))
        except duckdb.IOException as exc:
            if "lock" not in str(exc).lower():  # damaged, or not DuckDB's at all
                raise StoreBusyError(
                    f"{self.path}, which is not a results store that can be read "
                    f"({_first_line(exc)}); give this command another --out"
                ) from None
            raise StoreBusyError(
                f"{self.path}, in use by another process ({_first_line(exc)}); wait for it "
                "to finish, or give this command another --out"
            ) from None
        for statement in SCHEMA:
            self.con.execute(statement)

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.con.close()

    def done(self) -> set[str]:
        """Ids of the runs stored whole."""
        rows = self.con.execute("SELECT run_id FROM runs WHERE status = 'done'").fetchall()
        return {r[0] for r in rows}

    def save(self, run: dict[str, Any], series: pd.DataFrame, events: pd.DataFrame,
             outcomes: dict[str, float]) -> None:  # fmt: skip
        """Write one run and its tables in a single transaction."""
        keys = {"run_id": run["run_id"], "policy": run["policy"], "replicate": run["replicate"]}
        series = series.assign(**keys, seed=run["seed"])
        events = events.assign(**keys)
        # a value a run does not have (the year of a sequence that never began) is left
        # out, not stored as NaN: readers take the runs that have it
        known = {k: float(v) for k, v in outcomes.items() if not math.isnan(float(v))}
        table = pd.DataFrame({**keys, "outcome": list(known), "value": list(known.values())})
        con = self.con
        con.execute("BEGIN TRANSACTION")
        try:
            con.execute(
                "INSERT INTO runs VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'done', ?)",
                [run["run_id"], run["scenario"], run["scenario_digest"], run["policy"],
                 run["replicate"], run["seed"], run["scale"], run["version"],
                 json.dumps(run["parameters"], sort_keys=True), run["seconds"]],
            )  # fmt: skip
            self._insert("series", series)
            self._insert("events", events)
            self._insert("outcomes", table)
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise

    def _insert(self, table: str, frame: pd.DataFrame) -> None:
        columns = [c[0] for c in self.con.execute(f"DESCRIBE {table}").fetchall()]
        self.con.register("incoming", frame[columns])
        try:
            self.con.execute(f"INSERT INTO {table} SELECT * FROM incoming")
        finally:
            self.con.unregister("incoming")

    def table(self, name: str, where: str = "", params: list[Any] | None = None) -> pd.DataFrame:
        """A stored table in a stable order, optionally filtered."""
        query = f"SELECT * FROM {name} {where} ORDER BY {ORDER[name]}"
        return self.con.execute(query, params or []).df()

    def export(self, folder: Path, run_ids: list[str] | None = None) -> list[Path]:
        """Each table as Parquet, rows in a stable order (the same bytes for the same runs)."""
        written = []
        for name in ORDER:
            path = folder / f"{name}.parquet"
            where = ""
            if run_ids is not None:
                listed = ", ".join(f"'{r}'" for r in sorted(run_ids))
                where = f"WHERE run_id IN ({listed})" if listed else "WHERE FALSE"
            self.con.execute(
                f"COPY (SELECT * FROM {name} {where} ORDER BY {ORDER[name]}) "
                f"TO '{path}' (FORMAT parquet)"
            )
            written.append(path)
        return written


def _first_line(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0]
