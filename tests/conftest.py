"""Shared helpers: build submission folders from the reference or the stubs; the site built once per run.

Tests never touch the checkout's ``grading-output/`` (the README's quick start
fills it): command-line runs start in :data:`SCRATCH` unless a test gives its
own folder, and :func:`checkout_output_untouched` fails the run if any test
changed that folder anyway.
"""

from __future__ import annotations

import atexit
import html
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

import chromium
from autograder.grade.engine import Grader
from autograder.protocol import Limits

ROOT = Path(__file__).resolve().parents[1]
SOLUTIONS = ROOT / "solutions"
EXERCISES = ROOT / "exercises"
FAST = Limits(call_timeout=2.0, submission_timeout=60.0)
#: Where command-line runs start unless a test says otherwise: a relative path there is never the checkout's.
SCRATCH = Path(tempfile.mkdtemp(prefix="autograder-tests-"))
atexit.register(shutil.rmtree, SCRATCH, True)
#: The instructor's folders in the checkout that no test may write.
USER_FOLDERS = (ROOT / "grading-output",)


def _listing(folder: Path) -> dict[str, tuple[int, int]]:
    """Every file under ``folder`` with its size and modification time (empty when there is no folder)."""
    return {p.relative_to(folder).as_posix(): (p.stat().st_size, p.stat().st_mtime_ns)
            for p in folder.rglob("*") if p.is_file()} if folder.is_dir() else {}


@pytest.fixture(scope="session", autouse=True)
def checkout_output_untouched():
    """The checkout's grading-output/ is the same after the run as before it (a failure names the files)."""
    before = {folder: _listing(folder) for folder in USER_FOLDERS}
    yield
    for folder, listing in before.items():
        after = _listing(folder)
        changed = sorted(set(after) ^ set(listing) | {k for k in after if k in listing and after[k] != listing[k]})
        assert not changed, f"a test wrote into the checkout's {folder}: {changed[:10]}"


@pytest.fixture(scope="module")
def playwright_api():
    """Playwright, once Chromium and the package are known to be here (else skip, or fail when CI=true)."""
    chromium.require()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="module")
def browser(playwright_api):
    """Headless Chromium, shared by the tests of one module (the lecture site's and the class report's)."""
    browser = chromium.launch(playwright_api)
    yield browser
    browser.close()


def build_site(out: Path) -> Path:
    """``mkdocs build --strict`` into ``out``; skips without mkdocs unless CI=true."""
    try:
        import mkdocs  # noqa: F401
    except ImportError as exc:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true but mkdocs is not installed ({exc}): install the docs extra")
        pytest.skip(f"mkdocs is not installed ({exc}); nox -s tests installs it")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    run = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(out)],
                         cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, f"mkdocs build --strict failed:\n{run.stdout[-2000:]}\n{run.stderr[-4000:]}"
    return out


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The lecture site, built once per test run (``mkdocs build --strict``) for every test that reads it."""
    return build_site(tmp_path_factory.mktemp("site"))


def run_cli(*args, cwd: Path | None = None, env: dict | None = None, columns: int = 120,
            timeout: float = 300) -> subprocess.CompletedProcess:
    """``python -m autograder ARGS`` with the checkout's package, started in ``cwd`` (default :data:`SCRATCH`)."""
    env = {**os.environ, "COLUMNS": str(columns), "PYTHONPATH": str(ROOT), **(env or {})}
    return subprocess.run([sys.executable, "-m", "autograder", *map(str, args)], cwd=cwd or SCRATCH,
                          capture_output=True, text=True, timeout=timeout, env=env)


def rendered(markdown: str) -> str:
    """The text a Markdown page shows (GitHub's CommonMark with strikethrough), tags and entities undone."""
    from markdown_it import MarkdownIt  # rich's own Markdown parser

    page = MarkdownIt("commonmark").enable("strikethrough").render(markdown)
    return html.unescape(re.sub(r"<[^>]+>", "", page))


def check_jsonschema(*paths: Path) -> subprocess.CompletedProcess:
    """Validate GitHub workflow files against the schema check-jsonschema ships."""
    return subprocess.run([sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.github-workflows",
                           *map(str, paths)], capture_output=True, text=True, timeout=120)


def make_submission(folder: Path, base: str = "solutions", replace: dict | None = None,
                    files: dict | None = None) -> Path:
    """A student's repository: ``exercises/`` copied from ``base`` ("solutions" or
    "exercises"), then ``replace`` = {file: [(old, new), ...]} applied (each old
    text must occur) and ``files`` = {relative path: text} written."""
    target = folder / "exercises"
    target.mkdir(parents=True, exist_ok=True)
    for source in sorted((ROOT / base).glob("*.py")):
        shutil.copyfile(source, target / source.name)
    for name, edits in (replace or {}).items():
        path = target / name
        text = path.read_text(encoding="utf-8")
        for old, new in edits:
            assert old in text, f"{name}: {old!r} not found (did the reference change?)"
            text = text.replace(old, new)
        path.write_text(text, encoding="utf-8")
    for rel, text in (files or {}).items():
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return folder


SSE_BODY = "    y = np.asarray(y, dtype=float)\n    t = np.asarray(t, dtype=float)\n    if y.ndim == 1:"


def sse_prefix(code: str) -> dict:
    """The reference, with ``code`` run at the start of sum_squared_error."""
    indented = "".join(f"    {line}\n" for line in code.strip().splitlines())
    return {"replace": {"losses.py": [(SSE_BODY, indented + SSE_BODY)]}}


def build(folder: Path, spec: dict) -> Path:
    """A submission from a spec: :func:`make_submission`'s arguments, plus ``prepend`` = {file: code put
    at its top}."""
    spec = dict(spec)
    prepend = spec.pop("prepend", {})
    path = make_submission(folder, **spec)
    for name, code in prepend.items():
        file = path / "exercises" / name
        file.write_text(code + file.read_text(encoding="utf-8"), encoding="utf-8")
    return path


def failing(result: dict) -> dict[str, dict]:
    """Tests that did not pass, by name."""
    return {t.name: t for e in result.exercises for t in e.tests if t.status != "passed"}


def scores(result: dict) -> dict[str, int]:
    return {e.name: e.score for e in result.exercises}


@pytest.fixture
def listener():
    """A UDP port on 127.0.0.1 that confined student code tries to reach; afterwards it must have received nothing."""
    udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    udp.bind(("127.0.0.1", 0))
    udp.setblocking(False)
    yield udp.getsockname()[1]
    try:
        received = udp.recv(100)
    except BlockingIOError:
        received = None
    udp.close()
    assert received is None, f"the listener received {received!r}"


@pytest.fixture(scope="session")
def grader():
    with Grader(limits=FAST) as g:
        yield g
