from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from . import figures
from .todos import todos_for


@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    """A constant answer for load balancers (and the ``bare_django`` benchmark)."""
    return HttpResponse(b"ok", content_type="text/plain")


def home(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("core:dashboard")
    return render(request, "core/home.html")


@never_cache
@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """The landing page: the user's to-dos and, for officers, the figures of their scope (read from
    the pre-aggregated table the app holding it registers: ``figures.register_reader``)."""
    return render(
        request,
        "core/dashboard.html",
        {"todos": todos_for(request.user), "panel": figures.panel_for(request.user)},
    )


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """403 page; the refused attempt is audited (who tried to reach what)."""
    from . import audit
    from .models import AuditLog

    message = str(exception) if exception and str(exception) else ""
    audit.record(
        "access.denied",
        actor=request.user,
        summary=f"{request.method} {request.path[:200]}" + (f"：{message}" if message else ""),
        result=AuditLog.Result.DENIED,
    )
    return render(request, "403.html", {"message": message}, status=403)
