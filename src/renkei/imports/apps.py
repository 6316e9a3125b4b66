from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImportsConfig(AppConfig):
    name = "renkei.imports"
    label = "imports"
    verbose_name = _("Import and export")

    def ready(self) -> None:
        # What this app holds about a person, for privacy requests (renkei.privacy).
        from renkei.imports import privacy

        privacy.register()
