from typing import Any

from django.conf import settings
from django.http import HttpRequest


def platform(request: HttpRequest) -> dict[str, Any]:
    """Values every page needs: the platform's name and the navigation for the user's role."""
    from sme.core.navigation import menu_for

    return {
        "PLATFORM_NAME": settings.PLATFORM_NAME,
        "nav_items": menu_for(request),
    }
