"""Browser fixtures live in tests/conftest.py (one Playwright instance per session)."""
