"""The annual report form's logic: its steps (one per sheet of the standard), the problems
of each step as the workbook's check reports them, and where each one falls in the form.

The form's content holds the standard's codes (``reporting.entry.report_workbook``
describes it); labels are the page's business.
"""

from __future__ import annotations

from dataclasses import dataclass

from epn.i18n import t
from epn.records import Problem
from epn.standard import AUDIENCE_CATEGORIES
from reporting.entry.checks import report_problems

STEPS = ("epn", "staff", "activities", "audience", "cooperation", "narrative")
LISTS = ("staff", "activities", "cooperation")  # steps of one record per row


@dataclass(frozen=True)
class StepProblem:
    step: str
    where: str  # « Personne 2 — Rôle », « Âge — 65 ans et plus », « Postes de travail »
    message: str


def step_title(step: str, lang: str) -> str:
    return t(f"sheet.{step}", lang)


def code_label(code: str, lang: str) -> str:
    return t(f"template.code.{code}", lang)


def audience_rows() -> list[tuple[str, str]]:
    """(dimension, category) in the order of the workbook's audience sheet (row 2 first)."""
    return [(d, c) for d, categories in AUDIENCE_CATEGORIES.items() for c in categories]


def problems_by_step(content: dict, epn_id: str, year: int, lang: str) -> dict[str, list]:
    """Every problem of the report the form holds, as {step: [StepProblem]}."""
    found: dict[str, list[StepProblem]] = {step: [] for step in STEPS}
    for problem in report_problems(content, epn_id, year):
        step = problem.sheet if problem.sheet in found else "epn"
        found[step].append(StepProblem(step, place(problem, step, lang), problem.message(lang)))
    return found


def place(problem: Problem, step: str, lang: str) -> str:
    """Where the problem is, as the form shows it."""
    column = t(f"header.{problem.column}", lang) if problem.column else ""
    if step in LISTS and problem.row is not None and problem.row >= 2:
        line = t("app.report_form.line", lang, number=problem.row - 1)
        return f"{line} — {column}" if column else line
    if step == "audience" and problem.row is not None and problem.row >= 2:
        rows = audience_rows()
        if problem.row - 2 < len(rows):
            dimension, category = rows[problem.row - 2]
            return f"{code_label(dimension, lang).capitalize()} — {code_label(category, lang)}"
    return column or step_title(step, lang)
