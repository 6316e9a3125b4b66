"""Small helpers that set up state through the real services."""

from __future__ import annotations

import itertools
from typing import Any

from renkei.contacts import services as contact_services
from renkei.contacts.models import Account, Contact
from renkei.core.choices import Role
from renkei.core.models import Team, User
from renkei.funnel import services as funnel

_seq = itertools.count(1)


def make_user(role: str = Role.MARKETING, *, username: str | None = None, **extra: Any) -> User:
    n = next(_seq)
    username = username or f"{role}{n}"
    user = User.objects.create_user(
        username=username,
        password="correct-horse-battery",
        email=f"{username}@example.co.jp",
        role=role,
        last_name=extra.pop("last_name", "山田"),
        first_name=extra.pop("first_name", f"太郎{n}"),
        **extra,
    )
    if role == Role.ADMIN:
        user.is_staff = True
        user.is_superuser = True
        user.save(update_fields=["is_staff", "is_superuser"])
    return user


def make_team(name: str = "インサイドセールス", function: str = "inside_sales") -> Team:
    return Team.objects.create(name=name, function=function)


def make_account(*, actor: User | None = None, **values: Any) -> Account:
    values.setdefault("name", f"株式会社テスト商事{next(_seq)}")
    return contact_services.create_account(actor=actor, **values)


def make_contact(*, actor: User | funnel.Actor | None = None, **values: Any) -> Contact:
    n = next(_seq)
    values.setdefault("family_name", "佐藤")
    values.setdefault("given_name", f"花子{n}")
    values.setdefault("family_name_kana", "サトウ")
    values.setdefault("given_name_kana", "ハナコ")
    values.setdefault("email", f"hanako{n}@example.co.jp")
    return funnel.add_contact(actor=actor or funnel.Actor.system("test"), **values)
