"""The public register's filter form (第十二条)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..selectors.register import register_choices, zone_district_ids


def _options(choices: Any, current: str) -> SafeString:
    return SafeString(
        "".join(
            format_html(
                '<option value="{}"{}>{}</option>', value, " selected" if str(value) == current else "", label
            )
            for value, label in choices
        )
    )


class RegisterFilterForm(forms.Form):
    district = forms.ChoiceField(label=gettext_lazy("所在区县"), required=False)
    zone = forms.ChoiceField(label=gettext_lazy("所在区域"), required=False)
    category = forms.ChoiceField(label=gettext_lazy("服务功能类别"), required=False)
    scheme = forms.ChoiceField(label=gettext_lazy("认定办法"), required=False)
    year = forms.TypedChoiceField(
        label=gettext_lazy("认定年度"), required=False, coerce=int, empty_value=None
    )
    status = forms.ChoiceField(label=gettext_lazy("状态"), required=False)

    STATUS_CHOICES = (
        ("", gettext_lazy("在有效期内")),
        ("expired", gettext_lazy("已过期")),
        ("revoked", gettext_lazy("已撤销")),
        ("all", gettext_lazy("全部")),
    )

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        choices = register_choices()
        everything = ("", _("全部"))
        self.district_ids = {key: pk for key, _name, pk in choices.districts}
        self.zone_groups = choices.zone_groups
        options: dict[str, list[tuple[Any, str]]] = {
            "district": [(key, name) for key, name, _pk in choices.districts],
            "zone": [(z.key, z.label) for g in choices.zone_groups for z in g.zones],
            "category": choices.categories,
            "scheme": choices.schemes,
            "year": [(y, str(y)) for y in choices.years],
        }
        for name, values in options.items():
            self.fields[name].choices = [everything, *values]  # type: ignore[attr-defined]
        # In force by default (第十二条's register); titles no longer in force on request.
        self.fields["status"].choices = self.STATUS_CHOICES  # type: ignore[attr-defined]

    def controls(self) -> list[SafeString]:
        """Each filter as label + select, built here rather than by template loops: the five lists
        hold some eighty options, and drawing them with template tags cost more than the list itself."""
        out = []
        for name, field in self.fields.items():
            raw = self.data.get(name, "") if self.is_bound else ""
            current = raw if isinstance(raw, str) else ""
            if name == "zone":
                groups = [
                    (g.label, [(z.key, ("　└ " if z.depth else "") + z.label) for z in g.zones])
                    for g in self.zone_groups
                ]
                options = format_html('<option value="">{}</option>', _("全部")) + SafeString(
                    "".join(
                        format_html('<optgroup label="{}">{}</optgroup>', label, _options(zones, current))
                        for label, zones in groups
                    )
                )
            else:
                options = _options(field.choices, current)  # type: ignore[attr-defined]
            out.append(
                format_html(
                    '<label class="form-label small mb-1" for="id_{name}">{label}</label>'
                    '<select class="form-select" name="{name}" id="id_{name}">{options}</select>',
                    name=name,
                    label=field.label,
                    options=options,
                )
            )
        return out

    def filters(self) -> dict[str, Any]:
        """The valid filters only: a bad value in one field does not throw away the others."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        district_key = data.get("district") or ""
        zone = data.get("zone") or ""
        return {
            "district_id": self.district_ids.get(district_key),
            "district_ids": zone_district_ids(zone) if zone else None,
            "category": data.get("category") or "",
            "scheme_code": data.get("scheme") or "",
            "year": data.get("year") or None,
            "status": data.get("status") or "",
        }
