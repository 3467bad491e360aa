"""Reads of certification records, one module per seam, always within the caller's scope:
:mod:`.applications`, :mod:`.reviews`, :mod:`.notices`, :mod:`.titles`, :mod:`.rereviews` (re-reviews
and spot checks), :mod:`.register` (public) and :mod:`.schemes` (public). Callers import the seam
module."""
