from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NurtureConfig(AppConfig):
    name = "renkei.nurture"
    label = "nurture"
    verbose_name = _("Email")

    def ready(self) -> None:
        # Registers jobs, timeline sources, merge preparers and webhook receivers.
        from renkei.nurture import merging, tasks, timeline, webhooks  # noqa: F401
        from renkei.nurture.privacy import register as register_privacy_holders

        # What this app holds about a person, for privacy requests (renkei.privacy).
        register_privacy_holders()
