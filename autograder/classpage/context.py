"""Who is who in the class report: student numbers and names by submission, and the lecture site's address."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Mapping

#: (student number, name) by submission name: a mapping, a function returning None for someone unknown, or None.
People = Mapping[str, tuple[str, str]] | Callable[[str], "tuple[str, str] | None"] | None


def people_lookup(people: People) -> Callable[[str], "tuple[str, str] | None"]:
    """A function from submission name to (student number, name), from a mapping or a function."""
    if people is None:
        return lambda name: None
    if isinstance(people, Mapping):
        return people.get
    return people


def people_from_roster(roster) -> Callable[[str], "tuple[str, str] | None"] | None:
    """(student number, name) by submission name from a roster with ``find(login)``, or None without one."""
    if roster is None:
        return None

    def lookup(name: str):
        student = roster.find(name)
        return (str(student.student_id), str(student.name)) if student is not None else None

    return lookup


@dataclass(frozen=True)
class Context:
    """What every section needs besides the results."""

    who: Callable[[str], "tuple[str, str] | None"]
    docs_url: str | None
    has_people: bool

    def person(self, name: str) -> str:
        """How a submission is named in running text: '20231234 홍길동 (login)' or just the login."""
        known = self.who(name)
        return f"{known[0]} {known[1]} ({name})" if known else name
