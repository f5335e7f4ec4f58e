"""``peacezones report DIR`` through a subprocess, and the report that `run` announces."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.cli.test_cli import pz


def test_report_rebuilds_the_report_of_a_run_folder(run_folder: Path, tmp_path: Path) -> None:
    copy = tmp_path / "run"
    shutil.copytree(run_folder, copy)
    (copy / "report.html").unlink()
    shutil.rmtree(copy / "figures")
    result = pz("report", str(copy))
    assert result.returncode == 0, result.stderr
    assert "report in" in result.stdout
    assert (copy / "report.html").read_bytes() == (run_folder / "report.html").read_bytes()
    assert sorted(p.name for p in (copy / "figures").iterdir()) == [
        "control.png", "homicides.png", "map.png", "members.png",
    ]  # fmt: skip


def test_report_rebuilds_a_comparison(compare_folder: Path, tmp_path: Path) -> None:
    copy = tmp_path / "compare"
    shutil.copytree(compare_folder, copy)
    (copy / "report.html").unlink()
    result = pz("report", str(copy))
    assert result.returncode == 0, result.stderr
    assert 'id="policies"' in (copy / "report.html").read_text(encoding="utf-8")


def test_a_folder_that_holds_no_results_exits_2_with_a_clear_message(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("hello")
    result = pz("report", str(tmp_path))
    assert result.returncode == 2
    assert f"error: {tmp_path}: 1 problem(s)" in result.stderr
    assert "found files notes.txt; expected a results folder of `peacezones run`" in (
        " ".join(result.stderr.split())
    )
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "report.html").exists()


def test_a_missing_folder_exits_2(tmp_path: Path) -> None:
    result = pz("report", str(tmp_path / "nowhere"))
    assert result.returncode == 2
    assert "found no such folder" in result.stderr
    assert "Traceback" not in result.stderr


def test_report_has_help() -> None:
    result = pz("report", "--help")
    assert result.returncode == 0
    assert "DIR" in result.stdout
    assert "report.html" in result.stdout
