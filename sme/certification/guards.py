"""The rules a move of the certification workflows needs that read the database or the clock: the
``guard`` of a row in ``workflow.py``. ``sme.core.workflow`` runs a guard inside the transition, after
the table's own checks (status, role, note), so no service checks the same thing again first.

A guard takes ``(record, actor, note)`` and answers why the move is refused (``NotAllowed``), or None;
it raises ``InvalidInput`` itself to list what must be completed, and ``Conflict`` when the record's
situation has moved on (a title no longer under re-review).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext as _

from sme.core import clock
from sme.core.errors import Conflict, InvalidInput

from . import figures
from .models import (
    Application,
    Certification,
    CertificationStatus,
    Objection,
    ReReview,
    ReReviewStatus,
)
from .selectors import applications as application_selectors
from .selectors import notices as notice_selectors
from .selectors import rereviews as rereview_selectors
from .selectors import titles as title_selectors
from .selectors.reviews import MIN_EXPERTS, scores_complete

Guard = Callable[[Any, Any, str], "str | None"]


def all_of(*guards: Guard) -> Guard:
    """A guard that runs ``guards`` in order; the first refusal wins."""

    def guard(record: Any, actor: Any, note: str) -> str | None:
        for one in guards:
            problem = one(record, actor, note)
            if problem:
                return problem
        return None

    guard.__doc__ = "; ".join(g.__doc__ or g.__name__ for g in guards)
    return guard


# --- applications ---------------------------------------------------------------------------------


def declaration_problems(application: Application) -> dict[str, list[str]]:
    """What is wrong with the truthfulness declaration (第八条（十）) the application carries: made,
    by the legal representative, dated no later than today."""
    problems: dict[str, list[str]] = {}
    name = (application.declaration_name or "").strip()
    if application.declared_at is None:
        problems.setdefault("declared", []).append(_("请阅读并勾选申报材料真实性声明。"))
    if not name:
        problems.setdefault("declaration_name", []).append(_("请填写声明人姓名。"))
    elif name != application.legal_representative.strip():
        problems.setdefault("declaration_name", []).append(
            _("声明人应为法定代表人（%(name)s）。") % {"name": application.legal_representative}
        )
    if application.declaration_date is None:
        problems.setdefault("declaration_date", []).append(_("请填写声明日期。"))
    elif application.declaration_date > clock.today():
        problems.setdefault("declaration_date", []).append(_("声明日期不能晚于今天。"))
    return problems


def ready_to_submit(application: Application, actor: Any, note: str) -> str | None:
    """The application as submitted is complete: report, figures, uploads, numeric conditions and the
    declaration (the submitting service puts the declaration on the record first). Every problem is
    listed at once."""
    problems = application_selectors.submission_problems(application)
    for name, messages in declaration_problems(application).items():
        problems.setdefault(name, []).extend(messages)
    if problems:
        count = sum(len(v) for v in problems.values())
        raise InvalidInput(_("还有%(n)s项问题，暂不能提交：") % {"n": count}, problems)
    return None


def experts_have_scored(application: Application, actor: Any, note: str) -> str | None:
    """At least three experts assigned, and every one has scored."""
    if scores_complete(application):
        return None
    return _("需至少%(n)s名专家全部提交评分后才能发布公示。") % {"n": MIN_EXPERTS}


def notice_ended_without_objection(application: Application, actor: Any, note: str) -> str | None:
    """The public notice has ended, with no objection open or upheld (第十一条)."""
    notice = notice_selectors.open_notice(application)
    if notice is None:
        raise Conflict(_("该申请没有进行中的公示。"))
    if clock.today() <= notice.ends_on:
        return _("公示期至%(day)s结束，期满后方可授予称号。") % {"day": figures.long_date(notice.ends_on)}
    if notice_selectors.has_blocking_objection(notice):
        return _("公示期间的异议尚未处理完毕，不能授予称号。")
    return None


# --- objections -----------------------------------------------------------------------------------


def notice_open_for_objections(objection: Objection, actor: Any, note: str) -> str | None:
    """Objections are taken while the notice runs, from its first day to its last."""
    notice = objection.notice
    today = clock.today()
    if notice.open_on(today):
        return None
    if today < notice.starts_on:
        message = _("公示期自%(day)s开始，届时可提出异议。") % {"day": figures.long_date(notice.starts_on)}
    else:
        message = _("公示期已于%(day)s结束，不再受理异议。") % {"day": figures.long_date(notice.ends_on)}
    raise InvalidInput(message)


# --- titles -----------------------------------------------------------------------------------------


def rereview_window_open(certification: Certification, actor: Any, note: str) -> str | None:
    """Within the cycle's last year (the job opens it 90 days before the end), not after it ended."""
    today = clock.today()
    earliest = title_selectors.rereview_opens_on(certification)
    if today < earliest:
        return _("本周期有效期至%(until)s，复核最早可于%(earliest)s开始。") % {
            "until": figures.long_date(certification.valid_until),
            "earliest": figures.long_date(earliest),
        }
    if today > certification.valid_until:
        return _("有效期已于%(until)s届满，不能再开始复核。") % {
            "until": figures.long_date(certification.valid_until)
        }
    return None


def cycle_rereview_confirmed(certification: Certification, actor: Any, note: str) -> str | None:
    """This cycle's re-review (ending ``valid_until``) has been confirmed."""
    latest = rereview_selectors.latest_rereview(certification)
    if (
        latest is None
        or latest.status != ReReviewStatus.CONFIRMED
        or latest.cycle_ends_on != certification.valid_until
    ):
        return _("本周期的三年复核尚未通过，不能确认称号。")
    return None


def validity_ended(certification: Certification, actor: Any, note: str) -> str | None:
    """``valid_until`` has passed; for a title under re-review, the scheme's grace period after it has
    passed too, with the re-review still not filed (a filed one waits for the officers' decision)."""
    today = clock.today()
    if today <= certification.valid_until:
        return _("有效期至%(until)s，尚未届满。") % {"until": figures.long_date(certification.valid_until)}
    if certification.status != CertificationStatus.REREVIEW:
        return None
    grace_end = title_selectors.grace_ends_on(certification)
    if today <= grace_end:
        return _("复核宽限期至%(day)s，期满前仍可报送复核材料。") % {"day": figures.long_date(grace_end)}
    if title_selectors.rereview_filed(certification):
        return _("复核材料已报送，等待主管部门复核，称号不因期满而过期。")
    return None


# --- re-reviews ---------------------------------------------------------------------------------------


def title_under_rereview(rereview: ReReview, actor: Any, note: str) -> str | None:
    """The title is still under re-review: a revoked or expired title ends its re-review."""
    certification = rereview.certification
    if certification.status != CertificationStatus.REREVIEW:
        raise Conflict(
            _("称号当前状态为「%(status)s」，本次复核已终止。")
            % {"status": certification.get_status_display()}
        )
    return None


def rereview_complete(rereview: ReReview, actor: Any, note: str) -> str | None:
    """The three-year summary, the audit report and a complete self-evaluation are on file."""
    problems = rereview_selectors.rereview_submission_problems(rereview)
    if problems:
        raise InvalidInput(_("复核材料不完整，请补齐后再报送。"), problems)
    return None


def annual_form_set(rereview: ReReview, actor: Any, note: str) -> str | None:
    """The scheme has a 年度运营情况测评表 to score on."""
    if not figures.annual_form_items(rereview.scheme):
        raise InvalidInput(_("该认定办法未设置年度运营情况测评表，无法测评。"))
    return None
