"""Settings come only from the environment; production settings pass the deploy checks."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _renkei(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    base = {
        k: v
        for k, v in os.environ.items()
        if k in {"PATH", "HOME", "PYTHONPATH", "LANG", "DATABASE_URL"}
    }
    base.update(env)
    return subprocess.run(
        [sys.executable, "-m", "renkei", *args],
        cwd=ROOT,
        env=base,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


PRODUCTION = {
    "SECRET_KEY": "k" * 20 + "Xy8!q#Zr7@Lm2$Vb9^Tn4&Hs6*Jd3(Wf5)Gc1-Pe0+",
    "DEBUG": "false",
    "HTTPS": "true",
    "ALLOWED_HOSTS": "renkei.example.co.jp",
}


def test_production_settings_pass_the_deploy_checks(tmp_path):
    result = _renkei(
        {**PRODUCTION, "RENKEI_DATA_DIR": str(tmp_path)},
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_bad_environment_value_stops_start_up_with_its_name(tmp_path):
    result = _renkei({**PRODUCTION, "DEBUG": "maybe", "RENKEI_DATA_DIR": str(tmp_path)}, "check")
    assert result.returncode != 0
    assert "DEBUG must be true or false" in result.stderr


def test_a_missing_secret_key_in_production_is_refused(tmp_path):
    env = {**PRODUCTION, "RENKEI_DATA_DIR": str(tmp_path)}
    env["SECRET_KEY"] = ""
    # The command line creates a local key only when none is set at all; an empty
    # SECRET_KEY means "not configured" and is refused.
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django, os; os.environ['DJANGO_SETTINGS_MODULE']="
            "'renkei.settings'; django.setup()",
        ],
        cwd=ROOT,
        env={**{k: v for k, v in os.environ.items() if k in {"PATH", "PYTHONPATH"}}, **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr
