"""The hidden-material scanner reads each solution's expressions as :func:`ast.get_source_segment` does."""

from __future__ import annotations

import ast

import pytest

from autograder.grade.hidden import LINE, SOLUTIONS, STANDINS, source_segment

EDGE_CASES = ["x = 'é' + f(a,\r\n  b)\rz = 1\n", "a = (1 +\n 2)", "값 = '한글' * 3  # 주석\n", "y = [\n  1,\n  2]"]


def segments(source: str):
    lines = [line.encode("utf-8") for line in LINE.findall(source)]
    return [(source_segment(lines, node), ast.get_source_segment(source, node))
            for node in ast.walk(ast.parse(source)) if isinstance(node, (ast.expr, ast.stmt))]


@pytest.mark.parametrize("path", sorted(SOLUTIONS.glob("*.py")) + sorted(STANDINS.glob("*.py")), ids=lambda p: p.name)
def test_every_segment_of_the_checkouts_code_is_the_same(path):
    pairs = segments(path.read_text(encoding="utf-8"))
    assert pairs and all(ours == theirs for ours, theirs in pairs)


@pytest.mark.parametrize("source", EDGE_CASES)
def test_line_ends_and_non_ascii_text_cut_the_same(source):
    assert all(ours == theirs for ours, theirs in segments(source))
