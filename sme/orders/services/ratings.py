"""Ratings: the ordering enterprise rates a completed order (once, within 30 days), the provider
replies (once), and the officers covering the provider's district hide a rating or a reply after a
report (``sme.moderation`` calls these). The service's rating columns and the provider's yearly
figures follow every change."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import transaction
from django.db.models import Avg, Count, F, FloatField
from django.db.models.functions import Cast
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sme.catalog.services import service_ratings_set
from sme.core import audit, clock, parsing
from sme.core.errors import Conflict, InvalidInput, NotAllowed
from sme.core.messages import msg
from sme.organizations.models import MANAGING_ROLES
from sme.organizations.permissions import organization_people

from .. import figures
from ..deadlines import rating_deadline
from ..models import Order, OrderStatus, Rating
from ..permissions import covers_provider_district, member_role
from ..pricing import CENT, refusal
from .telling import tell

MAX_TEXT = 2000
STAR_LABELS = {
    "quality": gettext_lazy("服务质量"),
    "timeliness": gettext_lazy("及时性"),
    "attitude": gettext_lazy("服务态度"),
}


def recount_service_ratings(service_id: int | None) -> None:
    """The service's visible rating count and average stars, recounted (one indexed aggregate) and
    handed to the catalogue's listing."""
    if service_id is None:
        return
    stars = Cast(F("quality") + F("timeliness") + F("attitude"), FloatField()) / 3.0
    row = Rating.objects.filter(service_id=service_id, is_hidden=False).aggregate(
        n=Count("id"), avg=Avg(stars)
    )
    average = None if row["avg"] is None else Decimal(str(row["avg"])).quantize(CENT, ROUND_HALF_UP)
    service_ratings_set(service_id=service_id, count=row["n"], average=average)


def _ratings_changed(rating: Rating, order: Order) -> None:
    recount_service_ratings(rating.service_id)
    if order.completed_at is not None:
        figures.refresh_provider_year(order.provider_id, figures.completion_year(order.completed_at))


def _stars(data: dict[str, Any], problems: parsing.Problems) -> dict[str, int]:
    """Each of the three marks, 1 to 5 stars (a JSON ``true`` is not a number of stars either)."""
    values: dict[str, int] = {}
    for field, label in STAR_LABELS.items():
        number = parsing.integer(
            data[field], field, problems, label=label, minimum=1, maximum=5, required=True, unit=_("星")
        )
        if number is not None:
            values[field] = number
    return values


@transaction.atomic
def order_rate(
    *,
    actor: Any,
    order: Order,
    quality: Any,
    timeliness: Any,
    attitude: Any,
    satisfied: bool,
    comment: str = "",
) -> Rating:
    """The ordering enterprise rates a completed order: once, within 30 days of completion."""
    if member_role(actor, order.enterprise_id) is None:
        raise NotAllowed(_("只有下单企业的成员可以评价该订单。"))
    order = Order.objects.select_for_update().get(pk=order.pk)
    if order.status != OrderStatus.COMPLETED:
        raise InvalidInput(_("订单完成后才能评价。"))
    if Rating.objects.filter(order=order).exists():
        raise Conflict(_("该订单已经评价过，每个订单只能评价一次。"))
    deadline = rating_deadline(order)
    if deadline is not None and clock.today() > deadline:
        raise InvalidInput(
            _("评价期限已过：订单完成后30日内可以评价，截止日为%(date)s。")
            % {"date": date_format(deadline, "DATE_FORMAT")}
        )
    problems = parsing.Problems()
    stars = _stars({"quality": quality, "timeliness": timeliness, "attitude": attitude}, problems)
    if not isinstance(satisfied, bool):
        problems.add("satisfied", _("请选择是否满意。"))
    comment = (comment or "").strip()
    if len(comment) > MAX_TEXT:
        problems.add("comment", _("评价内容不能超过2000字。"))
    if problems:
        raise refusal(problems)
    rating = Rating.objects.create(
        order=order,
        enterprise_id=order.enterprise_id,
        provider_id=order.provider_id,
        service_id=order.service_id,
        satisfied=satisfied,
        comment=comment,
        rated_by=actor,
        **stars,
    )
    audit.record(
        "order.rate",
        actor=actor,
        obj=rating,
        summary=msg(
            "评价订单%(number)s：质量%(q)s星、及时性%(t)s星、态度%(a)s星，%(s)s",
            number=order.number,
            q=stars["quality"],
            t=stars["timeliness"],
            a=stars["attitude"],
            s=msg("满意") if satisfied else msg("不满意"),
        ),
    )
    _ratings_changed(rating, order)
    tell(
        organization_people(order.provider_id, managers_only=True),
        order,
        title=msg("订单%(number)s收到评价", number=order.number),
        body=comment,
    )
    return rating


@transaction.atomic
def rating_reply(*, actor: Any, rating: Rating, reply: str) -> Rating:
    """A manager of the rated provider replies to the rating, once."""
    if member_role(actor, rating.provider_id) not in MANAGING_ROLES:
        raise NotAllowed(_("只有服务机构负责人或管理员可以回复评价。"))
    reply = (reply or "").strip()
    if not reply:
        raise InvalidInput(_("请填写回复内容。"), {"reply": [_("必填")]})
    if len(reply) > MAX_TEXT:
        raise InvalidInput(_("回复内容不能超过2000字。"), {"reply": [_("过长")]})
    changed = Rating.objects.filter(pk=rating.pk, reply="").update(
        reply=reply, replied_by=actor, replied_at=clock.now()
    )
    if not changed:
        raise Conflict(_("该评价已经回复过，每条评价只能回复一次。"))
    rating.refresh_from_db()
    audit.record("order.rating_reply", actor=actor, obj=rating, summary=msg("回复评价：%(r)s", r=reply[:200]))
    tell(
        organization_people(rating.enterprise_id, managers_only=False),
        rating.order,
        title=msg("服务机构回复了您的评价"),
        body=reply,
    )
    return rating


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(_("请填写理由。"), {"reason": [_("必填")]})
    return reason


def _moderate(*, actor: Any, rating: Rating, reason: str, hide: bool) -> Rating:
    order = Order.objects.only("pk", "provider_id", "provider_district_id", "completed_at").get(
        pk=rating.order_id
    )
    if not covers_provider_district(actor, order.provider_district_id):
        raise NotAllowed(_("只有服务机构所在区县或市级主管部门可以屏蔽评价。"))
    reason = _reason(reason)
    changed = Rating.objects.filter(pk=rating.pk, is_hidden=not hide).update(
        is_hidden=hide, hidden_reason=reason if hide else ""
    )
    if not changed:
        raise Conflict(_("该评价已被屏蔽。") if hide else _("该评价当前未被屏蔽。"))
    rating.refresh_from_db()
    audit.record(
        "order.rating_hide" if hide else "order.rating_unhide",
        actor=actor,
        obj=rating,
        summary=msg("屏蔽评价：%(r)s", r=reason[:200])
        if hide
        else msg("恢复显示评价：%(r)s", r=reason[:200]),
        changes={"is_hidden": [not hide, hide]},
    )
    _ratings_changed(rating, order)
    return rating


@transaction.atomic
def rating_hide(*, actor: Any, rating: Rating, reason: str) -> Rating:
    """An officer covering the provider's district (or city/admin) hides a rating, with a reason."""
    return _moderate(actor=actor, rating=rating, reason=reason, hide=True)


@transaction.atomic
def rating_unhide(*, actor: Any, rating: Rating, reason: str) -> Rating:
    """Show a hidden rating again (same officers), with a reason."""
    return _moderate(actor=actor, rating=rating, reason=reason, hide=False)


@transaction.atomic
def rating_reply_hide(*, actor: Any, rating: Rating, reason: str) -> Rating:
    """Hide the provider's reply to a rating (the rating itself stays), with a reason; the same officers
    as :func:`rating_hide`. The figures do not change: a reply is not part of them."""
    provider_district_id = Order.objects.values_list("provider_district_id", flat=True).get(
        pk=rating.order_id
    )
    if not covers_provider_district(actor, provider_district_id):
        raise NotAllowed(_("只有服务机构所在区县或市级主管部门可以屏蔽回复。"))
    reason = _reason(reason)
    if not rating.reply:
        raise InvalidInput(_("该评价没有机构回复。"))
    changed = Rating.objects.filter(pk=rating.pk, reply_hidden=False).update(
        reply_hidden=True, reply_hidden_reason=reason
    )
    if not changed:
        raise Conflict(_("该回复已被屏蔽。"))
    rating.refresh_from_db()
    audit.record(
        "order.rating_reply_hide",
        actor=actor,
        obj=rating,
        summary=msg("屏蔽机构回复：%(r)s", r=reason[:200]),
        changes={"reply_hidden": [False, True]},
    )
    return rating
