"""The questionnaires are data files (read-only here, with the internal notes enterprises never see);
level rules can be added or edited, since an unconfirmed rule may need correcting without a deploy.
Responses are read-only."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext as _

from sme.core.admin import AuditedAdmin, ReadOnlyAdmin

from .instrument import InstrumentError, level_rule_from_data
from .models import AssessmentResponse, Item, LevelRule, PeerStat, Questionnaire, VerifiedScore
from .selectors import bump_data_version


@admin.register(Questionnaire)
class QuestionnaireAdmin(ReadOnlyAdmin):
    list_display = ("name", "code", "version", "effective_from", "effective_to", "max_score")


@admin.register(Item)
class ItemAdmin(ReadOnlyAdmin):
    """The questions as loaded from the data files, with their internal notes (never shown to
    enterprises): read-only here, since the files are re-applied on every migrate."""

    list_display = ("text", "key", "questionnaire", "kind", "points", "internal_note")
    list_filter = ("questionnaire", "kind")
    list_select_related = ("questionnaire",)
    search_fields = ("key", "text")


class LevelRuleForm(forms.ModelForm):
    class Meta:
        model = LevelRule
        fields = (
            "questionnaire",
            "key",
            "name",
            "effective_from",
            "effective_to",
            "levels",
            "below",
            "unconfirmed",
            "internal_note",
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if "levels" in data:
            try:
                level_rule_from_data(
                    {
                        "key": data.get("key") or "rule",
                        "levels": data.get("levels"),
                        "below": data.get("below") or {},
                    },
                    _("等级规则"),
                )
            except (InstrumentError, KeyError, TypeError, ValueError, AttributeError) as exc:
                raise forms.ValidationError(_("等级设置有误：%(e)s") % {"e": exc}) from exc
        return data


@admin.register(LevelRule)
class LevelRuleAdmin(AuditedAdmin):
    audit_prefix = "assessment.level_rule"
    form = LevelRuleForm
    list_display = (
        "name",
        "questionnaire",
        "key",
        "effective_from",
        "effective_to",
        "unconfirmed",
        "from_data_file",
    )
    list_filter = ("questionnaire", "unconfirmed")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        # Rules shipped in the data files are re-applied on every migrate: change them there.
        if obj is not None and obj.from_data_file:
            return (
                "questionnaire",
                "key",
                "name",
                "effective_from",
                "effective_to",
                "levels",
                "below",
                "unconfirmed",
                "internal_note",
            )
        return ()

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return obj is None or not obj.from_data_file

    def after_write(self) -> None:
        bump_data_version()


@admin.register(AssessmentResponse)
class AssessmentResponseAdmin(ReadOnlyAdmin):
    list_display = ("organization", "questionnaire", "status", "submitted_at", "total", "level_label")
    list_filter = ("status", "questionnaire")
    list_select_related = ("organization", "questionnaire")
    raw_id_fields = ("organization",)


@admin.register(VerifiedScore)
class VerifiedScoreAdmin(ReadOnlyAdmin):
    list_display = ("response", "total", "level_label", "evaluated_on", "recorded_by")


@admin.register(PeerStat)
class PeerStatAdmin(ReadOnlyAdmin):
    list_display = ("questionnaire", "kind", "key", "respondents", "mean_total", "rebuilt_at")
    list_filter = ("questionnaire", "kind")
