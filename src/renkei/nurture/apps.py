from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NurtureConfig(AppConfig):
    name = "renkei.nurture"
    label = "nurture"
    verbose_name = _("Email")

    def ready(self) -> None:
        # Registers jobs, timeline sources, merge preparers and webhook receivers.
        from renkei.nurture import merging, tasks, timeline, webhooks  # noqa: F401
