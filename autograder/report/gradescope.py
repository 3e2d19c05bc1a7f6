"""Gradescope's ``results.json`` for one submission (autograder specification)."""

from __future__ import annotations


def gradescope_results(result: dict) -> dict:
    tests, number = [], 0
    for exercise in result["exercises"]:
        for test in exercise["tests"]:
            number += 1
            tests.append({
                "name": f"{exercise['name']}: {test['title']}",
                "number": str(number),
                "score": test["score"],
                "max_score": test["max_score"],
                "status": "passed" if test["status"] == "passed" else "failed",
                "output": test["message"],
                "visibility": "visible" if test["visibility"] == "public" else "hidden",
                "tags": [exercise["name"], test["name"]],
            })
    return {
        "score": result["score"],
        "execution_time": result["elapsed"],
        "output": f"총점 {result['score']} / {result['max_score']}",
        "visibility": "visible",
        "stdout_visibility": "hidden",
        "tests": tests,
    }
