"""Headless Chromium for the browser tests and the README's screenshot: Debian's /usr/bin/chromium, driven by Playwright.

Playwright's Python package drives the system's browser (no browser is
downloaded; ``fonts-nanum`` gives it Korean glyphs). Without either, a browser
test skips, except when CI=true, where it fails (:func:`unavailable`). The
fixtures ``playwright_api`` and ``browser`` (tests/conftest.py) start it.
"""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]


def unavailable(reason: str):
    """Skip the test, or fail it when CI=true (CI installs everything a browser test needs)."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI=true but {reason}: .ci/run installs chromium and fonts-nanum, nox the playwright package")
    pytest.skip(f"{reason}; CI runs this test")


def require() -> None:
    """Playwright's Python package and Chromium are both here (else :func:`unavailable`)."""
    if importlib.util.find_spec("playwright") is None:
        unavailable("Playwright's Python package is missing")
    if not CHROMIUM.is_file():
        unavailable(f"{CHROMIUM} is missing (apt-get install chromium)")


def launch(playwright):
    """Chromium started headless by ``playwright`` (a ``sync_playwright()`` context)."""
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
