from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CertificationConfig(AppConfig):
    name = "sme.certification"
    label = "certification"
    verbose_name = _("公共服务平台认定")

    def ready(self) -> None:
        from sme.core import audit, daily, files, todos
        from sme.core import navigation as n
        from sme.notifications.services import register_events

        from .loader import load_after_migrate
        from .models import Material, ReReviewAuditReport
        from .selectors.applications import can_see_application
        from .selectors.rereviews import can_see_rereview
        from .todos import lifecycle_todos, todos_for

        register_events({"certification": _("平台认定")})
        n.register(
            n.link(_("平台认定"), "certification:home", {n.PROVIDER}, 2, "my_organization"),
            n.link(_("评审任务"), "certification:expert-home", {n.EXPERT}, 50),
            n.link(_("认定评审"), "certification:queue", {n.OFFICER}, 2, "review"),
            n.link(_("认定平台"), "certification:certified-list", {n.OFFICER}, 2, "supervision"),
            n.link(_("认定平台名录"), "certification:register", {n.ANONYMOUS}, 11),
            n.link(_("认定公示"), "certification:notices", {n.ANONYMOUS}, 12),
            n.link(_("认定条件自测"), "certification:self-check", {n.ANONYMOUS}, 1, "tools"),
            n.link(_("认定平台名录"), "certification:register", {n.SIGNED_IN}, 1, "public"),
            n.link(_("认定公示"), "certification:notices", {n.SIGNED_IN}, 2, "public"),
            n.link(_("认定条件自测"), "certification:self-check", {n.SIGNED_IN}, 4, "public"),
        )
        daily.register(
            "certification",
            "sme.certification.daily.certification_daily",
            order=60,
            label=_("公示、到期、复核与年度总结提醒"),
        )
        # Materials are read by whoever can see their application; audit reports by whoever can see
        # the re-review (the platform, its district, the deciding authority, administrators).
        files.register(Material, can_read=lambda user, row: can_see_application(user, row.application_id))
        files.register(
            ReReviewAuditReport, can_read=lambda user, row: can_see_rereview(user, row.rereview_id)
        )

        audit.register_actions(
            {
                "certification_application.create": _("新建认定申请"),
                "certification_application.dossier": _("下载申请材料汇编"),
                "certification_application.expert_score": _("专家评分"),
                "certification_application.export": _("导出申请清单"),
                "certification_application.material_upload": _("上传申报材料"),
                "certification_application.update": _("修改认定申请"),
                "certification_expert.conflict_declare": _("专家声明回避"),
                "certification_notice.publish": _("发布公示"),
                "certification_rereview.update": _("修改复核材料"),
                "certification_scheme.copy": _("复制认定方案"),
                "certification_scheme.revise": _("修订认定方案"),
                "certification_spot_check.open": _("发起抽查"),
                "certification_spot_check.rectify": _("提交抽查整改"),
                "certification_title.grant": _("授予称号"),
                "certification_title.summary_submit": _("提交年度总结"),
                # No longer written (objections have their workflow, files their one download view);
                # registered so that earlier rows keep their label.
                "certification_application.material_download": _("下载申报材料"),
                "certification_notice.objection_file": _("提出公示异议"),
                "certification_notice.objection_resolve": _("处理公示异议"),
                "certification_rereview.audit_report_download": _("下载复核审计报告"),
            }
        )
        todos.register(todos_for)
        todos.register(lifecycle_todos)

        # After the regions app: schemes name their region by code.
        post_migrate.connect(load_after_migrate, sender=self)
