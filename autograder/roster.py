"""The class roster: who the GitHub logins (submission folder names) are.

:func:`read_roster` reads either Classroom 50's ``roster.csv`` (columns
``username,first_name,last_name,email,section,github_id,role``, any extra
columns after them, e.g. a ``student_id`` the instructor added) or a plain
``login,student_id,name`` file. Headers are matched case-insensitively and
through common aliases (``github_username``, ``username``, ``학번``,
``이름``, ``분반``, ...). The file may be UTF-8 with or without the BOM Excel
writes, or CP949/EUC-KR as Korean Excel saves "CSV".

A row without a login is skipped (Classroom 50 keeps a pending e-mail
invitation as such a row); its line number is kept in
:attr:`Roster.skipped`. So is a row whose ``role`` is ``teacher`` or ``ta``
(Classroom 50 records the classroom's staff there): its login is kept in
:attr:`Roster.staff`. A login that is not a GitHub login, or a login seen
twice, is a :class:`RosterError` naming the file and the line.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Iterable

#: A GitHub login: letters, digits and hyphens, not starting with a hyphen, at most 39 characters.
LOGIN = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})")
#: Each field and the (normalised) header names that hold it, in order of preference.
ALIASES = {
    "login": ("username", "github_username", "login", "github_login", "github", "github_user", "깃허브_아이디",
              "github_아이디"),
    "student_id": ("student_id", "student_number", "학번", "sis_user_id", "id_number", "idnumber"),
    "name": ("name", "full_name", "student_name", "이름", "성명"),
    "email": ("email", "email_address", "e-mail", "이메일", "전자우편"),
    "section": ("section", "분반", "반"),
    "role": ("role", "역할"),
}
#: Classroom 50's roles that are not students.
STAFF_ROLES = ("teacher", "ta")
FIRST_NAME = ("first_name", "given_name", "firstname")
LAST_NAME = ("last_name", "family_name", "surname", "lastname")
ENCODINGS = ("utf-8-sig", "cp949")  # cp949 is a superset of EUC-KR
FORMULA_TRIGGERS = "=+-@\t\r"
HANGUL = re.compile(r"[\uac00-\ud7a3]")


class RosterError(ValueError):
    """The roster cannot be used; the (Korean) message names the file and, for a bad row, the line."""


@dataclass(frozen=True)
class Student:
    """One student of the roster; everything but the login may be empty."""

    login: str
    student_id: str = ""
    name: str = ""
    email: str = ""
    section: str = ""

    @property
    def label(self) -> str:
        """``login (학번 이름)`` for console messages."""
        extra = " ".join(x for x in (self.student_id, self.name) if x)
        return f"{self.login} ({extra})" if extra else self.login


@dataclass(frozen=True)
class Roster:
    """The students of a roster file, in file order, each login once."""

    students: tuple[Student, ...]
    path: str = ""
    skipped: tuple[int, ...] = field(default=(), compare=False)  # line numbers of rows without a login
    staff: tuple[str, ...] = field(default=(), compare=False)  # logins of rows whose role is teacher or ta

    @cached_property
    def _by_login(self) -> dict[str, Student]:
        return {normalize_login(s.login): s for s in self.students}

    def find(self, login: str) -> Student | None:
        """The student with GitHub login ``login`` (case-insensitive, a leading ``@`` ignored), or None."""
        return self._by_login.get(normalize_login(login))

    @property
    def logins(self) -> list[str]:
        return [s.login for s in self.students]

    def not_on_roster(self, names: Iterable[str]) -> list[str]:
        """The ``names`` (submission folder names) that are no student's login, in order."""
        return [name for name in names if self.find(name) is None]

    def absent(self, names: Iterable[str]) -> list[Student]:
        """The students whose login is none of ``names``, in roster order."""
        present = {normalize_login(n) for n in names}
        return [s for s in self.students if normalize_login(s.login) not in present]


def normalize_login(login: str) -> str:
    return login.strip().lstrip("@").lower()


def normalize_header(name: str | None) -> str:
    return re.sub(r"[\s_]+", "_", (name or "").strip().lstrip("\ufeff").lower())


def undefang(cell: str) -> str:
    """Classroom 50 writes ``'=...`` for a cell starting with a formula trigger; read it back as ``=...``."""
    return cell[1:] if len(cell) >= 2 and cell[0] == "'" and cell[1] in FORMULA_TRIGGERS else cell


def defang(cell):
    """A text cell as a spreadsheet must show it, never run it: one starting with a formula trigger gets a
    leading ``'`` (what Classroom 50 writes; :func:`undefang` reads it back). Names and e-mails come from
    students' own profiles, so every CSV the grader writes passes its cells through this."""
    return "'" + cell if isinstance(cell, str) and cell and cell[0] in FORMULA_TRIGGERS else cell


def decode(path: Path) -> str:
    """The text of ``path``: UTF-8 (with or without BOM), else CP949/EUC-KR."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise RosterError(f"명단 {path} 을(를) 읽을 수 없습니다: {exc.strerror or exc}") from None
    for encoding in ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise RosterError(f"명단 {path} 을(를) 읽을 수 없습니다: UTF-8도 CP949(EUC-KR)도 아닌 글자가 있습니다 "
                      "(엑셀에서 'CSV UTF-8'로 다시 저장하세요)")


def find_columns(header: list[str]) -> dict[str, int]:
    """Column index of each field (``login``, ``student_id``, ... and ``first_name``/``last_name``) found."""
    names = [normalize_header(h) for h in header]
    columns = {}
    for key, aliases in {**ALIASES, "first_name": FIRST_NAME, "last_name": LAST_NAME}.items():
        index = next((names.index(a) for a in aliases if a in names), None)
        if index is not None:
            columns[key] = index
    return columns


def full_name(first: str, last: str) -> str:
    """Korean order (family name first, no space) for Hangul names, "First Last" otherwise."""
    if first and last and HANGUL.search(first + last):
        return f"{last}{first}"
    return " ".join(x for x in (first, last) if x)


def _cell(row: list[str], columns: dict[str, int], key: str) -> str:
    index = columns.get(key)
    return undefang(row[index]).strip() if index is not None and index < len(row) else ""


def student_from_row(row: list[str], columns: dict[str, int]) -> Student:
    name = _cell(row, columns, "name") or full_name(_cell(row, columns, "first_name"), _cell(row, columns, "last_name"))
    return Student(_cell(row, columns, "login").lstrip("@"), _cell(row, columns, "student_id"), name,
                   _cell(row, columns, "email"), _cell(row, columns, "section"))


def _rows(path: Path, text: str):
    """(line number, cells) of every record after the header, and the header."""
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, None)
        if header is None:
            raise RosterError(f"명단 {path} 이(가) 비어 있습니다 (첫 줄은 열 이름이어야 합니다)")
        rows = []
        for row in reader:
            rows.append((reader.line_num, row))
    except csv.Error as exc:
        raise RosterError(f"명단 {path} 의 {reader.line_num}번째 줄을 읽을 수 없습니다: {exc}") from None
    return header, rows


def read_roster(path: Path) -> Roster:
    """The roster in ``path`` (see the module docstring); :class:`RosterError` if it cannot be used."""
    header, rows = _rows(path, decode(path))
    columns = find_columns(header)
    if "login" not in columns:
        raise RosterError(f"명단 {path} 에 GitHub 아이디 열이 없습니다 (login, github_username 또는 username; "
                          "첫 줄이 열 이름이어야 합니다)")
    students, seen, skipped, staff = [], {}, [], []
    for line, row in rows:
        if not any(cell.strip() for cell in row):
            continue
        student = student_from_row(row, columns)
        if not student.login:
            skipped.append(line)
            continue
        if _cell(row, columns, "role").lower() in STAFF_ROLES:
            staff.append(student.login)
            continue
        if not LOGIN.fullmatch(student.login):
            raise RosterError(f"명단 {path} 의 {line}번째 줄: GitHub 아이디가 아닙니다: {student.login!r}")
        key = normalize_login(student.login)
        if key in seen:
            raise RosterError(f"명단 {path} 의 {line}번째 줄: 아이디 {student.login!r} 이(가) {seen[key]}번째 줄에도 "
                              "있습니다 (GitHub 아이디는 대소문자를 구별하지 않습니다)")
        seen[key] = line
        students.append(student)
    return Roster(tuple(students), str(path), tuple(skipped), tuple(staff))
