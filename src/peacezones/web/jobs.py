"""Work the page asks for, done one piece at a time in the background.

A job is a single run or a comparison. Jobs wait in a queue and one thread does them in
turn (a comparison spreads its runs over the worker processes, or a Dask cluster), so
that the page stays quick while they run. Each job has an id made from its request; its
results live in ``<results>/<kind>/<id>/`` and a job asked for again is answered from
there, without running anything. A job can be cancelled: a run stops at its next week, a
comparison once the runs under way end (those are stored, and a later request resumes).
"""

from __future__ import annotations

import json
import queue
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..scenario import ScenarioError

DONE = "job.json"
"""Written last in a job's folder: the job finished, and what it found."""


class CancelledError(Exception):
    """The user cancelled the job."""


@dataclass
class Job:
    id: str
    kind: str  # "runs" or "comparisons": the folder its results are kept in
    title: str
    total: int
    done: int = 0
    state: str = "queued"  # queued, running, done, failed, cancelled
    message: str = ""
    result: dict[str, Any] = field(default_factory=dict)
    started: float = 0.0
    _cancel: threading.Event = field(default_factory=threading.Event, repr=False)

    def view(self) -> dict[str, Any]:
        names = ("id", "kind", "title", "total", "done", "state", "message", "result")
        out = {name: getattr(self, name) for name in names}
        out["elapsed"] = round(time.monotonic() - self.started, 1) if self.started else 0.0
        return out

    def advance(self, done: int | None = None, total: int | None = None) -> None:
        """Progress; raises :class:`CancelledError` once the user has cancelled."""
        if total is not None:
            self.total = total
        self.done = self.done + 1 if done is None else done
        if self._cancel.is_set():
            raise CancelledError


Work = Callable[[Job, Path], dict[str, Any]]


class Jobs:
    """The queue, the thread that works it, and every job asked for since start."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.jobs: dict[str, Job] = {}
        self.lock = threading.Lock()
        self.todo: queue.Queue[tuple[Job, Work] | None] = queue.Queue()
        self.thread = threading.Thread(target=self._work, name="peacezones-jobs", daemon=True)
        self.thread.start()

    def folder(self, kind: str, job_id: str) -> Path:
        return self.root / kind / job_id

    def submit(self, job: Job, work: Work) -> Job:
        """Queue ``job`` unless the same one is queued, running or done (then that one)."""
        with self.lock:
            known = self.jobs.get(job.id)
            if known is not None and known.state in ("queued", "running", "done"):
                return known
            stored = self._stored(job)
            if stored is not None:
                self.jobs[job.id] = stored
                return stored
            self.jobs[job.id] = job
            ahead = sum(j.state in ("queued", "running") for j in self.jobs.values()) - 1
        if ahead:
            job.message = f"waiting for {ahead} job{'s' if ahead > 1 else ''} asked before it"
        self.todo.put((job, work))
        return job

    def _stored(self, job: Job) -> Job | None:
        """The job as a finished one, if its folder says it finished."""
        try:
            result = json.loads((self.folder(job.kind, job.id) / DONE).read_text("utf-8"))
        except (OSError, ValueError):
            return None
        job.state, job.done, job.result = "done", job.total, result
        job.message = "found in the results folder, not run again"
        return job

    def get(self, job_id: str) -> Job | None:
        with self.lock:
            return self.jobs.get(job_id)

    def cancel(self, job_id: str) -> Job | None:
        job = self.get(job_id)
        if job is not None and job.state in ("queued", "running"):
            job._cancel.set()
            if job.state == "queued":
                job.state, job.message = "cancelled", "before it started"
        return job

    def close(self) -> None:
        for job in list(self.jobs.values()):
            job._cancel.set()
        self.todo.put(None)

    def _work(self) -> None:
        while True:
            item = self.todo.get()
            if item is None:
                return
            job, work = item
            if job._cancel.is_set():
                continue
            folder = self.folder(job.kind, job.id)
            job.state, job.started, job.message = "running", time.monotonic(), ""
            try:
                result = work(job, folder)
                (folder / DONE).write_text(json.dumps(result), "utf-8")
                seconds = time.monotonic() - job.started
                job.result, job.state = result, "done"
                job.message = f"in {seconds:.0f} s"
            except CancelledError:
                job.state = "cancelled"
                job.message = (
                    "nothing was kept"
                    if job.kind == "runs"
                    else "the runs finished so far are stored: asking again resumes"
                )
            except ScenarioError as exc:
                job.state, job.message = "failed", exc.render()
            except Exception as exc:  # a bug: told on the page, in full on the server
                traceback.print_exc()
                job.state, job.message = "failed", f"{type(exc).__name__}: {exc}"
