"""The `renkei` command line, run by ./renkei at the repository root.

renkei demo [--port N]      set up SQLite with demo data, serve the app and its worker
renkei test [PYTEST ARGS]   run the test suite
renkei serve [--port N]     production server (gunicorn) with its worker
renkei worker [--burst]     background tasks and periodic jobs
renkei seed --contacts N    the demo data generator at any size
renkei bench NAME [ARGS]    run benchmarks/NAME (see benchmarks/README.md)
renkei <django command>     any Django management command (migrate, createsuperuser, ...)
"""

from __future__ import annotations

import argparse
import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent


def data_dir() -> Path:
    path = Path(os.environ.get("RENKEI_DATA_DIR", ROOT / "data"))
    path.mkdir(parents=True, exist_ok=True)
    return path


def ensure_local_secret() -> None:
    """Outside production, keep a generated SECRET_KEY in the data folder."""
    if os.environ.get("SECRET_KEY"):
        return
    key_file = data_dir() / ".secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    os.environ["SECRET_KEY"] = key_file.read_text().strip()


def django_setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "renkei.settings")
    import django

    django.setup()


def manage(*args: str) -> None:
    from django.core.management import execute_from_command_line

    execute_from_command_line(["renkei", *args])


def _spawn(args: list[str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(args, env=os.environ.copy(), start_new_session=True)


def _run_processes(port: int, host: str, workers: int) -> int:
    """Run gunicorn and the worker until Ctrl-C or one of them exits; stop both."""
    python = sys.executable
    web = _spawn([
        python, "-m", "gunicorn", "renkei.wsgi:application",
        "--bind", f"{host}:{port}", "--workers", str(workers),
        "--access-logfile", "-", "--graceful-timeout", "10", "--timeout", "60",
    ])  # fmt: skip
    worker = _spawn([python, "-m", "renkei", "worker"])
    procs = [web, worker]
    stopping = False

    def stop(*_args: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    code = 0
    try:
        while not stopping:
            for proc in procs:
                if proc.poll() is not None:
                    code = proc.returncode or 0
                    stopping = True
            if not stopping:
                time.sleep(0.3)
    finally:
        print("\nrenkei: stopping the web server and the worker…", file=sys.stderr)
        for proc in procs:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
        for proc in procs:
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
    return code


def cmd_demo(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="renkei demo")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--host", default="127.0.0.1")
    opts = parser.parse_args(argv)
    os.environ.setdefault("DEBUG", "false")
    os.environ.setdefault("HTTPS", "false")
    os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{data_dir() / 'renkei.sqlite3'}")
    django_setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    from renkei.demo.seed import DEMO_PASSWORD, demo_logins, has_data, seed

    if not has_data():
        print("renkei: loading demo data (a year of a Japanese B2B funnel)…", file=sys.stderr)
        seed(contacts=3000)
    url = f"http://{opts.host}:{opts.port}/"
    print(f"\nRenkei is running at {url}\n")
    print(f"Demo logins (password for all: {DEMO_PASSWORD}):")
    for username, role in demo_logins():
        print(f"  {username:<12} {role}")
    print("\nPress Ctrl-C to stop.\n", flush=True)
    return _run_processes(opts.port, opts.host, workers=2)


def cmd_serve(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="renkei serve")
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
    parser.add_argument("--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", "3")))
    opts = parser.parse_args(argv)
    django_setup()
    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)
    return _run_processes(opts.port, opts.host, workers=opts.workers)


def cmd_worker(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="renkei worker")
    parser.add_argument("--burst", action="store_true", help="run queued tasks, then exit")
    opts = parser.parse_args(argv)
    django_setup()
    from renkei.core.worker import run_worker

    run_worker(burst=opts.burst)
    return 0


def cmd_seed(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="renkei seed")
    parser.add_argument("--contacts", type=int, default=3000)
    parser.add_argument("--accounts", type=int, default=None)
    parser.add_argument("--seed", type=int, default=20260401)
    parser.add_argument(
        "--stage-changes",
        type=int,
        default=None,
        help="aim for about this many stage changes in total (benchmark volumes)",
    )
    opts = parser.parse_args(argv)
    django_setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from renkei.demo.seed import seed

    summary = seed(
        contacts=opts.contacts,
        accounts=opts.accounts,
        random_seed=opts.seed,
        stage_changes=opts.stage_changes,
    )
    print(summary)
    return 0


def ensure_chromium() -> bool:
    """The browser tests drive Debian's Chromium (or RENKEI_CHROMIUM). Install it with
    apt-get when running as root; otherwise say how."""
    chromium = os.environ.get("RENKEI_CHROMIUM", "/usr/bin/chromium")
    if Path(chromium).exists():
        return True
    if os.geteuid() == 0 and shutil.which("apt-get"):
        print("renkei: installing chromium for the browser tests…", file=sys.stderr)
        subprocess.run(["apt-get", "update", "-qq"], check=False)
        subprocess.run(["apt-get", "install", "-y", "-qq", "chromium"], check=False)
        if Path(chromium).exists():
            return True
    print(
        "renkei: the browser tests need Chromium. Install it (Debian/Ubuntu: "
        "`apt-get install chromium`) or set RENKEI_CHROMIUM to its path.",
        file=sys.stderr,
    )
    return False


def cmd_test(argv: list[str]) -> int:
    if not ensure_chromium():
        return 1
    os.environ.setdefault("HTTPS", "false")
    os.environ.setdefault("STATIC_MANIFEST", "false")
    # Live-server threads must not keep connections open, or PostgreSQL refuses to drop
    # the test database at the end.
    os.environ.setdefault("DATABASE_CONN_MAX_AGE", "0")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    import pytest

    os.chdir(ROOT)
    code = pytest.main(argv)
    return 0 if code == 0 else int(code)


def cmd_bench(argv: list[str]) -> int:
    """Run benchmarks/NAME.py (or NAME.sh) with this environment's Python."""
    folder = ROOT / "benchmarks"
    names = sorted(p.stem for p in folder.glob("[!_]*.py")) + sorted(
        p.stem for p in folder.glob("*.sh")
    )
    if not argv or argv[0] in {"-h", "--help"}:
        print("usage: renkei bench NAME [ARGS]   (NAME --help for its options)")
        print("benchmarks: " + ", ".join(names))
        return 0 if argv else 2
    name, rest = argv[0], argv[1:]
    if (folder / f"{name}.py").is_file():
        return subprocess.call([sys.executable, str(folder / f"{name}.py"), *rest])
    if (folder / f"{name}.sh").is_file():
        return subprocess.call(["bash", str(folder / f"{name}.sh"), *rest])
    print(f"renkei: no benchmark named {name!r} (have: {', '.join(names)})", file=sys.stderr)
    return 2


COMMANDS = {
    "demo": cmd_demo,
    "serve": cmd_serve,
    "worker": cmd_worker,
    "seed": cmd_seed,
    "test": cmd_test,
    "bench": cmd_bench,
}


def main() -> None:
    args = sys.argv[1:]
    ensure_local_secret()
    if args and args[0] in COMMANDS:
        sys.exit(COMMANDS[args[0]](args[1:]))
    if not args or args[0] in {"-h", "--help", "help"}:
        print(__doc__)
        if not args:
            return
    django_setup()
    manage(*args)
