from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CertificationConfig(AppConfig):
    name = "sme.certification"
    label = "certification"
    verbose_name = _("公共服务平台认定")
