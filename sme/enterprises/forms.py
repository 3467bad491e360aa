from __future__ import annotations

from collections.abc import Mapping
from typing import Any, cast

from django import forms
from django.db import models
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sme.accounts.models import Role
from sme.core import clock
from sme.core.forms import BootstrapFormMixin
from sme.organizations.models import Organization
from sme.regions.models import Region
from sme.regions.selectors import districts

from . import selectors
from .importing.fields import IMPORT_FIELDS
from .models import FIRST_YEAR, EnterpriseImport, EnterpriseProfile, EnterpriseYearFigures, SizeClass
from .selectors import FLAGS, UNCLASSIFIED, industry_entry, industry_sections


class EnterpriseProfileForm(BootstrapFormMixin, forms.Form):
    # Also the picker's search box (names are typed here too): the service checks the code itself.
    industry_code = forms.CharField(
        label=gettext_lazy("行业代码"),
        max_length=20,
        help_text=gettext_lazy(
            "GB/T 4754-2017：输入代码或名称搜索，选择门类、大类、中类或小类（划型需要时请选到中类或小类）；"
            "也可直接填写 6513 或 I6513 这样的代码"
        ),
    )
    is_tech_sme = forms.BooleanField(label=gettext_lazy("科技型中小企业"), required=False)
    is_specialized_new = forms.BooleanField(label=gettext_lazy("专精特新企业"), required=False)
    is_high_tech = forms.BooleanField(label=gettext_lazy("高新技术企业"), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, profile: EnterpriseProfile, **kwargs: Any):
        kwargs.setdefault(
            "initial",
            {
                "industry_code": profile.industry_code,
                "is_tech_sme": profile.is_tech_sme,
                "is_specialized_new": profile.is_specialized_new,
                "is_high_tech": profile.is_high_tech,
                "version": profile.version,
            },
        )
        super().__init__(*args, **kwargs)
        widget = self.fields["industry_code"].widget
        widget.attrs.update({"autocomplete": "off", "spellcheck": "false"})

    def industry_label(self) -> str:
        entry = industry_entry(str(self["industry_code"].value() or ""))
        return entry.path if entry else ""


class YearFiguresForm(BootstrapFormMixin, forms.Form):
    year = forms.IntegerField(label=gettext_lazy("年度"), min_value=FIRST_YEAR)
    employees = forms.IntegerField(
        label=gettext_lazy("从业人员（人）"),
        required=False,
        min_value=0,
        help_text=gettext_lazy("期末从业人员数"),
    )
    revenue_wan = forms.DecimalField(
        label=gettext_lazy("营业收入（万元）"), required=False, min_value=0, max_digits=18, decimal_places=4
    )
    assets_wan = forms.DecimalField(
        label=gettext_lazy("资产总额（万元）"), required=False, min_value=0, max_digits=18, decimal_places=4
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(
        self, *args: Any, version: int, row: EnterpriseYearFigures | None = None, **kwargs: Any
    ) -> None:
        initial: dict[str, Any] = {"version": version, "year": clock.today().year - 1}
        if row is not None:
            initial.update(
                year=row.year, employees=row.employees, revenue_wan=row.revenue_wan, assets_wan=row.assets_wan
            )
        kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        cast(forms.IntegerField, self.fields["year"]).max_value = clock.today().year
        self.fields["year"].widget.attrs["max"] = clock.today().year
        for name in ("employees", "revenue_wan", "assets_wan"):
            self.fields[name].widget.attrs["inputmode"] = "decimal"


class EnterpriseFilterForm(BootstrapFormMixin, forms.Form):
    q = forms.CharField(label=gettext_lazy("名称或信用代码"), required=False, max_length=100)
    size_class = forms.ChoiceField(label=gettext_lazy("企业规模"), required=False)
    section = forms.ChoiceField(label=gettext_lazy("行业门类"), required=False)
    district: forms.ModelChoiceField[Region] = forms.ModelChoiceField(
        label=gettext_lazy("区县"), required=False, queryset=None, empty_label=gettext_lazy("全部区县")
    )
    flag = forms.ChoiceField(label=gettext_lazy("企业资质"), required=False)

    def __init__(self, *args: Any, show_district: bool = False, **kwargs: Any):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["size_class"]).choices = [
            ("", _("全部规模")),
            *SizeClass.choices,
            (UNCLASSIFIED, _("未划型")),
        ]
        cast(forms.ChoiceField, self.fields["section"]).choices = [
            ("", _("全部门类")),
            *[(e.code, f"{e.code} {e.name}") for e in industry_sections()],
        ]
        labels = {f: cast(models.Field, EnterpriseProfile._meta.get_field(f)).verbose_name for f in FLAGS}
        cast(forms.ChoiceField, self.fields["flag"]).choices = [
            ("", _("不限")),
            *[(f, labels[f]) for f in FLAGS],
        ]
        if show_district:
            cast(forms.ModelChoiceField, self.fields["district"]).queryset = districts()
        else:
            del self.fields["district"]


def filtered_enterprises(
    user: Any, params: Mapping[str, Any]
) -> tuple[EnterpriseFilterForm, QuerySet[Organization]]:
    """The enterprise list an officer browses, as the page's query parameters filter it: the filter
    form (to show) and the list, in the user's scope. The list page and its export both read their
    filters here."""
    show_district = bool(user.role == Role.CITY_OFFICER or user.is_platform_admin)
    form = EnterpriseFilterForm(params or None, show_district=show_district)
    filters = form.cleaned_data if form.is_valid() else {}
    district = filters.get("district")
    flag = filters.get("flag") or ""
    qs = selectors.enterprise_list(
        user,
        size_class=filters.get("size_class", ""),
        section=filters.get("section", ""),
        district_id=district.pk if district else None,
        flags=(flag,) if flag else (),
        q=filters.get("q", ""),
    )
    return form, qs


# --- registry import ----------------------------------------------------------------------------

ALLOWED_EXTENSIONS = (".xlsx", ".csv")


class ImportUploadForm(BootstrapFormMixin, forms.Form):
    file = forms.FileField(
        label=gettext_lazy("名录文件"),
        help_text=gettext_lazy(
            "Excel（.xlsx）或 CSV（UTF-8 或 GBK 编码）；第一个工作表，表头可为合并单元格的两行"
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )

    def clean_file(self) -> Any:
        file = self.cleaned_data["file"]
        if not file.name.lower().endswith(ALLOWED_EXTENSIONS):
            raise forms.ValidationError(_("请上传 .xlsx 或 .csv 文件。"))
        return file


class ImportMappingForm(BootstrapFormMixin, forms.Form):
    """One select per importable field (which column holds it), plus the header position."""

    header_row = forms.IntegerField(label=gettext_lazy("表头起始行"), min_value=1, max_value=50)
    header_rows = forms.TypedChoiceField(
        label=gettext_lazy("表头行数"),
        coerce=int,
        choices=[(1, gettext_lazy("一行")), (2, gettext_lazy("两行（含合并单元格）"))],
    )
    default_year = forms.IntegerField(
        label=gettext_lazy("数据年度"),
        required=False,
        min_value=FIRST_YEAR,
        help_text=gettext_lazy("文件中没有“年度”列时，所有行都按此年度导入"),
    )
    keep_good_rows = forms.BooleanField(
        label=gettext_lazy("有错误行时，仍导入正确的行"),
        required=False,
        help_text=gettext_lazy("不勾选则只要有一行错误，整个文件都不导入"),
    )

    def __init__(self, *args: Any, job: EnterpriseImport, **kwargs: Any):
        initial: dict[str, Any] = {
            "header_row": job.header_row,
            "header_rows": job.header_rows,
            "default_year": job.default_year,
            "keep_good_rows": job.keep_good_rows,
        }
        for f in IMPORT_FIELDS:
            index = job.mapping.get(f.key)
            initial[f"col_{f.key}"] = "" if index is None else str(index)
        kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        cast(forms.IntegerField, self.fields["default_year"]).max_value = clock.today().year
        choices = [("", _("— 不导入 —"))] + [
            (str(i), _("第 %(n)s 列：%(name)s") % {"n": i + 1, "name": name or _("（无列名）")})
            for i, name in enumerate(job.columns)
        ]
        for f in IMPORT_FIELDS:
            field = forms.TypedChoiceField(
                label=str(f.label), required=False, choices=choices, coerce=int, empty_value=None
            )
            field.show_required = f.required  # type: ignore[attr-defined]
            field.widget.attrs["class"] = "form-select"
            self.fields[f"col_{f.key}"] = field

    def mapping_fields(self) -> list[forms.BoundField]:
        return [self[f"col_{f.key}"] for f in IMPORT_FIELDS]

    def mapping(self) -> dict[str, int]:
        return {
            f.key: self.cleaned_data[f"col_{f.key}"]
            for f in IMPORT_FIELDS
            if self.cleaned_data.get(f"col_{f.key}") is not None
        }
