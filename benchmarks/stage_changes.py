"""Stage changes per second through the real funnel service.

Seeds a background of demo data (so the tables are not empty), adds fresh leads, then moves
each lead lead → MQL (the scoring rule) → SAL → SQL (inside sales) → opportunity (field
sales) with `renkei.funnel.services.change_stage`, one transaction per move, exactly as the
pages, the API and the tasks call it. Half of the moves pass the contact's id; the other
half pass a Contact instance, as the contact page does, which costs one more query (the
service refreshes the instance).

    ./renkei bench stage_changes                  # SQLite in a temporary file
    ./renkei bench stage_changes --db postgres    # scratch database renkei_bench
    ./renkei bench stage_changes --db all

Target: at least 1,000 stage changes per second on SQLite.
"""

from __future__ import annotations

import argparse
import sys
import time
from typing import Any

import _common


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="stage_changes.py",
        description="Stage changes per second through renkei.funnel.services.change_stage.",
    )
    _common.add_database_arguments(parser)
    parser.add_argument(
        "--contacts",
        type=int,
        default=2500,
        help="fresh leads to move through four stages (default %(default)s)",
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=2,
        help="then measure this many processes moving leads at once (0: skip; default %(default)s)",
    )
    parser.add_argument(
        "--batch",
        type=int,
        default=500,
        help="then move as many new leads with change_stages, this many per transaction "
        "(0: skip; default %(default)s)",
    )
    parser.add_argument(
        "--background",
        type=int,
        default=10_000,
        help="demo contacts seeded first so the tables are not empty (default %(default)s)",
    )
    return parser.parse_args(argv)


def _new_leads(count: int, offset: int) -> list[Any]:
    """Leads added through the service, as a web form would add them."""
    from renkei.funnel import services as funnel

    form = funnel.Actor.system("ベンチマーク")
    return [
        funnel.add_contact(
            actor=form,
            family_name="速度",
            given_name=f"検証{n}",
            family_name_kana="ソクド",
            given_name_kana="ケンショウ",
            email=f"bench{n}@bench.example.com",
        )
        for n in range(offset, offset + count)
    ]


def _move_all(leads: list[Any], *, by_instance: bool | None) -> dict[str, list[float]]:
    """Move every lead through four stages, one stage at a time across all leads.
    `by_instance=None` alternates between passing the id and the Contact."""
    from renkei.contacts.choices import LifecycleStage as S
    from renkei.core.choices import Role
    from renkei.core.models import User
    from renkei.funnel import services as funnel

    inside = list(User.objects.filter(role=Role.INSIDE_SALES))
    field = list(User.objects.filter(role=Role.FIELD_SALES))
    score_rule = funnel.Actor.rule("スコア閾値到達")
    steps = [
        (S.MQL, lambda i: score_rule),
        (S.SAL, lambda i: inside[i % len(inside)]),
        (S.SQL, lambda i: inside[i % len(inside)]),
        (S.OPPORTUNITY, lambda i: field[i % len(field)]),
    ]
    latencies: dict[str, list[float]] = {"id": [], "instance": []}
    for to_stage, actor_for in steps:
        for i, lead in enumerate(leads):
            instance = bool(i % 2) if by_instance is None else by_instance
            target = lead if instance else lead.pk
            actor = actor_for(i)
            t0 = time.perf_counter()
            funnel.change_stage(target, to_stage=to_stage, actor=actor)
            latencies["instance" if instance else "id"].append(time.perf_counter() - t0)
    return latencies


def _move_batched(leads: list[Any], batch: int) -> float:
    """Move every lead through the same four stages with `change_stages`, `batch` contacts
    per transaction (how scoring rules and bulk actions move contacts); returns seconds."""
    from renkei.contacts.choices import LifecycleStage as S
    from renkei.core.choices import Role
    from renkei.core.models import User
    from renkei.funnel import services as funnel

    inside = User.objects.filter(role=Role.INSIDE_SALES).first()
    field = User.objects.filter(role=Role.FIELD_SALES).first()
    steps = [
        (S.MQL, funnel.Actor.rule("スコア閾値到達")),
        (S.SAL, inside),
        (S.SQL, inside),
        (S.OPPORTUNITY, field),
    ]
    ids = [lead.pk for lead in leads]
    t0 = time.perf_counter()
    for to_stage, actor in steps:
        for start in range(0, len(ids), batch):
            result = funnel.change_stages(
                ids[start : start + batch], to_stage=to_stage, actor=actor
            )
            assert not result.refused, result.refused
    return time.perf_counter() - t0


def _worker(leads: list[Any], start: Any, results: Any) -> None:
    start.wait()
    t0 = time.perf_counter()
    latencies = _move_all(leads, by_instance=False)
    results.put((time.perf_counter() - t0, latencies["id"]))


def _concurrent(leads: list[Any], workers: int) -> dict[str, Any]:
    """`workers` processes, each moving its share of the leads by id, all at once."""
    import multiprocessing

    from django.db import connections

    connections.close_all()
    context = multiprocessing.get_context("fork")
    start = context.Barrier(workers + 1)
    results = context.Queue()
    procs = [
        context.Process(target=_worker, args=(leads[w::workers], start, results))
        for w in range(workers)
    ]
    for proc in procs:
        proc.start()
    start.wait()
    t0 = time.perf_counter()
    outcomes = [results.get() for _ in procs]
    wall = time.perf_counter() - t0
    for proc in procs:
        proc.join()
        if proc.exitcode:
            raise RuntimeError(f"a worker failed with exit code {proc.exitcode}")
    latencies = [x for _elapsed, lat in outcomes for x in lat]
    return {
        "workers": workers,
        "stage_changes": len(latencies),
        "per_second": round(len(latencies) / wall, 1),
        "latency": _common.summary_ms(latencies),
    }


def measure(opts: argparse.Namespace) -> dict[str, Any]:
    from django.db import connection

    from renkei.contacts.models import Contact
    from renkei.demo.seed import has_data, seed
    from renkei.funnel.models import StageChange

    if not (opts.reuse and has_data()):
        started = time.perf_counter()
        print(seed(contacts=opts.background), flush=True)
        print(f"(background seeded in {time.perf_counter() - started:.1f} s)")
    background = Contact.objects.count()

    started = time.perf_counter()
    leads = _new_leads(opts.contacts, 0)
    add_seconds = time.perf_counter() - started
    before = StageChange.objects.count()
    latencies = _move_all(leads, by_instance=None)
    moved = StageChange.objects.count() - before
    assert moved == len(leads) * 4, (moved, len(leads))
    every = latencies["id"] + latencies["instance"]
    result: dict[str, Any] = {
        "database": _common.database_description(),
        "vendor": connection.vendor,
        "background_contacts": background,
        "add_contact_per_second": round(len(leads) / add_seconds, 1),
        "stage_changes": moved,
        "per_second": round(moved / sum(every), 1),
        "per_second_by_id": round(len(latencies["id"]) / sum(latencies["id"]), 1),
        "per_second_by_instance": round(len(latencies["instance"]) / sum(latencies["instance"]), 1),
        "latency": _common.summary_ms(every),
    }
    if opts.batch > 0:
        batched = _new_leads(opts.contacts, 2 * opts.contacts)
        seconds = _move_batched(batched, opts.batch)
        result["batched"] = {
            "batch": opts.batch,
            "stage_changes": len(batched) * 4,
            "per_second": round(len(batched) * 4 / seconds, 1),
        }
    if opts.workers > 0:
        more = _new_leads(opts.contacts, opts.contacts)
        result["concurrent"] = _concurrent(more, opts.workers)
    result["stage_changes_in_table"] = StageChange.objects.count()
    return result


def main(argv: list[str]) -> int:
    opts = parse_args(argv)
    code = _common.run_per_database(opts, argv)
    if code is not None:
        return code
    info = _common.machine_info()
    _common.print_machine(info)
    with _common.scratch_database(opts) as url:
        _common.setup_django(url)
        print(f"database: {_common.database_description()}\n", flush=True)
        result = measure(opts)
    lat = result["latency"]
    print(f"\nadd_contact:        {result['add_contact_per_second']:,.0f} contacts/s")
    print(
        f"change_stage:       {result['per_second']:,.0f} stage changes/s "
        f"({result['stage_changes']:,} moves in one process, one transaction each)"
    )
    print(f"  by contact id:    {result['per_second_by_id']:,.0f}/s")
    print(f"  by Contact:       {result['per_second_by_instance']:,.0f}/s")
    print(
        f"  latency:          p50 {lat['p50_ms']:.2f} ms, p95 {lat['p95_ms']:.2f} ms, "
        f"max {lat['max_ms']:.2f} ms"
    )
    if "batched" in result:
        b = result["batched"]
        print(
            f"change_stages:      {b['per_second']:,.0f} stage changes/s "
            f"({b['stage_changes']:,} moves, {b['batch']} contacts per transaction)"
        )
    if "concurrent" in result:
        conc = result["concurrent"]
        lat = conc["latency"]
        print(
            f"{conc['workers']} processes at once: {conc['per_second']:,.0f} stage changes/s "
            f"in total (by id; latency p50 {lat['p50_ms']:.2f} ms, p95 {lat['p95_ms']:.2f} ms, "
            f"max {lat['max_ms']:.2f} ms)"
        )
    if result["vendor"] == "sqlite":
        for label, rate in [
            ("one move per transaction", result["per_second"]),
            ("batched", result.get("batched", {}).get("per_second", 0)),
        ]:
            verdict = "meets" if rate >= 1000 else "MISSES"
            print(f"  target ≥ 1,000/s on SQLite, {label}: {verdict}")
    _common.write_json(opts.json, {"machine": info, "result": result})
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
