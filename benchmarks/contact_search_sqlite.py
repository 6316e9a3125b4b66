"""Why contact search is slow on SQLite at 100,000 contacts, and what would fix it.

Works on a copy of a seeded SQLite database (it never changes the original): for search
words drawn from the data it times what the contacts list asks (count + first page of 50,
newest first, with account and owner) under several strategies, and prints SQLite's query
plan for the current one:

  current          `search_text LIKE '%word%'` on the contacts table (ContactQuerySet.search)
  analyzed         the same after ANALYZE
  in-subquery      `id IN (SELECT id … LIKE …)`: SQLite filters first and sorts the matches
                   instead of walking the updated_at index past every row
  +index           an index on search_text (a narrower scan than the table), current query
  +index in-subq   the index with the in-subquery shape
  fts5 trigram     an FTS5 trigram index over search_text for words of 3+ characters;
                   shorter words keep the current LIKE (with the index)

    ./renkei seed --contacts 100000 --stage-changes 1000000   # or contact_list.py --keep
    ./renkei bench contact_search_sqlite --sqlite-path data/renkei.sqlite3
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import _common

_GLOB_SPECIAL = re.compile(r"[*?\[\]]")

# (name, statements run on the copy first, query shape); the changes add up in this order.
STRATEGIES: list[tuple[str, list[str], str]] = [
    ("current", [], "current"),
    ("analyzed", ["ANALYZE"], "current"),
    ("in-subquery", [], "in-subquery"),
    (
        "+index",
        ["CREATE INDEX contact_search_text ON contacts_contact (search_text)", "ANALYZE"],
        "current",
    ),
    ("+index in-subq", [], "in-subquery"),
    (
        "fts5 trigram",
        [
            "CREATE VIRTUAL TABLE contact_fts USING fts5(search_text, "
            "content='contacts_contact', content_rowid='id', tokenize='trigram')",
            "INSERT INTO contact_fts (contact_fts) VALUES ('rebuild')",
        ],
        "fts",
    ),
]


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="contact_search_sqlite.py",
        description="Contact search strategies on a copy of a seeded SQLite database.",
    )
    parser.add_argument("--sqlite-path", required=True, help="a seeded SQLite database")
    parser.add_argument("--words", type=int, default=30, help="words per kind (default 30)")
    parser.add_argument("--seed", type=int, default=20260401)
    parser.add_argument("--json", default="", help="also write the results to this JSON file")
    return parser.parse_args(argv)


def word_pools(rng: random.Random) -> dict[str, list[str]]:
    from django.db.models import Count, Max, Min

    from renkei.contacts.models import Account, Contact
    from renkei.contacts.normalize import strip_corporate_form

    surnames = list(
        Contact.objects.values("family_name")
        .annotate(n=Count("id"))
        .order_by("-n")
        .values_list("family_name", "family_name_kana")[:60]
    )
    bounds = Contact.objects.aggregate(lo=Min("pk"), hi=Max("pk"))
    ids = [rng.randint(bounds["lo"], bounds["hi"]) for _ in range(200)]
    emails = list(Contact.objects.filter(pk__in=ids).order_by("pk").values_list("email", flat=True))
    names = list(Account.objects.order_by("pk").values_list("name", flat=True)[:500])
    return {
        "kanji surname": [s for s, _k in surnames],
        "kana": [k for _s, k in surnames],
        "email fragment": [e.partition("@")[0] for e in emails],
        "company name": [strip_corporate_form(n) for n in names],
    }


def shapes() -> dict[str, Callable[[str], Any]]:
    """Query shapes by name: each filters contacts by every word of the search, like
    ContactQuerySet.search does."""
    from django.db.models.expressions import RawSQL

    from renkei.contacts.models import Contact
    from renkei.contacts.normalize import search_key

    def current(query: str) -> Any:
        return Contact.objects.search(query)

    def in_subquery(query: str) -> Any:
        qs = Contact.objects.all()
        for word in search_key(query).split():
            matching = Contact.objects.filter(search_text__contains=word).values("pk")
            qs = qs.filter(pk__in=matching)
        return qs

    def fts(query: str) -> Any:
        qs = Contact.objects.all()
        for word in search_key(query).split():
            if len(word) < 3:
                # A trigram index cannot look up one or two characters.
                qs = qs.filter(search_text__contains=word)
                continue
            pattern = "*" + _GLOB_SPECIAL.sub(r"[\g<0>]", word) + "*"
            ids = RawSQL("SELECT rowid FROM contact_fts WHERE search_text GLOB %s", [pattern])
            qs = qs.filter(pk__in=ids)
        return qs

    return {"current": current, "in-subquery": in_subquery, "fts": fts}


def prepare(statements: list[str]) -> float:
    """Change the copy; returns the seconds it took."""
    from django.db import connection

    started = time.perf_counter()
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
    return time.perf_counter() - started


def time_list(qs: Any) -> tuple[float, int]:
    started = time.perf_counter()
    qs = qs.with_related().sorted_by("updated")
    count = qs.count()
    list(qs[:50])
    return time.perf_counter() - started, count


def main(argv: list[str]) -> int:
    opts = parse_args(argv)
    source = Path(opts.sqlite_path).resolve()
    if not source.exists():
        raise SystemExit(f"no database at {source}")
    info = _common.machine_info()
    _common.print_machine(info)
    folder = Path(tempfile.mkdtemp(prefix="renkei-search-"))
    copy = folder / "copy.sqlite3"
    try:
        src = sqlite3.connect(source)
        dst = sqlite3.connect(copy)
        src.backup(dst)
        src.close()
        dst.close()
        _common.setup_django(f"sqlite:///{copy}")
        print(f"database: copy of {source}\n")
        rng = random.Random(opts.seed)
        pools = word_pools(rng)
        words = {kind: rng.sample(pool, min(opts.words, len(pool))) for kind, pool in pools.items()}
        _explain(words)
        results = _compare(words)
    finally:
        from django.db import connections

        connections.close_all()
        shutil.rmtree(folder, ignore_errors=True)
    _common.write_json(opts.json, {"machine": info, "result": results})
    return 0


def _explain(words: dict[str, list[str]]) -> None:
    from renkei.contacts.models import Contact

    word = words["company name"][0]
    qs = Contact.objects.search(word).with_related().sorted_by("updated")
    print(f"query plan today (search {word!r}, newest first):")
    print("  page:  " + qs[:50].explain().replace("\n", "\n         "))
    print("  count: " + qs.select_related(None).order_by().explain().replace("\n", "\n         "))
    print()


def _compare(words: dict[str, list[str]]) -> dict[str, Any]:
    makers = shapes()
    expected: dict[str, int] = {}
    results: dict[str, Any] = {}
    header = f"{'strategy':<14} {'setup':>7}  " + "  ".join(f"{k:>22}" for k in words)
    print("count + first page of 50, p50 / p95 in ms per kind of search word")
    print(header)
    for strategy, statements, shape in STRATEGIES:
        setup = prepare(statements)
        row: dict[str, Any] = {"setup_s": round(setup, 2)}
        cells = []
        differ = 0
        for kind, pool in words.items():
            times = []
            for word in pool:
                seconds, count = time_list(makers[shape](word))
                times.append(seconds)
                differ += expected.setdefault(word, count) != count
            stats = _common.summary_ms(times)
            row[kind] = stats
            cells.append(f"{stats['p50_ms']:>10.1f} / {stats['p95_ms']:>7.1f}")
        row["different_counts"] = differ
        results[strategy] = row
        note = f"  ({differ} words found a different number of contacts!)" if differ else ""
        line = f"{strategy:<14} {setup:>6.1f}s  " + "  ".join(f"{c:>22}" for c in cells)
        print(line + note, flush=True)
    return results


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
