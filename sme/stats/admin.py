from django.contrib import admin

from sme.core.admin import ReadOnlyAdmin

from .models import ScopedFigure


@admin.register(ScopedFigure)
class ScopedFigureAdmin(ReadOnlyAdmin):
    """The figures as last rebuilt (``manage.py rebuild_figures``); never edited by hand."""

    list_display = ("region", "key", "part", "value", "as_of", "rebuilt_at")
    list_filter = ("key",)
    list_select_related = ("region",)
