from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NurtureConfig(AppConfig):
    name = "renkei.nurture"
    label = "nurture"
    verbose_name = _("Email")

    def ready(self) -> None:
        from renkei.nurture import tasks, timeline, webhooks  # noqa: F401  (registers jobs, sources, receivers)
