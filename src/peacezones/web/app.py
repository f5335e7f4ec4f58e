"""The web page's server: a Starlette application (FastAPI) over the same code as the CLI.

The page itself is static (``assets/``); what it shows of a run or a comparison is the
report that ``peacezones run`` and ``compare`` write, built from the results folder and
shown in a frame, so the map, its time slider, the series and the chronicle are the
report's own. The server only checks requests, queues jobs and hands out files of its
results folder by their ids.
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
import uuid
from contextlib import asynccontextmanager
from importlib import resources
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from .. import __version__
from ..analysis.outcomes import OUTCOMES
from ..experiments.policies import Policy, apply_policy, builtin_policies, load_policy
from ..scenario import Scenario, ScenarioError, load_scenario
from ..scenario.load import _decode, builtin_names, parse_scenario
from ..scenario.schema import MAX_FORCE
from . import requests as rq
from .jobs import Job, Jobs

UPLOADS = "uploads"
STORES = "stores"
"""One results store per scenario, shared by every comparison of it: a run that one
comparison made (a policy, a replicate, a seed) is not made again for another."""
UPLOAD_ID = re.compile(r"^upload-[0-9a-f]{16}$")
JOB_ID = re.compile(r"^[0-9a-f]{16}$")
KINDS = ("runs", "comparisons")
FILES = re.compile(
    r"^(report\.html|report\.json|run\.json|series\.parquet|events\.parquet|outcomes\.parquet"
    r"|runs\.parquet|per_policy\.csv|differences\.csv|figures/[a-z0-9_-]+\.png"
    r"|report-[0-9]+\.html)$"
)
"""The files of a results folder that the page hands out; nothing else can be named."""
MAX_JSON = 64_000
SAME = "set a lever, or compare against another policy"
ASSETS = ("app.js", "app.css")


class RefusedError(Exception):
    """A request the server will not do, with its status and what to tell the user."""

    def __init__(self, status: int, error: str, problems: list[str] | None = None) -> None:
        super().__init__(error)
        self.status, self.error, self.problems = status, error, problems or []


def _problems(exc: ScenarioError) -> list[str]:
    return [p.render(exc.file) for p in exc.problems]


class Server:
    """What the application holds: its results folder, its scenarios and its jobs."""

    def __init__(self, results: Path, workers: int, scheduler: str | None = None) -> None:
        self.results = results.resolve()
        self.workers = workers
        self.scheduler = scheduler
        self.jobs = Jobs(self.results)
        self.scenarios: dict[str, Scenario] = {}
        self.lock = threading.Lock()

    # scenarios -------------------------------------------------------------------------

    def scenario(self, sid: str) -> Scenario:
        with self.lock:
            if sid in self.scenarios:
                return self.scenarios[sid]
        if sid in builtin_names():
            loaded = load_scenario(sid)
        elif UPLOAD_ID.match(sid):
            path = self.results / UPLOADS / f"{sid}.toml"
            try:
                text = path.read_text("utf-8")
            except OSError:
                raise RefusedError(404, f"no scenario {sid!r} was sent to this server") from None
            loaded = parse_scenario(text, f"{sid}.toml", files=False)
        else:
            known = ", ".join(builtin_names())
            raise RefusedError(404, f"no scenario {sid!r}: a built-in one ({known}) or one sent")
        with self.lock:
            self.scenarios[sid] = loaded
        return loaded

    def upload(self, name: str, data: bytes) -> dict[str, Any]:
        """Check a scenario sent by the page; keep it under its digest if it is valid."""
        if len(data) > rq.MAX_UPLOAD:
            raise RefusedError(413, f"{name}: {len(data):,} bytes; at most {rq.MAX_UPLOAD:,}")
        text = _decode(name, data)
        loaded = parse_scenario(text, name, files=False)
        rq.bounded(loaded, None)
        sid = "upload-" + hashlib.sha256(data).hexdigest()[:16]
        folder = self.results / UPLOADS
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / f"{sid}.toml"
        if not target.exists():  # two sending the same file at once each write their own
            partial = folder / f".{sid}.{uuid.uuid4().hex}.part"
            partial.write_text(text, "utf-8")
            partial.replace(target)
        with self.lock:
            self.scenarios[sid] = loaded
        return self.describe(sid)

    def uploads(self) -> list[dict[str, str]]:
        """The scenarios sent to this server (kept in its results folder), newest first."""
        folder = self.results / UPLOADS
        found = sorted(folder.glob("upload-*.toml"), key=lambda p: -p.stat().st_mtime)
        out = []
        for path in found:
            if UPLOAD_ID.match(path.stem):
                try:
                    out.append({"id": path.stem, "title": self.scenario(path.stem).meta.title})
                except (RefusedError, ScenarioError):
                    continue  # a file left by an older version that no longer validates
        return out

    def describe(self, sid: str) -> dict[str, Any]:
        """What the page needs to set levers for a scenario."""
        s = self.scenario(sid)
        programmes = sorted({d.program for d in s.schedule if getattr(d, "program", None)})
        return {
            "id": sid,
            "name": s.meta.name,
            "title": s.meta.title,
            "start": str(s.meta.start),
            "end": str(s.meta.end),
            "zones": any(d.action == "declare_zone" for d in s.schedule),
            "programmes": programmes,
            "places": [{"id": p.id, "name": p.name} for p in s.places],
            "gangs": [{"id": g.id, "name": g.name} for g in s.gangs],
            "parameters": [
                {
                    "key": f"{group}.{name}",
                    "value": p.value,
                    "low": p.range[0],
                    "high": p.range[1],
                    "unit": p.unit,
                }
                for group, members in s.parameters.items()
                for name, p in members.items()
            ],
        }

    # jobs ------------------------------------------------------------------------------

    def variants(self, sid: str, choices: list[rq.PolicyChoice], scale: float | None):
        scenario = self.scenario(sid)
        rq.bounded(scenario, scale)
        chosen = [rq.policy(c) for c in choices]
        names = [p.name for p in chosen]
        if len(set(names)) < len(names):
            twice = sorted({n for n in names if names.count(n) > 1})
            said = f"policies: {', '.join(twice)}"
            raise RefusedError(422, "the same policy twice", [said, SAME])
        variants = [apply_policy(scenario, p) for p in chosen]
        seen: dict[str, str] = {}
        for policy, variant in zip(chosen, variants, strict=True):
            first = seen.setdefault(variant.digest(), policy.name)
            if first != policy.name:
                said = f"{first} and {policy.name} make the same scenario: the same runs"
                raise RefusedError(422, "the same policy twice", [said, SAME])
        return scenario, chosen, variants

    def run(self, request: rq.RunRequest) -> Job:
        scenario, (policy,), (variant,) = self.variants(
            request.scenario, [request.policy], request.scale
        )
        job_id = rq.key("runs", scenario, request, [policy])
        meta = variant.meta
        weeks = meta.steps
        title = f"{meta.title}: {_title(request.policy, policy)}, seed {request.seed}"
        job = Job(job_id, "runs", title, weeks)
        return self.jobs.submit(job, _run_work(variant, policy, request))

    def compare(self, request: rq.CompareRequest) -> Job:
        scenario, chosen, variants = self.variants(
            request.scenario, request.policies, request.scale
        )
        job_id = rq.key("comparisons", scenario, request, chosen)
        runs = len(chosen) * request.replicates
        titles = [_title(c, p) for c, p in zip(request.policies, chosen, strict=True)]
        title = f"{scenario.meta.title}: {' vs '.join(titles)}"
        job = Job(job_id, "comparisons", title, runs)
        work = _compare_work(
            scenario, chosen, titles, variants, request, self.workers, self.scheduler
        )
        return self.jobs.submit(job, work)

    def file(self, kind: str, job_id: str, name: str) -> Path:
        """A file of a job's results; nothing else (no link, nothing outside them)."""
        refused = RefusedError(
            404, "no such file: the page hands out the files of its results only"
        )
        if kind not in KINDS or not JOB_ID.match(job_id) or not FILES.match(name):
            raise refused
        folder = self.results / kind / job_id
        path = folder / name
        if not path.is_file() or path.is_symlink() or not path.resolve().is_relative_to(folder):
            raise refused
        return path


def _run_work(variant: Scenario, policy: Policy, request: rq.RunRequest):
    def work(job: Job, folder: Path) -> dict[str, Any]:
        import time

        from ..engine import simulate
        from ..experiments import folders
        from ..experiments.output import write_run
        from ..report.build import build_report
        from ..report.context import context
        from .jobs import CancelledError

        folders.claim(folder, "run")
        started = time.perf_counter()
        try:
            result = simulate(
                variant,
                seed=request.seed,
                scale=request.scale,
                on_step=lambda done, total: job.advance(done, total),
            )
        except CancelledError:
            folders.release(folder)
            raise
        write_run(result, folder, time.perf_counter() - started)
        context(variant, "run", [policy]).write(folder)
        job.message = "writing the report"
        build_report(folder)
        return {
            "report": f"/results/runs/{job.id}/report.html",
            "policy": policy.name,
            "description": policy.description,
            "seconds": round(time.perf_counter() - started, 1),
        }

    return work


def _title(choice: rq.PolicyChoice, policy: Policy) -> str:
    """What the page calls a policy: its levers in words where it has some, else its name."""
    return choice.label if choice.levers and choice.label else policy.name


def _compare_work(
    scenario: Scenario,
    policies: list[Policy],
    titles: list[str],
    variants: list[Scenario],
    request: rq.CompareRequest,
    workers: int,
    scheduler: str | None,
):
    def work(job: Job, folder: Path) -> dict[str, Any]:
        from ..api import _report
        from ..experiments import folders
        from ..experiments.compare import compare
        from ..experiments.runner import plan
        from ..experiments.store import Store

        folders.claim(folder, "compare", scenario=scenario.digest())
        scale = scenario.meta.default_scale if request.scale is None else request.scale
        tasks = plan(scenario, policies, request.replicates, request.seed, scale, monthly=True)
        shared = folder.parent.parent / STORES / scenario.digest()[:16]  # runs of every comparison
        with Store(shared) as store:
            stored = store.done()
        job.advance(sum(t.run_id in stored for t in tasks), len(tasks))
        result = compare(
            scenario,
            policies,
            request.replicates,
            folder,
            seed=request.seed,
            scale=request.scale,
            workers=workers,
            on_done=lambda _: job.advance(),
            scheduler=scheduler,
            store_folder=shared,
        )
        job.message = "writing the report"
        _report(folder, variants, "compare", policies)
        described = {o.name: o.description for o in OUTCOMES}
        directions = {o.name: o.direction for o in OUTCOMES}
        labels = {p.name: p.description for p in policies}

        def rows(frame: Any) -> list[dict[str, Any]]:
            out = json.loads(frame.to_json(orient="records"))
            for row in out:
                row["label"] = described.get(row["outcome"], row["outcome"])
                row["direction"] = directions.get(row["outcome"], "none")
            return out

        return {
            "report": f"/results/comparisons/{job.id}/report.html",
            "policies": [p.name for p in policies],
            "descriptions": labels,
            "labels": {c.name: t for c, t in zip(policies, titles, strict=True)},
            "replicates": request.replicates,
            "unchanged": result.unchanged,
            "per_policy": rows(result.per_policy),
            "differences": rows(result.differences),
            "ran": result.ran,
            "runs": result.runs,
        }

    return work


def _asset(name: str) -> str:
    return (resources.files("peacezones.web") / "assets" / name).read_text("utf-8")


async def _json(request: Request) -> Any:
    body = await _body(request, MAX_JSON)
    try:
        return json.loads(body)
    except ValueError as exc:
        raise RefusedError(400, f"the request's body is not JSON: {exc}") from None
    except RecursionError:
        raise RefusedError(400, "the request's body is nested too deeply to read") from None


async def _body(request: Request, limit: int) -> bytes:
    """The body, read no further than ``limit`` bytes (a larger one is refused)."""
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise RefusedError(413, f"{int(declared):,} bytes sent; at most {limit:,}")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise RefusedError(413, f"more than {limit:,} bytes sent; at most {limit:,}")
        chunks.append(chunk)
    return b"".join(chunks)


def create_app(results: Path, workers: int = 1, scheduler: str | None = None) -> FastAPI:
    """The application, keeping its results (and scenarios sent to it) in ``results``."""
    server = Server(results, workers, scheduler)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        yield
        server.jobs.close()

    app = FastAPI(
        title="peacezones",
        version=__version__,
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
        lifespan=lifespan,
    )
    app.state.server = server

    @app.exception_handler(RefusedError)
    async def refused(_: Request, exc: RefusedError) -> JSONResponse:
        return JSONResponse({"error": exc.error, "problems": exc.problems}, exc.status)

    @app.exception_handler(ScenarioError)
    async def invalid(_: Request, exc: ScenarioError) -> JSONResponse:
        error = f"{exc.file}: {len(exc.problems)} problem(s)"
        return JSONResponse({"error": error, "problems": _problems(exc)}, 422)

    @app.exception_handler(StarletteHTTPException)
    async def http(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        return JSONResponse({"error": str(exc.detail), "problems": []}, exc.status_code)

    @app.exception_handler(Exception)
    async def bug(_: Request, exc: Exception) -> JSONResponse:
        import traceback

        traceback.print_exception(exc)
        return JSONResponse(
            {"error": f"the server failed: {type(exc).__name__}: {exc}", "problems": []}, 500
        )

    @app.get("/", response_class=HTMLResponse)
    def index() -> HTMLResponse:
        return HTMLResponse(_asset("index.html"))

    @app.get("/static/{name}")
    def static(name: str) -> Response:
        if name not in ASSETS:
            raise RefusedError(404, "no such file")
        kind = "text/javascript" if name.endswith(".js") else "text/css"
        return Response(_asset(name), media_type=kind)

    @app.get("/api/info")
    def info() -> dict[str, Any]:
        policies = [load_policy(n) for n in builtin_policies()]
        return {
            "version": __version__,
            "scenarios": builtin_names(),
            "uploads": server.uploads(),
            # additions: the decisions a policy adds, which come before the page's own in
            # the merged policy (a problem's add[k] counts them)
            "policies": [
                {"name": p.name, "description": p.description, "additions": len(p.add)}
                for p in policies
            ],
            "bounds": {
                "replicates": rq.MAX_REPLICATES,
                "policies": rq.MAX_POLICIES,
                "upload": rq.MAX_UPLOAD,
                "additions": rq.MAX_ADDITIONS,
                "force": MAX_FORCE,
            },
            "workers": server.workers,
            "scheduler": server.scheduler,
        }

    @app.get("/api/scenarios/{sid}")
    def scenario(sid: str) -> dict[str, Any]:
        return server.describe(sid)

    @app.post("/api/scenarios")
    async def upload(request: Request) -> dict[str, Any]:
        name = request.headers.get("x-file-name", "uploaded.toml")
        name = re.sub(r"[^A-Za-z0-9._-]", "_", name)[:80] or "uploaded.toml"
        data = await _body(request, rq.MAX_UPLOAD)
        # parsing a scenario takes a second: in a worker thread, so the page's other
        # requests (a job's progress, a result) are not held up meanwhile
        return await run_in_threadpool(server.upload, name, data)

    @app.post("/api/runs", status_code=202)
    async def run(request: Request) -> dict[str, Any]:
        parsed = rq.parse(rq.RunRequest, await _json(request))
        job = await run_in_threadpool(server.run, parsed)  # builds the scenario's variant
        return job.view()

    @app.post("/api/comparisons", status_code=202)
    async def comparison(request: Request) -> dict[str, Any]:
        parsed = rq.parse(rq.CompareRequest, await _json(request))
        job = await run_in_threadpool(server.compare, parsed)  # builds each policy's variant
        return job.view()

    def shown(job_id: str, found: Job | None) -> dict[str, Any]:
        if found is None:
            raise RefusedError(404, f"no job {job_id!r}")
        return found.view()

    @app.get("/api/jobs/{job_id}")
    def job(job_id: str) -> dict[str, Any]:
        return shown(job_id, server.jobs.get(job_id))

    @app.delete("/api/jobs/{job_id}")
    def cancel(job_id: str) -> dict[str, Any]:
        return shown(job_id, server.jobs.cancel(job_id))

    @app.get("/results/{kind}/{job_id}/{name:path}")
    def result(kind: str, job_id: str, name: str) -> FileResponse:
        return FileResponse(server.file(kind, job_id, name))

    return app
