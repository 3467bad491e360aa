from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentConfig(AppConfig):
    name = "sme.assessment"
    label = "assessment"
    verbose_name = _("数字化水平评测")
