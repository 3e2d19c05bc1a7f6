"""The mutation run's summary: per exercise, and the score as the README states it."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from autograder.catalog import EXERCISES


@dataclass(frozen=True)
class Summary:
    total: Counter  # exercise -> mutants
    killed: Counter
    equivalent: Counter  # listed equivalents that survived
    survivors: list  # (Mutant, Outcome) that survived and are not listed
    listed_but_killed: list  # listed equivalents the suites kill now (remove them from the list)

    @property
    def ok(self) -> bool:
        return not self.survivors and not self.listed_but_killed


def summarise(mutants, outcomes, equivalent_keys) -> Summary:
    total, killed, equivalent = Counter(), Counter(), Counter()
    survivors, listed_but_killed = [], []
    for mutant, outcome in zip(mutants, outcomes):
        total[mutant.exercise] += 1
        listed = mutant.key in equivalent_keys
        if outcome.killed:
            killed[mutant.exercise] += 1
            if listed:
                listed_but_killed.append(mutant)
        elif listed:
            equivalent[mutant.exercise] += 1
        else:
            survivors.append((mutant, outcome))
    return Summary(total, killed, equivalent, survivors, listed_but_killed)


def percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "–"


def render(summary: Summary) -> str:
    """Markdown table and score line (Korean, for the README)."""
    rows = ["| 과제 | 돌연변이 | 점수를 잃음 | 동등 (목록) | 설명 없이 살아남음 |", "|---|---:|---:|---:|---:|"]
    for name in [e.name for e in EXERCISES] + ["합계"]:
        pick = (lambda c: sum(c.values())) if name == "합계" else (lambda c: c[name])
        survived = sum(1 for m, _ in summary.survivors if name in ("합계", m.exercise))
        rows.append(f"| {name} | {pick(summary.total)} | {pick(summary.killed)} | {pick(summary.equivalent)} "
                    f"| {survived} |")
    total, killed, equivalent = (sum(c.values()) for c in (summary.total, summary.killed, summary.equivalent))
    return ("\n".join(rows) + "\n\n"
            f"돌연변이 점수(숨은 테스트만으로): 동등한 돌연변이 {equivalent}개를 빼면 {killed}/{total - equivalent} = "
            f"**{percent(killed, total - equivalent)}**, 빼지 않으면 {killed}/{total} = {percent(killed, total)}.\n")
