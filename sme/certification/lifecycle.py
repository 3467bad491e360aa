"""Kept for ``sme.catalog.selectors``, which imports ``IN_FORCE`` from here: after certification now
lives in ``models.titles``, ``selectors.titles``/``rereviews``, ``services.titles``/``summaries``/
``rereviews``/``spot_checks`` and ``daily``. Remove once catalog imports ``sme.certification.models``."""

from .models import IN_FORCE

__all__ = ["IN_FORCE"]
