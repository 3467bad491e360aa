import pytest


@pytest.fixture(autouse=True)
def _fresh_instrument_snapshots():
    """Tests that edit questionnaire rows or level rules roll back their rows, but the per-process
    snapshot cache would keep the edited instrument: start every test from a fresh one."""
    from sme.assessment.selectors import bump_data_version

    bump_data_version()
    yield
    bump_data_version()
