"""Benchmarks (``run.py``, ``batch_*.py``) and the bench-only Django app ``bench.benchdata``.

A package so that ``bench.benchdata`` imports the same way from ``manage.py``, gunicorn and pytest;
the scripts here still run as ``.venv/bin/python bench/<script>.py``."""
