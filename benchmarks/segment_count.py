"""Counting a segment's contacts at 100,000 contacts.

Seeds 100,000 contacts with the demo generator (funnel history, personas matched, campaign
members, touches), then times `renkei.marketing.segments.count` — what the segment page's
live count and a send's audience ask — for typical segments: by stage and source, by
company attributes, by persona, by touches of a content asset within 90 days, by campaign
membership, by a search word, and all of these combined. Each runs `--runs` times on an
open connection: p50 / p95 / max and the number of contacts matched.

    ./renkei bench segment_count                      # SQLite in a temporary file
    ./renkei bench segment_count --db postgres
    ./renkei bench segment_count --sqlite-path /tmp/seg.sqlite3 --keep   # seed once…
    ./renkei bench segment_count --sqlite-path /tmp/seg.sqlite3 --reuse  # …measure again

Target: at most 2 s per count (p95).
"""

from __future__ import annotations

import argparse
import sys
import time
from typing import Any

import _common

TARGET_SECONDS = 2.0


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="segment_count.py", description="Segment counts at 100,000 contacts."
    )
    _common.add_database_arguments(parser)
    parser.add_argument("--contacts", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=10, help="counts per segment")
    return parser.parse_args(argv)


def segments() -> dict[str, dict[str, Any]]:
    """Filters of typical segments, with values from the seeded data."""
    from django.db.models import Count

    from renkei.marketing.models import Campaign, ContentAsset, Persona

    persona = Persona.objects.annotate(n=Count("matches")).order_by("-n").first()
    asset = ContentAsset.objects.annotate(n=Count("touches")).order_by("-n").first()
    campaign = Campaign.objects.annotate(n=Count("members")).order_by("-n").first()
    personas = [persona.pk] if persona else []
    content = [asset.pk] if asset else []
    campaigns = [campaign.pk] if campaign else []
    return {
        "stage + source": {"stages": ["lead", "mql"], "sources": ["exhibition", "webinar"]},
        "company industry + size + region": {
            "industries": ["manufacturing", "it"],
            "employee_bands": ["300-999", "1000-4999", "5000+"],
            "regions": ["kanto", "kinki"],
        },
        "persona": {"personas": personas},
        "content touched in 90 days": {"touch_content": content, "touched_within_days": 90},
        "campaign attended": {"campaigns": campaigns, "member_statuses": ["attended"]},
        "search word": {"q": "株式会社"},
        "everything combined": {
            "stages": ["lead", "mql", "sal"],
            "consent": ["opted_in", "unknown"],
            "has_email": True,
            "industries": ["manufacturing", "it", "services"],
            "personas": personas,
            "no_persona": True,
            "touch_types": ["page_view", "download", "form_submit"],
            "touched_within_days": 180,
        },
    }


def measure(opts: argparse.Namespace) -> dict[str, Any]:
    from renkei.contacts.models import Contact
    from renkei.demo.seed import has_data, seed
    from renkei.marketing import segments as segment_services
    from renkei.marketing.models import Touch

    if not (opts.reuse and has_data()):
        started = time.perf_counter()
        print(seed(contacts=opts.contacts), flush=True)
        print(f"(seeded in {time.perf_counter() - started:.1f} s)", flush=True)
    total = Contact.objects.count()
    print(f"{total:,} contacts, {Touch.objects.count():,} touches\n", flush=True)
    results = {}
    for name, data in segments().items():
        filters = segment_services.parse_filters(data)
        times = []
        matched = 0
        for _ in range(opts.runs):
            started = time.perf_counter()
            matched = segment_services.count(filters)
            times.append(time.perf_counter() - started)
        summary = _common.summary_ms(times)
        results[name] = {"matched": matched, **summary}
        print(
            f"{name:<34} {matched:>8,} contacts  p50 {summary['p50_ms']:>7.1f} ms  "
            f"p95 {summary['p95_ms']:>7.1f} ms  max {summary['max_ms']:>7.1f} ms",
            flush=True,
        )
    worst = max(r["p95_ms"] for r in results.values()) / 1000
    verdict = "meets" if worst <= TARGET_SECONDS else "MISSES"
    print(f"\nslowest p95 {worst:.2f} s; target ≤ {TARGET_SECONDS:.0f} s: {verdict}")
    return {"database": _common.database_description(), "contacts": total, "segments": results}


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
    _common.write_json(opts.json, {"machine": info, "result": result})
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
