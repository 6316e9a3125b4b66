from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "renkei.core"
    label = "core"
    verbose_name = _("Organisation and users")

    def ready(self) -> None:
        # What this app holds about a person, for privacy requests (renkei.privacy).
        from renkei.core import privacy

        privacy.register()
