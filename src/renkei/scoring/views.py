"""Rule-set pages: the versions, a version with its rules (a draft is edited here: its
settings, adding and removing rules), activation, and rescoring on demand."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from renkei.core.permissions import ALL_ROLES, role_required
from renkei.scoring import rules as rule_logic
from renkei.scoring import services
from renkei.scoring.choices import RuleKind
from renkei.scoring.forms import EngagementRuleForm, FitRuleForm, RuleSetForm
from renkei.scoring.models import Rule, RuleSet, ScoreRun
from renkei.scoring.services import ACTIVATE_ROLES, EDIT_ROLES, ScoringError
from renkei.scoring.tasks import rescore_all_contacts


@role_required(*ALL_ROLES)
@require_GET
def rule_set_list(request: HttpRequest) -> HttpResponse:
    rule_sets = RuleSet.objects.select_related("created_by", "activated_by").annotate(
        rule_count=Count("rules")
    )
    last_run = ScoreRun.objects.filter(all_contacts=True, finished_at__isnull=False).first()
    return render(
        request,
        "scoring/rule_set_list.html",
        {
            "rule_sets": rule_sets,
            "last_run": last_run,
            "can_edit": services.can_edit(request.user),
            "can_activate": services.can_activate(request.user),
        },
    )


def _detail(
    request: HttpRequest,
    rule_set: RuleSet,
    *,
    settings_form: RuleSetForm | None = None,
    fit_form: FitRuleForm | None = None,
    engagement_form: EngagementRuleForm | None = None,
    status: int = 200,
) -> HttpResponse:
    rules = list(rule_set.rules.all())
    can_edit = rule_set.is_draft and services.can_edit(request.user)
    described = [(rule, rule_logic.describe(rule)) for rule in rules]
    context: dict[str, Any] = {
        "rule_set": rule_set,
        "fit_rules": [(r, d) for r, d in described if r.kind == RuleKind.FIT],
        "engagement_rules": [(r, d) for r, d in described if r.kind == RuleKind.ENGAGEMENT],
        "can_edit": can_edit,
        "can_draft": services.can_edit(request.user),
        "can_activate": rule_set.is_draft and services.can_activate(request.user),
    }
    if can_edit:
        context["settings_form"] = settings_form or RuleSetForm(
            initial={
                "name": rule_set.name,
                "half_life_days": rule_set.half_life_days,
                "fit_cap": rule_set.fit_cap,
                "engagement_cap": rule_set.engagement_cap,
                "notes": rule_set.notes,
            }
        )
        context["fit_form"] = fit_form or FitRuleForm(prefix="fit")
        context["engagement_form"] = engagement_form or EngagementRuleForm(prefix="eng")
    return render(request, "scoring/rule_set_detail.html", context, status=status)


def _add_errors(form: Any, exc: ValidationError, mapping: dict[str, str] | None = None) -> None:
    mapping = mapping or {}
    for field, errors in exc.message_dict.items():
        name = mapping.get(field, field)
        form.add_error(name if name in form.fields else None, errors)


@role_required(*ALL_ROLES)
@require_GET
def rule_set_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, get_object_or_404(RuleSet, pk=pk))


@role_required(*EDIT_ROLES)
@require_POST
def rule_set_new(request: HttpRequest) -> HttpResponse:
    source = None
    if request.POST.get("copy_from", "").isdigit():
        source = get_object_or_404(RuleSet, pk=int(request.POST["copy_from"]))
    rule_set = services.create_draft(actor=request.user, copy_from=source)  # type: ignore[arg-type]
    messages.success(
        request, _("Draft version %(version)s was created.") % {"version": rule_set.version}
    )
    return redirect("scoring:rule_set_detail", pk=rule_set.pk)


def _scoring_error(request: HttpRequest, rule_set: RuleSet, exc: ScoringError) -> HttpResponse:
    messages.error(request, exc.message)
    return redirect("scoring:rule_set_detail", pk=rule_set.pk)


@role_required(*EDIT_ROLES)
@require_POST
def rule_set_settings(request: HttpRequest, pk: int) -> HttpResponse:
    rule_set = get_object_or_404(RuleSet, pk=pk)
    form = RuleSetForm(request.POST)
    if form.is_valid():
        try:
            services.update_draft(rule_set, actor=request.user, **form.cleaned_data)  # type: ignore[arg-type]
        except ScoringError as exc:
            return _scoring_error(request, rule_set, exc)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("The settings were saved."))
            return redirect("scoring:rule_set_detail", pk=rule_set.pk)
    return _detail(request, rule_set, settings_form=form, status=422)


@role_required(*EDIT_ROLES)
@require_POST
def rule_add(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    rule_set = get_object_or_404(RuleSet, pk=pk)
    if kind not in RuleKind.values:
        raise Http404
    if kind == RuleKind.FIT:
        form: Any = FitRuleForm(request.POST, prefix="fit")
        mapping = {"values": "options"}
    else:
        form = EngagementRuleForm(request.POST, prefix="eng")
        mapping = {"values": "names"}
    if form.is_valid():
        values = form.rule_values()
        if kind == RuleKind.FIT and values["field"] in ("department", "title", "competitor_domain"):
            mapping = {"values": "words"}
        try:
            services.add_rule(rule_set, actor=request.user, **values)  # type: ignore[arg-type]
        except ScoringError as exc:
            return _scoring_error(request, rule_set, exc)
        except ValidationError as exc:
            _add_errors(form, exc, mapping)
        else:
            messages.success(request, _("The rule was added."))
            return redirect("scoring:rule_set_detail", pk=rule_set.pk)
    forms = {"fit_form": form} if kind == RuleKind.FIT else {"engagement_form": form}
    return _detail(request, rule_set, status=422, **forms)


@role_required(*EDIT_ROLES)
@require_POST
def rule_remove(request: HttpRequest, pk: int, rule_id: int) -> HttpResponse:
    rule = get_object_or_404(Rule, pk=rule_id, rule_set_id=pk)
    try:
        services.remove_rule(rule, actor=request.user)  # type: ignore[arg-type]
    except ScoringError as exc:
        return _scoring_error(request, rule.rule_set, exc)
    messages.success(request, _("The rule was removed."))
    return redirect("scoring:rule_set_detail", pk=pk)


@role_required(*ACTIVATE_ROLES)
@require_POST
def rule_set_activate(request: HttpRequest, pk: int) -> HttpResponse:
    rule_set = get_object_or_404(RuleSet, pk=pk)
    try:
        services.activate(rule_set, actor=request.user)  # type: ignore[arg-type]
    except ScoringError as exc:
        return _scoring_error(request, rule_set, exc)
    messages.success(
        request,
        _("Version %(version)s is active. Every contact is being scored again in the background.")
        % {"version": rule_set.version},
    )
    return redirect("scoring:rule_set_detail", pk=pk)


@role_required(*EDIT_ROLES)
@require_http_methods(["GET", "POST"])
def rule_set_delete(request: HttpRequest, pk: int) -> HttpResponse:
    rule_set = get_object_or_404(RuleSet, pk=pk)
    if request.method == "POST":
        try:
            services.delete_draft(rule_set, actor=request.user)  # type: ignore[arg-type]
        except ScoringError as exc:
            return _scoring_error(request, rule_set, exc)
        messages.success(request, _("The draft was deleted."))
        return redirect("scoring:rule_sets")
    if not rule_set.is_draft:
        raise PermissionDenied
    return render(request, "scoring/rule_set_delete.html", {"rule_set": rule_set})


@role_required(*ACTIVATE_ROLES)
@require_POST
def rescore_all(request: HttpRequest) -> HttpResponse:
    rescore_all_contacts.enqueue()
    messages.success(request, _("Every contact is being scored again in the background."))
    return redirect("scoring:rule_sets")
