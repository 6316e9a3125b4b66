"""`renkei privacy {export,erase,overdue}`: privacy requests from the command line.

    ./renkei privacy export 12 disclosure.zip --actor admin [--format csv]
    ./renkei privacy erase 12 --actor admin [--json]
    ./renkei privacy overdue [--json]

`export` and `erase` act as the named admin (recorded in the request's history and the
audit log) and follow the same rules as the page: erasure needs an erasure request with a
verified identity and linked contacts.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from renkei.core.choices import Role
from renkei.core.models import User
from renkei.privacy import services
from renkei.privacy.models import DataSubjectRequest


class Command(BaseCommand):
    help = "Privacy requests: export a disclosure, erase, list overdue requests."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="{export,erase,overdue}")
        export = sub.add_parser("export", help="write the disclosure of a request to FILE")
        export.add_argument("request", type=int, help="the request number")
        export.add_argument("file", help="where to write it (.json, or .zip of CSV files)")
        export.add_argument("--actor", required=True, help="the admin's username")
        export.add_argument("--format", choices=["json", "csv"], default=None,
                            help="default: from the file name (.zip → csv)")  # fmt: skip
        erase = sub.add_parser("erase", help="erase the contacts linked to an erasure request")
        erase.add_argument("request", type=int, help="the request number")
        erase.add_argument("--actor", required=True, help="the admin's username")
        erase.add_argument("--json", action="store_true", help="print the summary as JSON")
        overdue = sub.add_parser("overdue", help="list open requests past their due date")
        overdue.add_argument("--json", action="store_true", help="print a JSON list")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "overdue":
            self.overdue(as_json=options["json"])
            return
        actor = self._admin(options["actor"])
        request = DataSubjectRequest.objects.filter(pk=options["request"]).first()
        if request is None:
            raise CommandError(f"no privacy request #{options['request']}", returncode=2)
        try:
            if action == "export":
                path = Path(options["file"])
                fmt = options["format"] or ("csv" if path.suffix == ".zip" else "json")
                content, _name = services.export_disclosure(request, actor=actor, fmt=fmt)
                path.write_bytes(content)
                self.stdout.write(f"wrote {path} ({len(content)} bytes)")
            else:
                summary = services.erase_request(request, actor=actor)
                if options["json"]:
                    self.stdout.write(json.dumps({"request": request.pk, "contacts": summary}))
                else:
                    self.stdout.write(f"erased {len(summary)} contacts of request #{request.pk}")
        except services.PrivacyError as exc:
            raise CommandError(exc.message, returncode=1) from None

    def _admin(self, username: str) -> User:
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None or not user.has_role(Role.ADMIN):
            raise CommandError(f"{username}: not an active admin", returncode=2)
        return user

    def overdue(self, *, as_json: bool) -> None:
        services.flag_overdue_requests()
        rows = [
            {"id": r.pk, "kind": r.kind, "due_on": r.due_on.isoformat(), "status": r.status}
            for r in DataSubjectRequest.objects.overdue(services.today()).order_by("due_on")
        ]
        if as_json:
            self.stdout.write(json.dumps(rows))
            return
        for row in rows:
            self.stdout.write(f"#{row['id']}\t{row['kind']}\tdue {row['due_on']}\t{row['status']}")
        if not rows:
            self.stdout.write("no overdue requests")
