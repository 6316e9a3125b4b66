"""Server time of the contacts list and its search at 100,000 contacts.

Seeds 100,000 contacts with about 1,000,000 stage changes (the demo generator), then
times realistic requests for `/contacts/`: first page, page 50, filters by stage and owner,
search by kanji surname, by kana, by an email fragment and by company name, and combined
filters with a sort. Each request type runs many times with varied values drawn from the
data, and is measured twice:

* page  — the whole request through Django's WSGI handler (middleware, session and user
          lookup, the view, its queries and the template), as gunicorn would run it;
* query — only what the list asks the database: the filter form, `count()` and the page
          of rows (with their account and owner), on an open connection.

    ./renkei bench contact_list                      # SQLite in a temporary file
    ./renkei bench contact_list --db postgres --keep # keep renkei_bench for --reuse
    ./renkei bench contact_list --db all --explain   # also print the query plans

Target: p95 ≤ 150 ms per request type.
"""

from __future__ import annotations

import argparse
import io
import random
import sys
import time
from collections.abc import Callable
from typing import Any

import _common

TARGET_P95_MS = 150.0


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="contact_list.py", description="Server time of /contacts/ at 100,000 contacts."
    )
    _common.add_database_arguments(parser)
    parser.add_argument("--contacts", type=int, default=100_000)
    parser.add_argument("--stage-changes", type=int, default=1_000_000)
    parser.add_argument(
        "--requests", type=int, default=60, help="requests per type (default %(default)s)"
    )
    parser.add_argument(
        "--analyze",
        action="store_true",
        help="run ANALYZE before measuring (PostgreSQL's autovacuum does; SQLite needs it "
        "run explicitly)",
    )
    parser.add_argument(
        "--explain", action="store_true", help="print the query plan of each request type"
    )
    parser.add_argument("--seed", type=int, default=20260401)
    return parser.parse_args(argv)


# --- request types ---------------------------------------------------------------------
def request_types(rng: random.Random) -> dict[str, Callable[[], dict[str, str]]]:
    """Each type returns fresh GET parameters per call, drawn from the seeded data."""
    from django.db.models import Count

    from renkei.contacts.choices import LifecycleStage, SourceChannel
    from renkei.contacts.models import Account, Contact
    from renkei.contacts.normalize import strip_corporate_form
    from renkei.core.choices import Role
    from renkei.core.models import Team, User

    surnames = list(
        Contact.objects.values("family_name")
        .annotate(n=Count("id"))
        .order_by("-n")
        .values_list("family_name", "family_name_kana")[:80]
    )
    sample = list(
        Contact.objects.filter(pk__in=_sample_ids(rng, 400))
        .order_by("pk")
        .values_list("email", flat=True)
    )
    fragments = []
    for email in sample:
        local, _, domain = email.partition("@")
        fragments.append(local if rng.random() < 0.5 else domain.split(".")[0])
    companies = [
        strip_corporate_form(name)
        for name in Account.objects.filter(pk__in=_sample_account_ids(rng, 200))
        .order_by("pk")
        .values_list("name", flat=True)
    ]
    owners = list(
        User.objects.filter(role__in=[Role.INSIDE_SALES, Role.FIELD_SALES]).values_list(
            "pk", flat=True
        )
    )
    field_owners = list(User.objects.filter(role=Role.FIELD_SALES).values_list("pk", flat=True))
    teams = list(Team.objects.values_list("pk", flat=True))
    stages = [s for s in LifecycleStage.values if s != LifecycleStage.SUBSCRIBER]

    def kana() -> str:
        import jaconv

        reading = rng.choice(surnames)[1]
        # People type readings in hiragana as often as in katakana.
        return jaconv.kata2hira(reading) if rng.random() < 0.5 else reading

    combined: list[Callable[[], dict[str, str]]] = [
        lambda: {"stage": "lead", "source": SourceChannel.EXHIBITION, "sort": "kana"},
        lambda: {"q": rng.choice(surnames)[0], "stage": "lead", "sort": "created"},
        lambda: {
            "owner": str(rng.choice(field_owners)),
            "stage": "opportunity",
            "sort": "stage",
        },
        lambda: {"team": str(rng.choice(teams)), "status": "working", "sort": "kana"},
    ]
    return {
        "first page": dict,
        "page 50": lambda: {"page": "50"},
        "stage filter": lambda: {"stage": rng.choice(stages)},
        "owner filter": lambda: {"owner": str(rng.choice(owners))},
        "search kanji surname": lambda: {"q": rng.choice(surnames)[0]},
        "search kana": lambda: {"q": kana()},
        "search email fragment": lambda: {"q": rng.choice(fragments)},
        "search company name": lambda: {"q": rng.choice(companies)},
        "filters + sort": lambda: rng.choice(combined)(),
    }


def _sample_ids(rng: random.Random, k: int) -> list[int]:
    from django.db.models import Max, Min

    from renkei.contacts.models import Contact

    bounds = Contact.objects.aggregate(lo=Min("pk"), hi=Max("pk"))
    return [rng.randint(bounds["lo"], bounds["hi"]) for _ in range(k)]


def _sample_account_ids(rng: random.Random, k: int) -> list[int]:
    from django.db.models import Max, Min

    from renkei.contacts.models import Account

    bounds = Account.objects.aggregate(lo=Min("pk"), hi=Max("pk"))
    return [rng.randint(bounds["lo"], bounds["hi"]) for _ in range(k)]


# --- measuring -------------------------------------------------------------------------
class PageClient:
    """Calls the WSGI application directly with a signed-in session cookie: the full
    server-side request (no test-client instrumentation, no network)."""

    def __init__(self, username: str) -> None:
        from django.core.handlers.wsgi import WSGIHandler
        from django.test import Client

        from renkei.core.models import User

        client = Client()
        client.force_login(User.objects.get(username=username))
        self.cookie = f"sessionid={client.cookies['sessionid'].value}"
        self.handler = WSGIHandler()

    def get(self, path: str, params: dict[str, str]) -> tuple[int, int]:
        from urllib.parse import urlencode

        environ = {
            "REQUEST_METHOD": "GET",
            "PATH_INFO": path,
            "QUERY_STRING": urlencode(params),
            "SCRIPT_NAME": "",
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "80",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "HTTP_HOST": "127.0.0.1",
            "HTTP_COOKIE": self.cookie,
            "HTTP_ACCEPT_LANGUAGE": "ja",
            "wsgi.version": (1, 0),
            "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(b""),
            "wsgi.errors": sys.stderr,
            "wsgi.multithread": False,
            "wsgi.multiprocess": True,
            "wsgi.run_once": False,
        }
        status: list[str] = []

        def start_response(code: str, headers: list[Any], exc_info: Any = None) -> None:
            status.append(code)

        result = self.handler(environ, start_response)
        try:
            size = sum(len(chunk) for chunk in result)
        finally:
            result.close()  # request_finished: closes the connection as in production
        return int(status[0].split()[0]), size


def list_query(params: dict[str, str], user: Any) -> int:
    """What the contacts view asks the database, without the template."""
    from django.conf import settings
    from django.core.paginator import Paginator
    from django.http import QueryDict

    from renkei.contacts.forms import ContactFilterForm
    from renkei.contacts.models import Contact

    query = QueryDict(mutable=True)
    query.update(params)
    form = ContactFilterForm(query or None, user=user)
    contacts = form.apply(Contact.objects.all()).with_related()
    page = Paginator(contacts, settings.CONTACTS_PER_PAGE).get_page(params.get("page"))
    list(page.object_list)
    return page.paginator.count


def explain(params: dict[str, str], user: Any) -> str:
    from django.conf import settings
    from django.http import QueryDict

    from renkei.contacts.forms import ContactFilterForm
    from renkei.contacts.models import Contact

    query = QueryDict(mutable=True)
    query.update(params)
    form = ContactFilterForm(query or None, user=user)
    contacts = form.apply(Contact.objects.all()).with_related()
    offset = (int(params.get("page", "1")) - 1) * settings.CONTACTS_PER_PAGE
    page_plan = contacts[offset : offset + settings.CONTACTS_PER_PAGE].explain()
    count_plan = contacts.select_related(None).order_by().explain()
    return f"    page:  {page_plan.replace(chr(10), chr(10) + '           ')}\n" + (
        f"    count: {count_plan.replace(chr(10), chr(10) + '           ')}"
    )


def _recorder(executed: list[str]) -> Callable[..., Any]:
    """An execute wrapper that notes every SQL statement (the request-started signal
    clears Django's own query log, so CaptureQueriesContext sees nothing here)."""

    def record(execute: Callable[..., Any], sql: str, *args: Any) -> Any:
        executed.append(sql)
        return execute(sql, *args)

    return record


def measure(opts: argparse.Namespace) -> dict[str, Any]:
    from django.db import connection

    from renkei.contacts.models import Contact
    from renkei.core.models import User
    from renkei.demo.seed import has_data, seed
    from renkei.funnel.models import StageChange

    if not (opts.reuse and has_data()):
        started = time.perf_counter()
        print(
            seed(
                contacts=opts.contacts,
                stage_changes=opts.stage_changes,
                random_seed=opts.seed,
            ),
            flush=True,
        )
        print(f"(seeded in {time.perf_counter() - started:.1f} s)", flush=True)
    if opts.analyze or connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    contacts = Contact.objects.count()
    stage_changes = StageChange.objects.count()
    print(f"data: {contacts:,} contacts, {stage_changes:,} stage changes\n", flush=True)

    rng = random.Random(opts.seed)
    types = request_types(rng)
    user = User.objects.get(username="manager")
    client = PageClient("manager")
    results: dict[str, Any] = {}
    _print_header()
    for name, make in types.items():
        # One warm-up request of each type, and its query count.
        params = make()
        executed: list[str] = []
        with connection.execute_wrapper(_recorder(executed)):
            status, _size = client.get("/contacts/", params)
        if status != 200:
            raise RuntimeError(f"{name}: /contacts/?{params} returned {status}")
        page_times: list[float] = []
        query_times: list[float] = []
        matches: list[int] = []
        for _ in range(opts.requests):
            params = make()
            t0 = time.perf_counter()
            status, _size = client.get("/contacts/", params)
            page_times.append(time.perf_counter() - t0)
            # The page request closed its connection (CONN_MAX_AGE=0): open one first, so
            # that the query timing holds only the queries.
            connection.ensure_connection()
            t0 = time.perf_counter()
            matches.append(list_query(params, user))
            query_times.append(time.perf_counter() - t0)
        results[name] = {
            "example": params,
            "queries_per_page": len(executed),
            "median_matches": sorted(matches)[len(matches) // 2],
            "page": _common.summary_ms(page_times),
            "query": _common.summary_ms(query_times),
        }
        _print_row(name, results[name])
        if opts.explain:
            print(explain(params, user), flush=True)
    return {
        "database": _common.database_description(),
        "vendor": connection.vendor,
        "contacts": contacts,
        "stage_changes": stage_changes,
        "analyzed": bool(opts.analyze or connection.vendor == "postgresql"),
        "requests_per_type": opts.requests,
        "types": results,
    }


def _print_header() -> None:
    print(
        f"{'request':<23} {'matches':>8} {'queries':>7}   "
        f"{'page p50':>8} {'p95':>7} {'max':>7}   {'query p50':>9} {'p95':>7} {'max':>7}  (ms)"
    )


def _print_row(name: str, row: dict[str, Any]) -> None:
    page, query = row["page"], row["query"]
    flag = "" if page["p95_ms"] <= TARGET_P95_MS else "  > target"
    print(
        f"{name:<23} {row['median_matches']:>8,} {row['queries_per_page']:>7}   "
        f"{page['p50_ms']:>8.1f} {page['p95_ms']:>7.1f} {page['max_ms']:>7.1f}   "
        f"{query['p50_ms']:>9.1f} {query['p95_ms']:>7.1f} {query['max_ms']:>7.1f}{flag}",
        flush=True,
    )


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
    worst = max(row["page"]["p95_ms"] for row in result["types"].values())
    verdict = "meets" if worst <= TARGET_P95_MS else "MISSES"
    print(f"\nworst page p95: {worst:.1f} ms — target p95 ≤ {TARGET_P95_MS:.0f} ms: {verdict}")
    _common.write_json(opts.json, {"machine": info, "result": result})
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
