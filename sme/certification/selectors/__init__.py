"""Reads of certification records, one module per seam, always within the caller's scope:
:mod:`.applications`, :mod:`.reviews`, :mod:`.notices`, :mod:`.titles`, :mod:`.rereviews` (re-reviews
and spot checks), :mod:`.register` (public) and :mod:`.schemes` (public).

Callers import the seam module. ``certified_provider_ids`` is also named here for the apps that
import it from ``sme.certification.selectors`` (catalog, demands).
"""

from .titles import certified_provider_ids

__all__ = ["certified_provider_ids"]
