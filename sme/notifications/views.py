from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from sme.core.pagination import paginate

from .selectors import inbox
from .services import notification_mark_read


@login_required
def inbox_view(request: HttpRequest) -> HttpResponse:
    page = paginate(inbox(request.user), request.GET.get("page"))
    return render(request, "notifications/inbox.html", {"page": page})


@login_required
@require_POST
def mark_all_read(request: HttpRequest) -> HttpResponse:
    notification_mark_read(actor=request.user)
    return redirect("notifications:inbox")
