"""Digital-maturity questionnaires (rules as data), the responses enterprises give, and the
pre-aggregated peer averages their reports compare against.

The questionnaire tree (questionnaire → dimensions → sub-dimensions → items → options) and the
level rules are loaded from the data files in ``data/`` by ``loader.py`` after every ``migrate``;
scoring is pure (``instrument.py``, ``scoring.py``) and works on a snapshot built from these rows
(``selectors.instrument_for``). A submitted response keeps the questionnaire version, the level
rule and the full result it was scored with, so later data changes never alter it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sme.core.models import TimeStampedModel


class Questionnaire(models.Model):
    """One version of an instrument, in force over a period."""

    class Aggregate(models.TextChoices):
        SUM = "sum", _("各题得分相加")
        MEAN_PERCENT = "mean_percent", _("各维度百分比的平均值")

    code = models.SlugField(_("问卷代码"), max_length=40)
    version = models.CharField(_("版本"), max_length=20)
    name = models.CharField(_("名称"), max_length=200)
    document = models.CharField(_("依据文件"), max_length=200, blank=True)
    effective_from = models.DateField(_("启用日期"))
    effective_to = models.DateField(_("停用日期"), null=True, blank=True, help_text=_("当日起不再使用"))
    source_note = models.TextField(_("来源说明"), blank=True)
    based_on_public_description = models.BooleanField(_("依据公开说明编写"), default=False)
    public_description_label = models.CharField(_("公开说明标注"), max_length=100, blank=True)
    aggregate = models.CharField(_("总分算法"), max_length=20, choices=Aggregate.choices)
    max_score = models.DecimalField(_("满分"), max_digits=7, decimal_places=3)
    pledge = models.TextField(_("真实性承诺"), blank=True)
    scenario_levels = models.JSONField(_("场景等级说明"), default=list, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("评测问卷")
        verbose_name_plural = _("评测问卷")
        ordering = ["code", "-effective_from"]
        constraints = [models.UniqueConstraint(fields=["code", "version"], name="questionnaire_version_once")]

    def __str__(self) -> str:
        return f"{self.name}（{self.version}）"


class Dimension(models.Model):
    questionnaire = models.ForeignKey(
        Questionnaire, verbose_name=_("问卷"), on_delete=models.CASCADE, related_name="dimensions"
    )
    key = models.SlugField(_("标识"), max_length=40)
    name = models.CharField(_("名称"), max_length=100)
    description = models.TextField(_("说明"), blank=True)
    points = models.DecimalField(_("分值"), max_digits=7, decimal_places=3)
    service_categories = models.JSONField(
        _("推荐服务类别"), default=list, blank=True, help_text=_("[{key, label}]：该维度薄弱时推荐的服务")
    )
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("评测维度")
        verbose_name_plural = _("评测维度")
        ordering = ["questionnaire", "sort_order"]
        constraints = [models.UniqueConstraint(fields=["questionnaire", "key"], name="dimension_key_once")]

    def __str__(self) -> str:
        return self.name


class SubDimension(models.Model):
    dimension = models.ForeignKey(
        Dimension, verbose_name=_("维度"), on_delete=models.CASCADE, related_name="sub_dimensions"
    )
    key = models.SlugField(_("标识"), max_length=40)
    name = models.CharField(_("名称"), max_length=100)
    points = models.DecimalField(_("分值"), max_digits=7, decimal_places=3)
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("评测子维度")
        verbose_name_plural = _("评测子维度")
        ordering = ["dimension", "sort_order"]
        constraints = [models.UniqueConstraint(fields=["dimension", "key"], name="sub_dimension_key_once")]

    def __str__(self) -> str:
        return self.name


class ItemKind(models.TextChoices):
    SINGLE = "single", _("单选")
    MULTI = "multi", _("多选（分值累加）")
    RATIO = "ratio", _("比例（填写分子、分母）")
    TREND = "trend", _("变化趋势")
    SCENARIO = "scenario", _("场景等级（1—4级）")


class Item(models.Model):
    questionnaire = models.ForeignKey(
        Questionnaire, verbose_name=_("问卷"), on_delete=models.CASCADE, related_name="items"
    )
    sub_dimension = models.ForeignKey(
        SubDimension, verbose_name=_("子维度"), on_delete=models.CASCADE, related_name="items"
    )
    key = models.SlugField(_("标识"), max_length=60)
    kind = models.CharField(_("题型"), max_length=10, choices=ItemKind.choices)
    text = models.CharField(_("题目"), max_length=300)
    help_text = models.TextField(_("填写说明"), blank=True)
    internal_note = models.TextField(
        _("内部说明"), blank=True, help_text=_("仅管理员可见：规则来源、待核实之处等，不向企业显示")
    )
    points = models.DecimalField(_("分值"), max_digits=7, decimal_places=3)
    config = models.JSONField(
        _("计分设置"), default=dict, blank=True, help_text=_("比例题的分档与分子分母名称、场景题的各级分值")
    )
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("评测题目")
        verbose_name_plural = _("评测题目")
        ordering = ["sub_dimension", "sort_order"]
        constraints = [models.UniqueConstraint(fields=["questionnaire", "key"], name="item_key_once")]

    def __str__(self) -> str:
        return self.text


class Option(models.Model):
    item = models.ForeignKey(Item, verbose_name=_("题目"), on_delete=models.CASCADE, related_name="options")
    key = models.SlugField(_("标识"), max_length=40)
    label = models.CharField(_("选项"), max_length=200)
    points = models.DecimalField(_("分值"), max_digits=7, decimal_places=3)
    exclusive = models.BooleanField(_("排他（“以上均无”）"), default=False)
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("选项")
        verbose_name_plural = _("选项")
        ordering = ["item", "sort_order"]
        constraints = [models.UniqueConstraint(fields=["item", "key"], name="option_key_once")]

    def __str__(self) -> str:
        return self.label


class LevelRule(models.Model):
    """How a total becomes a level: score bands, optionally with scenario counts.

    Rules from the data files are upserted by ``(questionnaire, key)``; an administrator adds a
    rule with another key and a later ``effective_from`` to change the rule without a deploy (the
    loader leaves such rows alone). The rule in force on the submission date is used, and the
    response records which one."""

    questionnaire = models.ForeignKey(
        Questionnaire, verbose_name=_("问卷"), on_delete=models.CASCADE, related_name="level_rules"
    )
    key = models.SlugField(_("标识"), max_length=40)
    name = models.CharField(_("名称"), max_length=200)
    effective_from = models.DateField(_("生效日期"), null=True, blank=True)
    effective_to = models.DateField(_("失效日期"), null=True, blank=True, help_text=_("当日起不再适用"))
    levels = models.JSONField(
        _("等级"),
        default=list,
        help_text=_(
            "按从低到高列出：[{key, label, gte 或 gt, description, unconfirmed, scenarios: {min_level, count}}]"
        ),
    )
    below = models.JSONField(_("未达最低等级时"), default=dict, blank=True, help_text=_("{key, label}"))
    unconfirmed = models.BooleanField(_("待核实"), default=False, help_text=_("仅管理员可见"))
    internal_note = models.TextField(
        _("内部说明"), blank=True, help_text=_("仅管理员可见：规则来源、待核实之处等，不向企业显示")
    )
    from_data_file = models.BooleanField(_("来自数据文件"), default=False, editable=False)

    class Meta:
        verbose_name = _("等级规则")
        verbose_name_plural = _("等级规则")
        ordering = ["questionnaire", "effective_from"]
        constraints = [models.UniqueConstraint(fields=["questionnaire", "key"], name="level_rule_key_once")]

    def __str__(self) -> str:
        return self.name


class ResponseStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已提交")


class PeerKind(models.TextChoices):
    INDUSTRY_GROUP = "industry_group", _("同行业组")
    SIZE_CLASS = "size_class", _("同规模")
    DISTRICT = "district", _("同区县")


class AssessmentResponse(TimeStampedModel):
    """An enterprise's answers to one questionnaire version: a draft, then (once submitted with the
    truthfulness pledge) an immutable scored result. Re-assessment is a new response."""

    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("企业"),
        on_delete=models.PROTECT,
        related_name="assessment_responses",
    )
    questionnaire = models.ForeignKey(
        Questionnaire, verbose_name=_("问卷"), on_delete=models.PROTECT, related_name="responses"
    )
    status = models.CharField(
        _("状态"), max_length=16, choices=ResponseStatus.choices, default=ResponseStatus.DRAFT
    )
    answers = models.JSONField(_("答案"), default=dict, blank=True)
    # Optimistic lock for draft saves: a page carries the version it was read at.
    version = models.PositiveIntegerField(_("版本"), default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("填写人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("提交人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    pledge_text = models.TextField(_("承诺内容"), blank=True)

    # The result, fixed at submission.
    questionnaire_code = models.SlugField(_("问卷代码"), max_length=40, blank=True)
    questionnaire_version = models.CharField(_("问卷版本"), max_length=20, blank=True)
    level_rule_key = models.CharField(_("等级规则"), max_length=40, blank=True)
    total = models.DecimalField(_("总分"), null=True, blank=True, max_digits=7, decimal_places=3)
    max_score = models.DecimalField(_("满分"), null=True, blank=True, max_digits=7, decimal_places=3)
    level_key = models.CharField(_("等级代码"), max_length=20, blank=True)
    level_label = models.CharField(_("等级"), max_length=50, blank=True)
    level_rank = models.PositiveSmallIntegerField(_("等级序号"), null=True, blank=True)
    result = models.JSONField(_("评测结果"), default=dict, blank=True)
    # Dimension key → score, flat, so peer averages can be computed by the database (GROUP BY).
    dimension_scores = models.JSONField(_("各维度得分"), default=dict, blank=True)
    # The organization's newest submitted response to this questionnaire version: the one peer
    # averages count (an enterprise assessed twice is one peer, not two).
    is_latest = models.BooleanField(_("最新一次"), default=False)

    # Peer keys, taken at submission; empty when unknown (then left out of that peer group).
    district_code = models.CharField(_("区县代码"), max_length=6, blank=True)
    size_class = models.CharField(_("企业规模"), max_length=10, blank=True)
    size_group = models.PositiveSmallIntegerField(_("划型行业组"), null=True, blank=True)
    industry_code = models.CharField(_("行业代码"), max_length=4, blank=True)

    class Meta:
        verbose_name = _("评测答卷")
        verbose_name_plural = _("评测答卷")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "questionnaire"],
                condition=Q(status="draft"),
                name="one_draft_per_questionnaire",
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(submitted_at__isnull=False, total__isnull=False),
                name="submitted_response_is_scored",
            ),
        ]
        indexes = [
            # An enterprise's history of one instrument (T0, previous, latest).
            models.Index(
                fields=["organization", "questionnaire_code", "status", "submitted_at"],
                name="response_org_history",
            ),
            # Officers' lists: submitted, newest first.
            models.Index(fields=["status", "-submitted_at", "-id"], name="response_recent"),
            # The peer-table rebuild reads the latest submitted response of each organization.
            models.Index(
                fields=["questionnaire", "district_code"],
                name="response_peer_latest",
                condition=Q(is_latest=True, status="submitted"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization} · {self.questionnaire}"

    @property
    def is_draft(self) -> bool:
        return self.status == ResponseStatus.DRAFT


class VerifiedScore(models.Model):
    """An officer's on-site evaluation (现场评定) of a submitted response, shown beside the
    self-assessed score. Rows are only added; the newest one stands."""

    response = models.ForeignKey(
        AssessmentResponse,
        verbose_name=_("评测答卷"),
        on_delete=models.PROTECT,
        related_name="verified_scores",
    )
    total = models.DecimalField(_("现场评定得分"), max_digits=7, decimal_places=3)
    level_key = models.CharField(_("等级代码"), max_length=20)
    level_label = models.CharField(_("等级"), max_length=50)
    level_rank = models.PositiveSmallIntegerField(_("等级序号"))
    level_rule_key = models.CharField(_("等级规则"), max_length=40)
    evaluated_on = models.DateField(_("现场评定日期"))
    note = models.TextField(_("评定说明"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("评定人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("现场评定")
        verbose_name_plural = _("现场评定")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["response", "-created_at"], name="verified_score_recent")]

    def __str__(self) -> str:
        return _("%(response)s：现场评定 %(total)s 分") % {"response": self.response, "total": self.total}


class PeerStat(models.Model):
    """Pre-aggregated averages of one peer group, rebuilt by ``rebuild_assessment_peers``."""

    questionnaire = models.ForeignKey(
        Questionnaire, verbose_name=_("问卷"), on_delete=models.CASCADE, related_name="peer_stats"
    )
    kind = models.CharField(_("对比维度"), max_length=20, choices=PeerKind.choices)
    key = models.CharField(_("分组"), max_length=20)
    respondents = models.PositiveIntegerField(_("企业数"))
    mean_total = models.DecimalField(_("平均总分"), max_digits=7, decimal_places=3)
    dimension_means = models.JSONField(_("各维度平均分"), default=dict)
    rebuilt_at = models.DateTimeField(_("统计时间"))

    class Meta:
        verbose_name = _("同类企业平均")
        verbose_name_plural = _("同类企业平均")
        constraints = [
            models.UniqueConstraint(fields=["questionnaire", "kind", "key"], name="peer_stat_once")
        ]

    def __str__(self) -> str:
        return _("%(kind)s %(key)s：%(n)s 家") % {
            "kind": PeerKind(self.kind).label,
            "key": self.key,
            "n": self.respondents,
        }
