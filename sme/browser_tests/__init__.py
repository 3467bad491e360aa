"""End-to-end tests in a real Chromium (Playwright), run by ``make test-browser``; deselected otherwise."""
