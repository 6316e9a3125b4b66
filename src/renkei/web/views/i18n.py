from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from renkei.core.forms import LanguageForm


@login_not_required
@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Switch the interface language; a signed-in user keeps the choice in their profile
    (renkei.core.middleware.UserLanguageMiddleware applies it on every request)."""
    form = LanguageForm(request.POST)
    user = request.user
    if form.is_valid() and user.is_authenticated:
        language = form.cleaned_data["language"]
        if user.language != language:  # type: ignore[union-attr]
            user.language = language  # type: ignore[union-attr]
            user.save(update_fields=["language"])  # type: ignore[union-attr]
    return django_set_language(request)
