"""The enterprise size standard (rules as data, with effective dates) and the industry code list.

Everything here is loaded from the data files in ``data/`` by ``loader.py`` after every ``migrate``;
the classifier itself is pure (``size_class.py``) and works on a snapshot built from these rows.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _


class SizeStandard(models.Model):
    """One version of the size standard, e.g. 工信部联企业〔2011〕300号, in force over a period."""

    version = models.SlugField(_("版本"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    document = models.CharField(_("文号"), max_length=100)
    effective_from = models.DateField(_("施行日期"))
    effective_to = models.DateField(_("废止日期"), null=True, blank=True, help_text=_("当日起不再适用"))
    industry_classification = models.CharField(_("行业分类标准"), max_length=40, blank=True)
    industry_map = models.JSONField(_("行业与分组对应"), default=list)
    unmapped_reason = models.CharField(_("未列明行业的说明"), max_length=300, blank=True)
    unmapped_reason_en = models.CharField(_("未列明行业的说明（英文）"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("企业划型标准")
        verbose_name_plural = _("企业划型标准")
        ordering = ["-effective_from"]

    def __str__(self) -> str:
        return f"{self.name}（{self.document}）"


class SizeGroup(models.Model):
    """An industry group of a standard with its indicators and lower bounds per band."""

    standard = models.ForeignKey(
        SizeStandard, verbose_name=_("划型标准"), on_delete=models.CASCADE, related_name="groups"
    )
    number = models.PositiveSmallIntegerField(_("序号"))
    name = models.CharField(_("行业组"), max_length=50)
    indicators = models.JSONField(_("指标"), default=list)
    thresholds = models.JSONField(
        _("各档下限"), default=dict, help_text=_("{档: {指标: 下限}}，档为 large、medium、small")
    )
    note = models.CharField(_("说明"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("划型行业组")
        verbose_name_plural = _("划型行业组")
        ordering = ["standard", "number"]
        constraints = [models.UniqueConstraint(fields=["standard", "number"], name="size_group_number_once")]

    def __str__(self) -> str:
        return f"{self.number} {self.name}"


class IndustryCode(models.Model):
    """A GB/T 4754-2017 code: 门类 (letter), 大类 (2 digits), 中类 (3 digits) or 小类 (4 digits)."""

    class Level(models.TextChoices):
        SECTION = "section", _("门类")
        DIVISION = "division", _("大类")
        GROUP = "group", _("中类")
        CLASS = "class", _("小类")

    code = models.CharField(_("代码"), max_length=4, unique=True)
    level = models.CharField(_("层级"), max_length=10, choices=Level.choices)
    name = models.CharField(_("名称"), max_length=100)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    unconfirmed = models.BooleanField(_("名称待核对"), default=False)

    class Meta:
        verbose_name = _("行业代码")
        verbose_name_plural = _("行业代码")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


# The figures an enterprise or a registry file may give: years from FIRST_YEAR to this year, 万元
# amounts of 18 digits with DECIMAL_PLACES decimals (to the 元).
FIRST_YEAR = 2000
MAX_WAN = Decimal("99999999999999")
DECIMAL_PLACES = 4


class SizeClass(models.TextChoices):
    LARGE = "large", _("大型")
    MEDIUM = "medium", _("中型")
    SMALL = "small", _("小型")
    MICRO = "micro", _("微型")


class EnterpriseProfile(models.Model):
    """What an enterprise organization declares about itself, and its stored size classification.

    The classification fields are written only by the services (``services.py``), from the latest
    year's figures with the standard in force; ``size_class`` is "" when the enterprise cannot be
    classified (an industry the standard does not cover, missing figures), and ``size_reasons`` says why.
    """

    organization = models.OneToOneField(
        "organizations.Organization",
        verbose_name=_("企业"),
        on_delete=models.CASCADE,
        related_name="enterprise_profile",
    )
    industry_code = models.CharField(
        _("行业代码"), max_length=4, blank=True, help_text=_("GB/T 4754-2017 门类、大类、中类或小类代码")
    )
    # The 门类 letter of ``industry_code``, kept for filtering lists by section.
    industry_section = models.CharField(_("行业门类"), max_length=1, blank=True)
    is_tech_sme = models.BooleanField(_("科技型中小企业"), default=False)
    is_specialized_new = models.BooleanField(_("专精特新"), default=False)
    is_high_tech = models.BooleanField(_("高新技术企业"), default=False)

    size_class = models.CharField(_("企业规模"), max_length=8, choices=SizeClass.choices, blank=True)
    size_group = models.PositiveSmallIntegerField(_("划型行业组"), null=True, blank=True)
    size_standard_version = models.CharField(_("划型标准版本"), max_length=40, blank=True)
    size_figures_year = models.PositiveSmallIntegerField(_("划型所用数据年度"), null=True, blank=True)
    size_figures = models.JSONField(_("划型所用指标"), default=dict, blank=True)
    size_reasons = models.JSONField(_("划型依据"), default=list, blank=True)
    classified_at = models.DateTimeField(_("划型时间"), null=True, blank=True)

    # Optimistic lock for edits: a form carries the version it was read at.
    version = models.PositiveIntegerField(_("版本"), default=1)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    # No indexes of their own on the classification or the section: lists are driven by the
    # organization's district indexes and join the profile by its key; every extra index is paid
    # for on each of a registry import's million inserts.
    class Meta:
        verbose_name = _("企业档案")
        verbose_name_plural = _("企业档案")

    def __str__(self) -> str:
        return _("%(enterprise)s的企业档案") % {"enterprise": self.organization}


class EnterpriseYearFigures(models.Model):
    """One year's 从业人员, 营业收入 and 资产总额 of an enterprise (万元, as the size standard uses)."""

    # No index of its own: the unique (organization, year) index starts with it.
    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("企业"),
        on_delete=models.CASCADE,
        related_name="year_figures",
        db_index=False,
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    employees = models.PositiveIntegerField(_("从业人员（人）"), null=True, blank=True)
    revenue_wan = models.DecimalField(
        _("营业收入（万元）"), max_digits=18, decimal_places=4, null=True, blank=True
    )
    assets_wan = models.DecimalField(
        _("资产总额（万元）"), max_digits=18, decimal_places=4, null=True, blank=True
    )
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("企业年度数据")
        verbose_name_plural = _("企业年度数据")
        ordering = ["organization", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "year"], name="enterprise_figures_year_once")
        ]

    def __str__(self) -> str:
        return _("%(enterprise)s %(year)s 年度数据") % {"enterprise": self.organization, "year": self.year}


class ImportStatus(models.TextChoices):
    UPLOADED = "uploaded", _("待确认列对应")
    QUEUED = "queued", _("排队中")
    RUNNING = "running", _("导入中")
    DONE = "done", _("已完成")
    FAILED = "failed", _("失败")


def import_upload_path(instance: EnterpriseImport, filename: str) -> str:
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"enterprise-imports/{instance.sha256[:2]}/{instance.sha256}.{suffix}"


class EnterpriseImport(models.Model):
    """One upload of an enterprise registry file, its column mapping, progress and result.

    Status moves along ``workflow.IMPORT``; the counters are progress, written by the runner as it goes.
    """

    created_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    created_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("导入人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # A district officer's import accepts only rows of this district; null means the whole jurisdiction.
    district = models.ForeignKey(
        "regions.Region",
        verbose_name=_("限定区县"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    file = models.FileField(_("文件"), upload_to=import_upload_path, max_length=200)
    file_name = models.CharField(_("文件名"), max_length=255)
    file_size = models.PositiveBigIntegerField(_("文件大小"), default=0)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    file_format = models.CharField(_("格式"), max_length=8)  # csv / xlsx
    encoding = models.CharField(_("编码"), max_length=16, blank=True)
    header_row = models.PositiveSmallIntegerField(_("表头起始行"), default=1)
    header_rows = models.PositiveSmallIntegerField(_("表头行数"), default=1)
    columns = models.JSONField(_("列名"), default=list, blank=True)
    preview = models.JSONField(_("预览"), default=list, blank=True)
    mapping = models.JSONField(_("列对应"), default=dict, blank=True)
    default_year = models.PositiveSmallIntegerField(_("默认年度"), null=True, blank=True)
    # False: a file with any bad row imports nothing (design rule 8); the report still lists every row.
    keep_good_rows = models.BooleanField(_("有错误时仍导入正确的行"), default=True)

    status = models.CharField(
        _("状态"), max_length=16, choices=ImportStatus.choices, default=ImportStatus.UPLOADED
    )
    total = models.PositiveIntegerField(_("数据行数"), null=True, blank=True)
    processed = models.PositiveIntegerField(_("已处理"), default=0)
    inserted = models.PositiveIntegerField(_("新增"), default=0)
    updated = models.PositiveIntegerField(_("更新"), default=0)
    unchanged = models.PositiveIntegerField(_("未变化"), default=0)
    failed = models.PositiveIntegerField(_("错误行"), default=0)
    report = models.FileField(
        _("错误报告"), upload_to="enterprise-imports/reports/", max_length=200, blank=True
    )
    error = models.TextField(_("失败原因"), blank=True)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("企业名录导入")
        verbose_name_plural = _("企业名录导入")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["created_by", "-created_at"], name="import_by_recent"),
            models.Index(fields=["district", "-created_at"], name="import_district_recent"),
        ]

    def __str__(self) -> str:
        return self.file_name

    @property
    def is_finished(self) -> bool:
        return self.status in (ImportStatus.DONE, ImportStatus.FAILED)

    @property
    def percent(self) -> int:
        if not self.total:
            return 100 if self.is_finished else 0
        return min(100, int(self.processed * 100 / self.total))
