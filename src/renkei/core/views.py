"""The organisation's settings page (admins): name, time zone, fiscal year, business hours,
working weekdays, holidays and closed days, with a preview of the coming year."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from renkei.core.calendar import BusinessCalendar, fiscal_year, fiscal_year_bounds, public_holidays
from renkei.core.choices import Role
from renkei.core.forms import ClosedDayForm, OrganisationForm
from renkei.core.models import ClosedDay, Organisation
from renkei.core.permissions import role_required
from renkei.core.services import add_closed_day, remove_closed_day, update_organisation

REASON_LABELS = {
    "public_holiday": gettext_lazy("Public holiday"),
    "year_end": gettext_lazy("Year-end holidays"),
    "closed_day": gettext_lazy("Closed day"),
}


def upcoming_closed_days(calendar: BusinessCalendar, start: dt.date, days: int = 365) -> list[dict]:
    """Closed days other than regular weekends from `start`, with their names."""
    names = {d.date: d.name for d in ClosedDay.objects.filter(date__gte=start)}
    rows = []
    for offset in range(days):
        day = start + dt.timedelta(days=offset)
        reason = calendar.closed_reason(day)
        if reason is None or reason == "weekend":
            continue
        if reason == "closed_day":
            name = names.get(day, "")
        else:
            name = public_holidays(day.year).get(day, "")
        rows.append({"date": day, "reason": REASON_LABELS[reason], "name": name})
    return rows


def _page(
    request: HttpRequest,
    form: OrganisationForm,
    day_form: ClosedDayForm,
    status: int = 200,
) -> HttpResponse:
    org = Organisation.current()
    calendar = BusinessCalendar.for_organisation(org)
    now = timezone.now()
    today = now.astimezone(calendar.tz).date()
    year = fiscal_year(today, org.fiscal_year_start_month)
    context = {
        "form": form,
        "day_form": day_form,
        "closed_days": ClosedDay.objects.filter(date__gte=today - dt.timedelta(days=30)),
        "preview": upcoming_closed_days(calendar, today),
        "fiscal_year": year,
        "fiscal_year_bounds": fiscal_year_bounds(year, org.fiscal_year_start_month),
        "now": now,
        "due_in_one_hour": calendar.add_business_hours(now, 1),
        "due_in_one_day": calendar.add_business_days(now, 1),
        "time_zone": org.time_zone,
    }
    return render(request, "core/organisation.html", context, status=status)


@role_required(Role.ADMIN)
def organisation_settings(request: HttpRequest) -> HttpResponse:
    org = Organisation.current()
    if request.method == "POST":
        form = OrganisationForm(request.POST, instance=Organisation.current())
        if form.is_valid():
            try:
                update_organisation(
                    actor=request.user,
                    **{name: form.cleaned_data[name] for name in form.Meta.fields},
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Settings saved."))
                return redirect("core:settings")
        return _page(request, form, ClosedDayForm(), status=422)
    return _page(request, OrganisationForm(instance=org), ClosedDayForm())


@role_required(Role.ADMIN)
@require_POST
def closed_day_add(request: HttpRequest) -> HttpResponse:
    day_form = ClosedDayForm(request.POST)
    if day_form.is_valid():
        add_closed_day(
            actor=request.user,
            date=day_form.cleaned_data["date"],
            name=day_form.cleaned_data["name"],
        )
        messages.success(request, _("Closed day added."))
        return redirect("core:settings")
    return _page(request, OrganisationForm(instance=Organisation.current()), day_form, status=422)


@role_required(Role.ADMIN)
@require_POST
def closed_day_remove(request: HttpRequest, pk: int) -> HttpResponse:
    day = get_object_or_404(ClosedDay, pk=pk)
    remove_closed_day(day, actor=request.user)
    messages.success(request, _("Closed day removed."))
    return redirect("core:settings")
