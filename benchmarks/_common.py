"""Shared helpers for the benchmark scripts: machine facts, scratch databases, Django set-up
and percentiles. Each benchmark runs one database per process; `--db all` runs itself once
per database in a child process."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import secrets
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PG_URL = "postgres://postgres@127.0.0.1:5432/renkei_bench"


def machine_info() -> dict[str, Any]:
    """CPU model, cores, memory, OS, Python and library versions of this machine."""
    cpu = "unknown"
    with Path("/proc/cpuinfo").open() as fh:
        for line in fh:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    mem_kib = 0
    with Path("/proc/meminfo").open() as fh:
        for line in fh:
            if line.startswith("MemTotal:"):
                mem_kib = int(line.split()[1])
                break
    import django

    return {
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "cpu": cpu,
        "cores": os.cpu_count(),
        "ram_gib": round(mem_kib / 1024 / 1024, 1),
        "os": platform.platform(),
        "python": platform.python_version(),
        "django": django.get_version(),
        "sqlite": sqlite3.sqlite_version,
        "load_average": os.getloadavg(),
    }


def print_machine(info: dict[str, Any]) -> None:
    print(f"date:     {info['date']}")
    print(f"cpu:      {info['cpu']} ({info['cores']} cores)")
    print(f"memory:   {info['ram_gib']} GiB")
    print(f"os:       {info['os']}")
    print(f"python:   {info['python']}, Django {info['django']}, SQLite {info['sqlite']}")
    load = ", ".join(f"{x:.2f}" for x in info["load_average"])
    print(f"load:     {load} (1/5/15 min, before the run)")


def add_database_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--db",
        choices=["sqlite", "postgres", "all"],
        default="sqlite",
        help="database to measure (all: SQLite, then PostgreSQL)",
    )
    parser.add_argument(
        "--pg-url",
        default=os.environ.get("BENCH_PG_URL", DEFAULT_PG_URL),
        help="scratch PostgreSQL database, created and dropped by the benchmark "
        "(its name must contain 'bench'); default %(default)s",
    )
    parser.add_argument(
        "--sqlite-path",
        default="",
        help="SQLite file to use instead of a temporary one (kept afterwards)",
    )
    parser.add_argument(
        "--keep", action="store_true", help="keep the scratch database (reuse with --reuse)"
    )
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="use the scratch database as it is when it already holds data",
    )
    parser.add_argument("--json", default="", help="also write the results to this JSON file")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)


def run_per_database(opts: argparse.Namespace, argv: list[str]) -> int | None:
    """For `--db all`, run this script once per database and return the exit code;
    otherwise return None and let the caller measure `opts.db` in this process."""
    if opts.db != "all":
        return None
    code = 0
    for db in ("sqlite", "postgres"):
        args = [a for a in argv if not a.startswith("--db=")]
        if "--db" in args:
            i = args.index("--db")
            del args[i : i + 2]
        json_path = opts.json
        if json_path:
            i = args.index("--json") if "--json" in args else -1
            if i >= 0:
                del args[i : i + 2]
            args = [a for a in args if not a.startswith("--json=")]
            stem = Path(json_path)
            args += ["--json", str(stem.with_name(f"{stem.stem}-{db}{stem.suffix}"))]
        print(f"\n=== {db} ===", flush=True)
        result = subprocess.call([sys.executable, sys.argv[0], *args, "--db", db])
        code = code or result
    return code


def _pg_admin_url(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if "bench" not in name:
        raise SystemExit(f"refusing to use {name!r} as a scratch database: its name lacks 'bench'")
    return urlunsplit(parts._replace(path="/postgres")), name


def _pg_admin(url: str, *statements: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        for statement in statements:
            conn.execute(statement)


@contextmanager
def scratch_database(opts: argparse.Namespace) -> Iterator[str]:
    """A DATABASE_URL for a scratch database, removed afterwards unless --keep/--sqlite-path."""
    if opts.db == "postgres":
        admin, name = _pg_admin_url(opts.pg_url)
        if not opts.reuse:
            _pg_admin(admin, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        try:
            _pg_admin(admin, f'CREATE DATABASE "{name}"')
        except Exception as exc:  # an existing database is fine with --reuse
            if not opts.reuse:
                raise
            print(f"(reusing {name}: {exc.__class__.__name__})")
        try:
            yield opts.pg_url
        finally:
            if not opts.keep:
                from django.db import connections

                connections.close_all()
                _pg_admin(admin, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        return
    if opts.sqlite_path:
        path = Path(opts.sqlite_path).resolve()
        path.parent.mkdir(parents=True, exist_ok=True)
        yield f"sqlite:///{path}"
        return
    folder = Path(tempfile.mkdtemp(prefix="renkei-bench-"))
    try:
        yield f"sqlite:///{folder / 'bench.sqlite3'}"
    finally:
        if opts.keep:
            print(f"(kept {folder / 'bench.sqlite3'})")
        else:
            shutil.rmtree(folder, ignore_errors=True)


def setup_django(database_url: str) -> None:
    """Configure Renkei like production (DEBUG off) against `database_url`, and migrate."""
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(40))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "renkei.settings")
    os.environ["DEBUG"] = "false"
    os.environ["HTTPS"] = "false"
    # Hashed static names need `collectstatic`; the page work is the same without them.
    os.environ["STATIC_MANIFEST"] = "false"
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ["ALLOWED_HOSTS"] = "testserver,127.0.0.1,localhost"
    os.environ["EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"
    src = str(ROOT / "src")
    if src not in sys.path:
        sys.path.insert(0, src)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def database_description() -> str:
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            version = cursor.fetchone()[0]
        return f"PostgreSQL {version} ({connection.settings_dict['NAME']})"
    return f"SQLite {sqlite3.sqlite_version} ({connection.settings_dict['NAME']})"


def percentile(values: list[float], p: float) -> float:
    """The p-th percentile (0–100) by linear interpolation."""
    ordered = sorted(values)
    if len(ordered) == 1:
        return ordered[0]
    k = (len(ordered) - 1) * p / 100
    low = int(k)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (k - low)


def summary_ms(seconds: list[float]) -> dict[str, float]:
    ms = [s * 1000 for s in seconds]
    return {
        "n": len(ms),
        "p50_ms": round(percentile(ms, 50), 2),
        "p95_ms": round(percentile(ms, 95), 2),
        "max_ms": round(max(ms), 2),
        "mean_ms": round(statistics.fmean(ms), 2),
    }


def write_json(path: str, payload: dict[str, Any]) -> None:
    if path:
        Path(path).write_text(json.dumps(payload, ensure_ascii=False, indent=2, default=str))
        print(f"(results written to {path})")
