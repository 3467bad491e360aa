from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AssessmentConfig(AppConfig):
    name = "sme.assessment"
    label = "assessment"
    verbose_name = _("数字化水平评测")

    def ready(self) -> None:
        from sme.notifications.services import register_events

        register_events({"assessment": _("数字化评测")})
        from sme.core import navigation as n

        n.register(
            n.link(_("数字化评测"), "assessment:home", {n.ENTERPRISE}, 3, "my_enterprise"),
            n.link(_("企业数字化评测"), "assessment:responses", {n.OFFICER}, 3, "supervision"),
        )
        from sme.core import audit

        audit.register_actions(
            {
                "assessment.level_rule_delete": _("删除等级规则"),
                "assessment.level_rule_save": _("保存等级规则"),
                "assessment_response.delete": _("删除评测"),
                "assessment_response.pdf": _("下载企业评测报告"),
                "assessment_response.start": _("开始评测"),
                "assessment_response.verified_score": _("核定评测得分"),
                "assessment_response.view": _("查看企业评测结果"),
            }
        )
        from sme.exports import registry as exports

        from .exporting import KIND, LABEL, assessments_table

        exports.register(KIND, LABEL, assessments_table)
        from sme.core import figures

        figures.register(
            "assessment.miit_levels",
            _("数字化水平评测等级（制造业）"),
            "sme.assessment.figures.miit_levels",
            order=60,
            chart=figures.BAR,
            parts="sme.assessment.figures.miit_level_labels",
            unit=_("家"),
        )
        figures.register(
            "assessment.dma_levels",
            _("数字化成熟度评估等级（DMA）"),
            "sme.assessment.figures.dma_levels",
            order=61,
            chart=figures.BAR,
            parts="sme.assessment.figures.dma_level_labels",
            unit=_("家"),
        )
        from sme.core import todos

        from .loader import load_after_migrate
        from .todos import todos_for

        post_migrate.connect(load_after_migrate, sender=self)
        todos.register(todos_for)
