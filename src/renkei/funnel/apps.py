from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FunnelConfig(AppConfig):
    name = "renkei.funnel"
    label = "funnel"
    verbose_name = _("Funnel")

    def ready(self) -> None:
        # What this app holds about a person, for privacy requests (renkei.privacy).
        from renkei.funnel import (
            privacy,
            tasks,  # noqa: F401  (registers the periodic qualification)
        )

        privacy.register()
