"""The web server's requests, without a browser: bounds, paths, ids, cancelling."""

from __future__ import annotations

import time
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from peacezones.web.app import create_app

TOY = (resources.files("peacezones.scenario.scenarios") / "toy.toml").read_text("utf-8")
HOT = {"base": "historical", "levers": {"zone_terms": {"pursuit_turn_back": 0.0}}}


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    with TestClient(create_app(tmp_path / "results", workers=1)) as opened:
        yield opened


def wait(client: TestClient, job: dict[str, Any], limit: float = 300) -> dict[str, Any]:
    deadline = time.monotonic() + limit
    while job["state"] in ("queued", "running"):
        assert time.monotonic() < deadline, job
        time.sleep(0.2)
        job = client.get(f"/api/jobs/{job['id']}").json()
    return job


def problems(response: Any) -> str:
    body = response.json()
    return " | ".join([body["error"], *body["problems"]])


@pytest.mark.parametrize(
    "path",
    [
        "/results/runs/0123456789abcdef/..%2F..%2F..%2Fetc%2Fpasswd",
        "/results/runs/..%2F..%2Fetc/passwd",
        "/results/uploads/x/y",
        "/results/runs/0123456789abcdef/report.html",
        "/results/runs/0123456789abcdef/figures/../../../run.json",
        "/static/app.py",
        "/static/..%2Fapp.py",
        "/api/scenarios/..%2F..%2Fetc%2Fpasswd",
        "/api/scenarios/upload-0123456789abcdef",
    ],
)
def test_no_path_outside_the_results_can_be_read(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 404
    assert "root:" not in response.text
    assert set(response.json()) == {"error", "problems"}


def test_bad_requests_get_clear_messages(client: TestClient) -> None:
    response = client.post("/api/runs", content=b"{not json", headers={"content-type": "x"})
    assert response.status_code == 400
    assert "not JSON" in problems(response)
    response = client.post("/api/runs", content=b"[" * 60_000)
    assert response.status_code == 400
    assert "nested too deeply" in problems(response)
    response = client.post("/api/runs", content=b"[" * 70_000)
    assert response.status_code == 413
    assert "at most 64,000" in problems(response)
    response = client.post("/api/runs", json={"seed": -1, "colour": "red"})
    assert response.status_code == 422
    assert "seed: found -1" in problems(response)
    assert "unknown key 'colour'" in problems(response)
    response = client.post("/api/runs", json={"policy": {"base": "nothing"}})
    assert "policy.base: found 'nothing'; expected a built-in policy" in problems(response)
    response = client.post("/api/runs", json={"scenario": "atlantis"})
    assert response.status_code == 404
    assert "no scenario 'atlantis'" in problems(response)
    response = client.post("/api/runs", json={"scale": 1.0})
    assert response.status_code == 422
    assert "person records" in problems(response)
    both = {"policies": [{"base": "historical"}, {"base": "historical"}]}
    response = client.post("/api/comparisons", json=both)
    assert response.status_code == 422
    assert "the same policy twice" in problems(response)
    response = client.post("/api/comparisons", json={**both, "replicates": 51})
    assert "replicates: found 51; expected a number less than or equal to 50" in problems(response)
    response = client.post("/api/runs", json={"policy": {"levers": {"zone_terms": {"x": 1}}}})
    assert "levers.zone_terms.x: found unknown key 'x'" in problems(response)
    far = {"add": [{"at": "2031-01-01", "action": "crackdown"}]}
    response = client.post("/api/runs", json={"policy": {"levers": far}})
    assert response.status_code == 422
    assert "2031-01-01" in problems(response)
    many = {"add": [{"action": "truce"}] * 13}
    response = client.post("/api/runs", json={"policy": {"levers": many}})
    assert "at most 12" in problems(response)
    assert client.get("/api/jobs/0123456789abcdef").status_code == 404


def test_an_upload_is_checked_and_reads_no_file(client: TestClient, tmp_path: Path) -> None:
    secret = tmp_path / "secret.toml"
    secret.write_text(TOY, "utf-8")
    text = TOY.replace('from = "venezuela"', f'from = "{secret}"', 1)
    assert text != TOY
    response = client.post("/api/scenarios", content=text.encode())
    assert response.status_code == 422
    assert "a scenario sent to the page reads no other file" in problems(response)
    response = client.post("/api/scenarios", content=b"\xff\xfe", headers={"x-file-name": "a b"})
    assert response.status_code == 422
    assert "a_b: " in problems(response)
    response = client.post("/api/scenarios", content=b"x" * 1_000_001)
    assert response.status_code == 413
    assert "at most 1,000,000" in problems(response)
    response = client.post("/api/scenarios", content=TOY.encode(), headers={"x-file-name": "t"})
    assert response.status_code == 200, problems(response)
    sid = response.json()["id"]
    assert sid.startswith("upload-")
    assert response.json()["gangs"]
    job = wait(client, client.post("/api/runs", json={"scenario": sid}).json())
    assert job["state"] == "done", job
    assert client.get(job["result"]["report"]).status_code == 200


def test_the_same_request_is_not_run_twice(tmp_path: Path) -> None:
    request = {"scenario": "toy", "policies": [{"base": "historical"}, HOT], "replicates": 2}
    with TestClient(create_app(tmp_path / "results", workers=1)) as client:
        first = wait(client, client.post("/api/comparisons", json=request).json())
        assert first["state"] == "done", first
        again = client.post("/api/comparisons", json=request).json()
        assert again["id"] == first["id"]
        assert again["state"] == "done"
        assert first["result"]["ran"] == 4
        rows = first["result"]["differences"]
        assert {r["outcome"] for r in rows} >= {"violent_deaths_per_100k", "gang_members_end"}
        assert all(r["low"] <= r["difference"] <= r["high"] for r in rows if r["n"] > 1)
        # the run of the second policy in full, linked from the report in the frame
        report = client.get(first["result"]["report"]).text
        assert 'href="report-2.html"' in report
        assert (
            client.get(
                first["result"]["report"].replace("report.html", "report-2.html")
            ).status_code
            == 200
        )
        other = {**request, "policies": [{"base": "historical"}, {"base": "no-peace-zones"}]}
        second = wait(client, client.post("/api/comparisons", json=other).json())
        assert second["id"] != first["id"]
        assert second["result"]["ran"] == 2  # the historical runs were made already
    with TestClient(create_app(tmp_path / "results", workers=1)) as client:  # restarted
        again = client.post("/api/comparisons", json=request).json()
        assert again["id"] == first["id"]
        assert again["state"] == "done"
        assert "not run again" in again["message"]
        assert client.get(again["result"]["report"]).status_code == 200


def test_a_run_can_be_cancelled(client: TestClient, tmp_path: Path) -> None:
    job = client.post("/api/runs", json={"seed": 7}).json()
    cancelled = client.delete(f"/api/jobs/{job['id']}").json()
    assert cancelled["state"] in ("cancelled", "running", "queued")
    job = wait(client, cancelled)
    assert job["state"] == "cancelled", job
    assert not (tmp_path / "results" / "runs" / job["id"]).exists()  # nothing half-written
    again = wait(client, client.post("/api/runs", json={"seed": 7, "scenario": "toy"}).json())
    assert again["state"] == "done"  # the queue goes on


def test_a_link_in_the_results_is_not_followed(client: TestClient, tmp_path: Path) -> None:
    job = wait(client, client.post("/api/runs", json={"scenario": "toy"}).json())
    folder = tmp_path / "results" / "runs" / job["id"]
    secret = tmp_path / "secret.txt"
    secret.write_text("root:x:0:0", "utf-8")
    (folder / "figures" / "link.png").symlink_to(secret)
    (folder / "run.json").unlink()
    (folder / "run.json").symlink_to(secret)
    for name in ("figures/link.png", "run.json"):
        response = client.get(f"/results/runs/{job['id']}/{name}")
        assert response.status_code == 404
        assert "root:" not in response.text
    assert client.get(f"/results/runs/{job['id']}/report.html").status_code == 200


def test_a_comparison_runs_on_a_dask_cluster_when_given_one(tmp_path: Path) -> None:
    distributed = pytest.importorskip("distributed")
    request = {"scenario": "toy", "policies": [{"base": "historical"}, HOT], "replicates": 2}
    with distributed.LocalCluster(
        n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None
    ) as cluster:
        app = create_app(tmp_path / "there", workers=1, scheduler=cluster.scheduler_address)
        with TestClient(app) as client:
            assert client.get("/api/info").json()["scheduler"] == cluster.scheduler_address
            there = wait(client, client.post("/api/comparisons", json=request).json())
    with TestClient(create_app(tmp_path / "here", workers=1)) as client:
        here = wait(client, client.post("/api/comparisons", json=request).json())
    assert there["state"] == here["state"] == "done"
    assert there["result"]["per_policy"] == here["result"]["per_policy"]


def test_an_upload_being_parsed_holds_up_no_other_request(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Parsing takes a second for a scenario the size of Venezuela's; meanwhile the page
    still gets its answers (a job's progress, a result): the parse runs in a thread."""
    import threading

    from peacezones.web import app as web

    started, release = threading.Event(), threading.Event()
    parse = web.parse_scenario

    def slow(*args: Any, **kwargs: Any) -> Any:
        started.set()
        assert release.wait(30)
        return parse(*args, **kwargs)

    monkeypatch.setattr(web, "parse_scenario", slow)
    with TestClient(create_app(tmp_path / "results", workers=1)) as client:
        sent: dict[str, Any] = {}
        upload = threading.Thread(
            target=lambda: sent.update(response=client.post("/api/scenarios", content=TOY))
        )
        upload.start()
        assert started.wait(30)
        answered: dict[str, Any] = {}
        other = threading.Thread(target=lambda: answered.update(info=client.get("/api/info")))
        other.start()
        other.join(10)
        held_up = other.is_alive()
        release.set()
        upload.join(30)
        other.join(30)
        assert not held_up, "a request waited for the upload's parse"
        assert answered["info"].status_code == 200
        assert sent["response"].status_code == 200
