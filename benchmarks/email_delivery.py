"""Personalized marketing email: rendered, queued and delivered to a local SMTP sink.

Seeds N opted-in contacts (each with a consent record), a complete sender identity and a
template with tokens in the subject and body, then times one send to all of them through the
real path: `create_send` → `run_delivery` (prepare: the audience query, the consent and
suppression checks, one message row per recipient; deliver: claim each message with a
conditional UPDATE, re-check it, render it for the contact, hand it to Django's SMTP backend)
→ an aiosmtpd server on loopback in the same process, which counts what it receives.

    ./renkei bench email_delivery                    # SQLite in a temporary file
    ./renkei bench email_delivery --db postgres      # scratch database renkei_bench
    ./renkei bench email_delivery --contacts 2000

Target: 10,000 personalized emails in at most 120 s (EMAIL_SEND_RATE=0: no throttling).
"""

from __future__ import annotations

import argparse
import socket
import sys
import threading
import time
from typing import Any

import _common

TARGET_SECONDS = 120.0


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="email_delivery.py", description="Personalized emails delivered to an SMTP sink."
    )
    _common.add_database_arguments(parser)
    parser.add_argument("--contacts", type=int, default=10_000, help="default %(default)s")
    return parser.parse_args(argv)


class Sink:
    """Counts the messages and recipients an SMTP server receives."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.messages = 0
        self.recipients: set[str] = set()
        self.personalized = 0

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        with self.lock:
            self.messages += 1
            self.recipients.update(envelope.rcpt_tos)
            if b"=E6=A7=98" in envelope.content or "様".encode() in envelope.content:
                self.personalized += 1
        return "250 OK"


def seed(count: int) -> None:
    from django.utils import timezone

    from renkei.contacts.choices import ConsentStatus, LifecycleStage, SourceChannel
    from renkei.contacts.models import Contact
    from renkei.marketing.models import ConsentRecord, ConsentText

    now = timezone.now()
    text = ConsentText.objects.create(version=1, text_ja="配信に同意します。", created_at=now)
    families = ["佐藤", "鈴木", "高橋", "田中", "伊藤", "渡辺", "山本", "中村", "小林", "加藤"]
    contacts = [
        Contact(
            family_name=families[n % len(families)],
            given_name=f"太郎{n}",
            email=f"taro{n}@bench{n % 97}.example.jp",
            consent_status=ConsentStatus.OPTED_IN,
            lifecycle_stage=LifecycleStage.LEAD,
            source_channel=SourceChannel.WEBSITE,
            created_at=now,
        )
        for n in range(count)
    ]
    Contact.objects.bulk_create(contacts, batch_size=1000)
    records = [
        ConsentRecord(contact_id=pk, consent_text=text, given=True, at=now)
        for pk in Contact.objects.values_list("pk", flat=True)
    ]
    ConsentRecord.objects.bulk_create(records, batch_size=1000)


def measure(opts: argparse.Namespace) -> dict[str, Any]:
    from aiosmtpd.controller import Controller
    from django.conf import settings
    from django.db import connection

    from renkei.core.models import User
    from renkei.nurture import services
    from renkei.nurture.audience import ContactFilterAudience
    from renkei.nurture.choices import MessageStatus
    from renkei.nurture.models import Message

    sink = Sink()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 10},
        }
    }
    settings.NURTURE_SEND_RATE = 0
    try:
        seed(opts.contacts)
        actor = User.objects.create_user(username="bench-marketer", role="marketing")
        services.save_sender_identity(
            actor=actor, sender_name="株式会社ベンチ", from_email="news@bench.example.jp",
            postal_address="東京都千代田区丸の内1-1-1", contact_point="03-1234-5678",
        )  # fmt: skip
        template = services.save_template(
            None, actor=actor, name="Bench",
            subject_ja="{{ family_name | ご担当者 }}様、新製品のご案内",
            html_ja="<p>{{ company | 貴社 }} {{ full_name | ご担当者 }}様</p>"
            '<p>詳しくは<a href="https://www.example.co.jp/new">こちら</a>をご覧ください。</p>',
        )  # fmt: skip
        started = time.perf_counter()
        send = services.create_send(
            actor=actor, name="Bench", template=template,
            audience=ContactFilterAudience({}, actor),
        )  # fmt: skip
        prepared_at = None
        services.prepare_send(send.pk)
        prepared_at = time.perf_counter()
        services.run_delivery()
        deadline = time.perf_counter() + 30
        while sink.messages < opts.contacts and time.perf_counter() < deadline:
            time.sleep(0.05)
        elapsed = time.perf_counter() - started
        sent = Message.objects.filter(send=send, status=MessageStatus.SENT).count()
    finally:
        controller.stop()
    if sink.messages != opts.contacts or len(sink.recipients) != opts.contacts:
        raise SystemExit(f"sink received {sink.messages} messages for {opts.contacts} contacts")
    return {
        "vendor": connection.vendor,
        "contacts": opts.contacts,
        "received": sink.messages,
        "personalized": sink.personalized,
        "sent_rows": sent,
        "prepare_seconds": round(prepared_at - started, 3),
        "seconds": round(elapsed, 3),
        "per_second": round(opts.contacts / elapsed, 1),
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
    print(
        f"email: {result['contacts']:,} personalized emails in {result['seconds']:.1f} s "
        f"({result['per_second']:,.0f}/s, one worker; preparing the send "
        f"{result['prepare_seconds']:.1f} s); the sink received {result['received']:,}"
    )
    verdict = (
        "meets" if result["seconds"] <= TARGET_SECONDS * result["contacts"] / 10_000 else "MISSES"
    )
    print(f"  target ≤ {TARGET_SECONDS:.0f} s for 10,000: {verdict}")
    _common.write_json(opts.json, {"machine": info, "result": result})
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
