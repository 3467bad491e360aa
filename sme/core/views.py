from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

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
    return render(request, "core/dashboard.html", {"todos": todos_for(request.user)})
