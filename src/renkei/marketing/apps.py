from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MarketingConfig(AppConfig):
    name = "renkei.marketing"
    label = "marketing"
    verbose_name = _("Marketing")

    def ready(self) -> None:
        # Registers periodic jobs, timeline sources and the "touches" export.
        from renkei.marketing import exports, tasks, timeline  # noqa: F401
        from renkei.marketing.privacy import register as register_privacy_holders

        # What this app holds about a person, for privacy requests (renkei.privacy).
        register_privacy_holders()
