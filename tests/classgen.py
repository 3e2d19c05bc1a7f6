"""A generated class: N student repositories with the beginner mistakes of ``test_mutants``.

``make_class(folder, n)`` writes ``folder/<login>/exercises/*.py`` for ``n``
students and ``folder/roster.csv`` (login, student_id, name): most students
carry 0-3 catalogued mistakes, a pair shares one unusual bug (copied code),
a few are on the roster without a submission, and one submission is not on
the roster. Deterministic for a given seed.

Run as a script to make a class for a look at the report::

    python tests/classgen.py /tmp/class 100
    python -m autograder grade /tmp/class/*/ --roster /tmp/class/roster.csv
"""

from __future__ import annotations

import csv
import random
import sys
from pathlib import Path

sys.path[:0] = [str(Path(__file__).resolve().parent), str(Path(__file__).resolve().parents[1])]  # tests/, the project

from conftest import make_submission  # noqa: E402
from mutation.known import KNOWN as MUTANTS  # noqa: E402

# A wrong answer no catalogued mistake explains (a stray offset), written two ways by a copying pair.
ODD_SSE = [("    if y.ndim == 1:\n        return float(0.5 * np.sum((y - t) ** 2))\n"
            "    batch_size = y.shape[0]\n    return float(0.5 * np.sum((y - t) ** 2) / batch_size)",
            "    if y.ndim == 1:\n        return float(0.5 * np.sum((y - t) ** 2) + 0.0125)\n"
            "    batch_size = y.shape[0]\n    return float(0.5 * np.sum((y - t) ** 2) / batch_size + 0.0125)")]
ODD_SSE_RENAMED = [(old, new.replace("batch_size", "n")) for old, new in ODD_SSE]

FAMILY = "김이박최정강조윤장임한오서신권황안송류홍"
GIVEN = ["민준", "서연", "도윤", "하은", "시우", "지유", "예준", "서윤", "주원", "지아", "하준", "수아", "지호", "채원"]


def roster_rows(n: int, rng: random.Random) -> list[dict]:
    return [{"login": f"student-{i:03d}", "student_id": f"2026{i:05d}",
             "name": rng.choice(FAMILY) + rng.choice(GIVEN)} for i in range(n)]


def make_class(folder: Path, n: int, seed: int = 4, missing: int = 3) -> list[Path]:
    """The submission folders (``n - missing`` on the roster, plus one stranger), and ``folder/roster.csv``."""
    rng = random.Random(seed)
    rows = roster_rows(n, rng)
    submitting = rows[:n - missing]
    paths = []
    for i, row in enumerate(submitting):
        edits: dict[str, list] = {}
        if i < 2:  # the copying pair
            edits["losses.py"] = ODD_SSE if i == 0 else ODD_SSE_RENAMED
        else:
            for mutant in rng.sample(MUTANTS, rng.choice([0, 0, 1, 1, 2, 3])):
                if mutant.file not in edits:
                    edits[mutant.file] = list(mutant.edits)
        paths.append(make_submission(folder / row["login"], replace=edits))
    paths.append(make_submission(folder / "not-on-roster"))
    with open(folder / "roster.csv", "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=["login", "student_id", "name"])
        writer.writeheader()
        writer.writerows(rows)
    return paths


if __name__ == "__main__":
    target, size = Path(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 100
    target.mkdir(parents=True, exist_ok=True)
    print(f"{len(make_class(target, size))} submission folders and roster.csv in {target}")
