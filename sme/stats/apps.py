from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StatsConfig(AppConfig):
    name = "sme.stats"
    label = "stats"
    verbose_name = _("统计")

    def ready(self) -> None:
        from sme.core import daily, figures

        from .selectors import figures_panel

        figures.register_reader(figures_panel)
        # Late among the daily jobs: after the ones that change statuses (expiries, escalations).
        daily.register(
            "stats.figures", "sme.stats.services.figures_daily", order=800, label=_("工作台统计汇总")
        )

        # The figures of apps that do not register their own yet (see figures.py).
        here = "sme.stats.figures"
        figures.register(
            "enterprises.size_class",
            _("企业（按规模）"),
            f"{here}.enterprises_by_size_class",
            order=10,
            chart=figures.PIE,
            parts=f"{here}.size_class_parts",
            unit=_("家"),
        )
        figures.register(
            "organizations.verified",
            _("已认证机构（按类型）"),
            f"{here}.verified_organizations_by_kind",
            order=20,
            chart=figures.BAR,
            parts=f"{here}.organization_kind_parts",
            unit=_("家"),
        )
        figures.register(
            "catalog.published",
            _("已发布服务"),
            f"{here}.services_published",
            order=30,
            unit=_("项"),
        )
        figures.register(
            "orders.this_month",
            _("订单"),
            f"{here}.orders_this_month",
            order=40,
            unit=_("笔"),
            period=_("本月"),
        )
        figures.register(
            "tickets.on_time",
            _("诉求按时办结"),
            f"{here}.tickets_on_time_this_year",
            order=50,
            chart=figures.SHARE,
            parts={"on_time": _("按时办结"), "late": _("超时办结")},
            unit=_("件"),
            period=_("今年以来"),
        )
        figures.register(
            "certification.in_force",
            _("有效期内的认定平台"),
            f"{here}.certifications_in_force",
            order=70,
            unit=_("个"),
        )
