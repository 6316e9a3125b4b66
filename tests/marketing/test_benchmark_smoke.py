"""The tracking benchmark still runs against the current code (tiny size, SQLite)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent


def test_the_tracking_collect_benchmark_runs(tmp_path):
    out = tmp_path / "result.json"
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    env.pop("DATABASE_URL", None)
    completed = subprocess.run(
        [
            sys.executable,
            str(ROOT / "benchmarks" / "tracking_collect.py"),
            "--batches",
            "4",
            "--batch-size",
            "5",
            "--visitors",
            "2",
            "--submissions",
            "4",
            "--json",
            str(out),
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
    result = json.loads(out.read_text())["result"]
    assert result["events"] == 20
    assert result["per_second"] > 0
    assert result["forms"]["submissions"] == 4
    assert result["forms"]["contacts"] == 2
