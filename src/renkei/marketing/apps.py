from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MarketingConfig(AppConfig):
    name = "renkei.marketing"
    label = "marketing"
    verbose_name = _("Marketing")

    def ready(self) -> None:
        # Registrations: periodic jobs, timeline sources, contact-page panels, the merge
        # preparer and the "touches" export.
        from renkei.marketing import exports, merging, panels, tasks, timeline  # noqa: F401
        from renkei.marketing.privacy import register as register_privacy_holders

        # What this app holds about a person, for privacy requests (renkei.privacy).
        register_privacy_holders()
