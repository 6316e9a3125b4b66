"""A user's own page: name, email, language, password and personal API tokens."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from renkei.core.forms import ApiTokenForm, ProfileForm
from renkei.core.models import ApiToken
from renkei.core.permissions import ALL_ROLES, role_required
from renkei.core.tokens import create_api_token, revoke_api_token


def _context(request: HttpRequest, **extra: Any) -> dict[str, Any]:
    context = {
        "profile_form": ProfileForm(instance=request.user),
        "token_form": ApiTokenForm(),
        "tokens": ApiToken.objects.filter(user=request.user).order_by("revoked_at", "-created_at"),
        "new_secret": "",
    }
    context.update(extra)
    return context


@role_required(*ALL_ROLES)
def profile(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = ProfileForm(request.POST, instance=request.user)
        if form.is_valid():
            user = form.save()
            if user.language:
                translation.activate(user.language)
            messages.success(request, _("Your profile is saved."))
            return redirect("web:profile")
        return render(
            request, "web/profile/profile.html", _context(request, profile_form=form), status=422
        )
    return render(request, "web/profile/profile.html", _context(request))


@role_required(*ALL_ROLES)
@require_POST
def token_create(request: HttpRequest) -> HttpResponse:
    """Create a token and show its secret this once (it is stored only as a hash)."""
    form = ApiTokenForm(request.POST)
    if not form.is_valid():
        return render(
            request, "web/profile/profile.html", _context(request, token_form=form), status=422
        )
    token, secret = create_api_token(user=request.user, name=form.cleaned_data["name"])  # type: ignore[arg-type]
    response = render(
        request,
        "web/profile/profile.html",
        _context(request, new_secret=secret, new_token=token),
        status=201,
    )
    response.headers["Cache-Control"] = "no-store"
    return response


@role_required(*ALL_ROLES)
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    """GET asks for confirmation; POST revokes. A user revokes only their own tokens."""
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    if request.method == "POST":
        revoke_api_token(token=token)
        messages.success(request, _("The token “%(name)s” is revoked.") % {"name": token.name})
        return redirect("web:profile")
    return render(request, "web/profile/token_revoke.html", {"token": token})
