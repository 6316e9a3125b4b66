from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScoringConfig(AppConfig):
    name = "renkei.scoring"
    label = "scoring"
    verbose_name = _("Scoring")

    def ready(self) -> None:
        # Registrations: the touch hook (rescore a contact when a touch arrives) and the
        # score panel on the contact page.
        from renkei.marketing.hooks import on_touch_recorded
        from renkei.scoring import panels  # noqa: F401
        from renkei.scoring.tasks import enqueue_rescore

        on_touch_recorded(enqueue_rescore)

        # The lead agreement's score condition reads the current rule scores.
        from renkei.funnel.agreement import register_score_provider
        from renkei.scoring.services import current_totals

        register_score_provider(current_totals)
