"""The benchmark scripts still run against the current code (tiny sizes, SQLite)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _run(script: str, tmp_path: Path, *args: str) -> dict:
    out = tmp_path / "result.json"
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    env.pop("DATABASE_URL", None)
    completed = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / script), *args, "--json", str(out)],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
    return json.loads(out.read_text())


def test_the_stage_changes_benchmark_runs(tmp_path):
    data = _run("stage_changes.py", tmp_path, "--contacts", "10", "--background", "40")
    result = data["result"]
    assert result["stage_changes"] == 40
    assert result["per_second"] > 0
    assert result["concurrent"]["stage_changes"] == 40
    assert data["machine"]["cores"] >= 1


def test_the_contact_list_benchmark_runs(tmp_path):
    data = _run(
        "contact_list.py",
        tmp_path,
        "--contacts", "150", "--stage-changes", "600", "--requests", "2",
    )  # fmt: skip
    types = data["result"]["types"]
    assert len(types) == 9
    for row in types.values():
        assert row["page"]["n"] == 2
        assert row["queries_per_page"] > 0


def test_the_segment_count_benchmark_runs(tmp_path):
    data = _run("segment_count.py", tmp_path, "--contacts", "200", "--runs", "2")
    segments = data["result"]["segments"]
    assert len(segments) == 7
    assert segments["stage + source"]["matched"] > 0
    assert all(row["n"] == 2 for row in segments.values())


def test_the_rule_scoring_benchmark_runs(tmp_path):
    data = _run("rule_scoring.py", tmp_path, "--contacts", "200", "--runs", "1", "--touches", "0")
    result = data["result"]
    assert result["contacts"] == 200
    assert result["runs"][0]["entries"] > 0
    assert result["projected_1m_seconds"] > 0
