"""Kept for ``sme.catalog.views``, which imports ``platform_key`` from here: the public pages are now
``views.register`` and ``views.notices``. Remove once catalog imports ``selectors.register``."""

from .selectors.register import platform_key

__all__ = ["platform_key"]
