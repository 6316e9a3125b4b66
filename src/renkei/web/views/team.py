"""The team overview for managers: who owns how many contacts in each stage."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Count, F
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from renkei.contacts.choices import LifecycleStage
from renkei.contacts.models import Contact
from renkei.core.choices import Role
from renkei.core.models import User
from renkei.core.permissions import role_required


@role_required(Role.MANAGER)
def team(request: HttpRequest) -> HttpResponse:
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    for row in (
        Contact.objects.filter(owner__isnull=False)
        .order_by()
        .values("owner_id", "lifecycle_stage")
        .annotate(n=Count("id"))
    ):
        counts[row["owner_id"]][row["lifecycle_stage"]] = row["n"]
    users = (
        User.objects.filter(is_active=True)
        .select_related("team")
        .order_by(F("team__name").asc(nulls_last=True), "last_name", "first_name", "username")
    )
    rows = [
        {
            "user": user,
            "cells": [counts[user.pk].get(stage, 0) for stage in LifecycleStage.values],
            "total": sum(counts[user.pk].values()),
        }
        for user in users
    ]
    return render(
        request,
        "web/team.html",
        {"rows": rows, "stages": LifecycleStage.choices},
    )
