"""Per-student deadlines (``grade --extensions FILE``): a CSV of ``login,deadline``.

The login column is found like the roster's (``login``, ``username``,
``github_username``, ...), the deadline column as ``deadline``, ``due`` or
``마감``; each deadline is an ISO 8601 time with its time zone, like
``--deadline`` (``2026-12-04T23:59:59+09:00``). The file may be UTF-8 (with
or without Excel's BOM) or CP949.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

from ..roster import ALIASES, LOGIN, RosterError, decode, normalize_header, normalize_login
from . import CollectError

DEADLINE_COLUMNS = ("deadline", "due", "due_date", "마감", "마감_시각")


def _column(header: list[str], names, path: Path, what: str) -> int:
    normalized = [normalize_header(h) for h in header]
    found = next((normalized.index(n) for n in names if n in normalized), None)
    if found is None:
        raise CollectError(f"마감 연장 파일 {path} 에 {what} 열이 없습니다 (첫 줄: login,deadline)")
    return found


def _deadline(text: str, path: Path, line: int) -> dt.datetime:
    try:
        when = dt.datetime.fromisoformat(text.strip())
    except ValueError:
        when = None
    if when is None or when.tzinfo is None:
        raise CollectError(f"마감 연장 파일 {path} 의 {line}번째 줄: 시간대가 있는 ISO 8601 시각이 아닙니다: {text!r} "
                           "(예: 2026-12-04T23:59:59+09:00)")
    return when


def read_extensions(path: Path) -> dict[str, dt.datetime]:
    """Each student's own deadline by normalised login (CollectError naming the file and line otherwise)."""
    try:
        reader = csv.reader(io.StringIO(decode(path), newline=""))
        header = next(reader, None) or []
        login, due = _column(header, ALIASES["login"], path, "GitHub 아이디"), \
            _column(header, DEADLINE_COLUMNS, path, "마감(deadline)")
        extensions = {}
        for row in reader:
            if not any(cell.strip() for cell in row):
                continue
            name = row[login].strip().lstrip("@") if login < len(row) else ""
            if not LOGIN.fullmatch(name):
                raise CollectError(f"마감 연장 파일 {path} 의 {reader.line_num}번째 줄: GitHub 아이디가 아닙니다: {name!r}")
            extensions[normalize_login(name)] = _deadline(row[due] if due < len(row) else "", path, reader.line_num)
    except RosterError as exc:
        raise CollectError(str(exc).replace("명단", "마감 연장 파일", 1)) from None
    except csv.Error as exc:
        raise CollectError(f"마감 연장 파일 {path} 을(를) 읽을 수 없습니다: {exc}") from None
    return extensions
