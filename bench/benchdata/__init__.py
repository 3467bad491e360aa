"""Synthetic data at real scale for the benchmarks: the ``generate_*`` management commands and one
generator module per app whose tables they fill.

Installed only by ``config.settings.bench`` (what ``bench/run.py`` uses) and ``config.settings.test``
(so the generators' tests run with the suite); never by the base or production settings. The runtime
apps do not import anything from here: the imports go one way, from the generators to the apps."""
