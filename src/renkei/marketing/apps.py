from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MarketingConfig(AppConfig):
    name = "renkei.marketing"
    label = "marketing"
    verbose_name = _("Marketing")

    def ready(self) -> None:
        from renkei.marketing import merging, panels, tasks, timeline  # noqa: F401  (registrations)
