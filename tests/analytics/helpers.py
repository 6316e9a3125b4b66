"""Histories built through the funnel at chosen times."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import time_machine

from renkei.contacts.models import Contact
from renkei.funnel import services as funnel
from tests.factories import make_contact

JST = ZoneInfo("Asia/Tokyo")


def lead(at: dt.datetime, **values) -> Contact:
    with time_machine.travel(at, tick=False):
        return make_contact(**values)


def move(contact: Contact, stage: str, at: dt.datetime, who, reason: str = "") -> None:
    funnel.change_stage(contact, to_stage=stage, actor=who, at=at, reason=reason)
