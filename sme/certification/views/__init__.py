"""Pages of certification, one module per seam: :mod:`.applications`, :mod:`.reviews`,
:mod:`.notices`, :mod:`.titles`, :mod:`.rereviews`, :mod:`.spot_checks`, :mod:`.register` (public),
:mod:`.schemes`, :mod:`.selfcheck` (public) and :mod:`.documents`. The API is ``api.py``."""
