"""The mistake catalogue: every key is used by a suite, every docs link points at a real heading."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from autograder.suites.mistakes import MISTAKES
from autograder.suites.support import Failure, fail

ROOT = Path(__file__).resolve().parents[1]
SUITES = ROOT / "autograder" / "suites"


def headings(page: str) -> set[str]:
    from pymdownx.slugs import slugify

    slug = slugify(case="lower")
    text = (ROOT / "docs" / f"{page}.md").read_text(encoding="utf-8")
    return {slug(m.group(1).strip(), "-") for m in re.finditer(r"^#{1,6} (.+)$", text, re.M)}


@pytest.mark.parametrize("key", sorted(MISTAKES))
def test_each_mistake_is_recognised_by_some_suite(key):
    sources = "\n".join(p.read_text(encoding="utf-8") for p in SUITES.rglob("*.py") if p.name != "mistakes.py")
    assert f'"{key}")' in sources, f"no suite fails with mistake {key!r}"


@pytest.mark.parametrize("key", sorted(k for k, m in MISTAKES.items() if m.docs))
def test_each_docs_link_is_a_heading_of_the_site(key):
    page, _, anchor = MISTAKES[key].docs.partition("/#")
    assert (ROOT / "docs" / f"{page}.md").is_file()
    assert anchor in headings(page), f"{MISTAKES[key].docs}: no such heading"


def test_an_unknown_mistake_key_is_a_suite_bug_not_a_silent_label():
    with pytest.raises(KeyError):
        fail("메시지", "no_such_mistake")
    with pytest.raises(Failure) as caught:
        fail("메시지", "forward_difference")
    assert caught.value.mistake == "forward_difference" and str(caught.value) == "메시지"


@pytest.mark.parametrize("key", sorted(MISTAKES))
def test_each_mistake_says_how_the_grader_recognises_it(key):
    """The lecture site's «자주 하는 실수» tables show this (hooks/mistake_tables.py); a table cell holds one line."""
    how = MISTAKES[key].how
    assert how.strip() and "|" not in how and "\n" not in how
