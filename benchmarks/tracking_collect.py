"""Tracking events per second through the batch endpoint POST /t/collect, and the server
time of form submissions (POST /f/<slug>/submit).

Posts batches of page views (50 events, about 20 KB, like renkei.js sends when a visitor
reads many pages or a site flushes on unload) through Django's full WSGI handler (every
middleware, the view, validation and the bulk INSERT) in one process, for a few hundred
visitors, and reports events per second and the latency of each request.

    ./renkei bench tracking_collect                  # SQLite in a temporary file
    ./renkei bench tracking_collect --db postgres    # scratch database renkei_bench
    ./renkei bench tracking_collect --db all

Then submits a lead form (new people, and people already known by email, half each) and
reports the latency of each submission: validation, storage, matching through the dedup
engine, the contact, touch and consent writes.

Targets: at least 2,000 events/s on one web process; form submission p95 at most 100 ms.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from typing import Any

import _common

TARGET_PER_SECOND = 2000.0
TARGET_FORM_P95_MS = 100.0
SITE = "https://www.example.co.jp"
USER_AGENT = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0 Safari/537.36"
)


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="tracking_collect.py", description="Events per second through POST /t/collect."
    )
    _common.add_database_arguments(parser)
    parser.add_argument("--batches", type=int, default=400, help="default %(default)s")
    parser.add_argument("--batch-size", type=int, default=50, help="default %(default)s")
    parser.add_argument("--visitors", type=int, default=200, help="default %(default)s")
    parser.add_argument("--submissions", type=int, default=200, help="default %(default)s")
    parser.add_argument("--seed", type=int, default=20260401)
    return parser.parse_args(argv)


def _batch(rng: random.Random, visitor: str, size: int) -> str:
    events = []
    for _ in range(size):
        n = rng.randrange(500)
        events.append(
            {
                "type": "page_view",
                "url": f"{SITE}/products/{n}?utm_source=google&utm_campaign=spring",
                "title": f"製品紹介 {n} | 株式会社サンプル",
                "referrer": "https://www.google.com/",
                "utm_source": "google",
                "utm_medium": "cpc",
                "utm_campaign": "spring",
                "ts": 1_780_000_000_000 + n,
            }
        )
    return json.dumps({"visitor": visitor, "events": events}, ensure_ascii=False)


def measure(opts: argparse.Namespace) -> dict[str, Any]:
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client

    from renkei.marketing.models import Touch, TrackingSettings
    from renkei.marketing.views import tracking as tracking_views

    config = TrackingSettings.load()
    config.allowed_origins = SITE
    config.save()
    tracking_views.COLLECT_LIMIT_PER_MINUTE = 10**9  # one IP sends everything here
    cache.clear()
    rng = random.Random(opts.seed)
    visitors = [f"{rng.getrandbits(128):032x}" for _ in range(opts.visitors)]
    bodies = [
        _batch(rng, visitors[i % len(visitors)], opts.batch_size) for i in range(opts.batches)
    ]
    client = Client(headers={"Origin": SITE, "User-Agent": USER_AGENT})
    for body in bodies[:5]:  # warm up
        client.post("/t/collect", data=body, content_type="text/plain")
    Touch.objects.all().delete()
    latencies: list[float] = []
    started = time.perf_counter()
    for body in bodies:
        t0 = time.perf_counter()
        response = client.post("/t/collect", data=body, content_type="text/plain")
        latencies.append(time.perf_counter() - t0)
        if response.status_code != 202:
            raise SystemExit(f"unexpected {response.status_code}: {response.content[:200]!r}")
    elapsed = time.perf_counter() - started
    written = Touch.objects.count()
    events = opts.batches * opts.batch_size
    if written != events:
        raise SystemExit(f"wrote {written} touches for {events} events")
    forms = measure_forms(opts, client)
    return {
        "forms": forms,
        "vendor": connection.vendor,
        "batches": opts.batches,
        "batch_size": opts.batch_size,
        "events": events,
        "seconds": round(elapsed, 3),
        "per_second": round(events / elapsed, 1),
        "latency": _common.summary_ms(latencies),
    }


def measure_forms(opts: argparse.Namespace, client: Any) -> dict[str, Any]:
    from renkei.contacts.models import Contact
    from renkei.core.models import User
    from renkei.marketing import services
    from renkei.marketing.choices import SubmissionStatus
    from renkei.marketing.models import FormSubmission
    from renkei.marketing.views import forms as form_views

    form_views.SUBMIT_LIMIT = 10**9
    actor = User.objects.create_user(username="bench-marketer", role="marketing")
    fields = [
        {"key": "company", "mapping": "company", "label_ja": "会社名", "required": True},
        {"key": "family_name", "mapping": "family_name", "label_ja": "姓", "required": True},
        {"key": "given_name", "mapping": "given_name", "label_ja": "名"},
        {"key": "email", "mapping": "email", "label_ja": "メール", "required": True},
        {"key": "phone", "mapping": "phone", "label_ja": "電話番号"},
    ]
    form = services.save_form(
        None, actor=actor, fields=fields, name="Bench", slug="bench", allowed_origins=SITE,
        consent_ja="配信に同意します。",
    )  # fmt: skip
    latencies: list[float] = []
    for n in range(opts.submissions):
        person = n // 2  # every person submits twice: once new, once known
        data = {
            "company": f"株式会社ベンチ{person % 50}",
            "family_name": "山田",
            "given_name": f"太郎{person}",
            "email": f"taro{person}@bench{person % 50}.co.jp",
            "phone": f"03-1234-{person % 10000:04d}",
            "rk_consent": "1",
            "rk_vid": f"{person:032x}",
        }
        t0 = time.perf_counter()
        response = client.post(
            f"/f/{form.slug}/submit", data=data, headers={"Accept": "application/json"}
        )
        latencies.append(time.perf_counter() - t0)
        if response.status_code != 200:
            raise SystemExit(f"form: unexpected {response.status_code}: {response.content[:200]!r}")
    processed = FormSubmission.objects.filter(status=SubmissionStatus.PROCESSED).count()
    if processed != opts.submissions:
        raise SystemExit(f"{processed} of {opts.submissions} submissions processed")
    return {
        "submissions": opts.submissions,
        "contacts": Contact.objects.count(),
        "latency": _common.summary_ms(latencies),
    }


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
    print(
        f"collect: {result['per_second']:,.0f} events/s "
        f"({result['events']:,} events in {result['batches']:,} batches of "
        f"{result['batch_size']}, one process)"
    )
    print(
        f"  per batch: p50 {lat['p50_ms']:.2f} ms, p95 {lat['p95_ms']:.2f} ms, "
        f"max {lat['max_ms']:.2f} ms"
    )
    verdict = "meets" if result["per_second"] >= TARGET_PER_SECOND else "MISSES"
    print(f"  target ≥ {TARGET_PER_SECOND:,.0f} events/s: {verdict}")
    forms = result["forms"]
    lat = forms["latency"]
    print(
        f"form submit: p50 {lat['p50_ms']:.2f} ms, p95 {lat['p95_ms']:.2f} ms, "
        f"max {lat['max_ms']:.2f} ms ({forms['submissions']:,} submissions, "
        f"{forms['contacts']:,} contacts)"
    )
    verdict = "meets" if lat["p95_ms"] <= TARGET_FORM_P95_MS else "MISSES"
    print(f"  target p95 ≤ {TARGET_FORM_P95_MS:.0f} ms: {verdict}")
    _common.write_json(opts.json, {"machine": info, "result": result})
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
