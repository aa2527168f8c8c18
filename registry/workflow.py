"""The labelling procedure (articles 7 to 10) as a table of steps and the statuses they need.

Status is never stored on its own: it is the ``status_after`` of the EPN's latest
status-changing event, so the history is the single source of truth.
"""

from __future__ import annotations

from dataclasses import dataclass

from epn.errors import StepRefused

STATUSES = ("applied", "recommended", "ratified", "rejected", "labelled", "withdrawn")
# How far along the procedure a status is; a COPIL decision either way ranks the same.
_RANK = {
    "applied": 0,
    "recommended": 1,
    "ratified": 2,
    "rejected": 2,
    "labelled": 3,
    "withdrawn": 4,
}
FINAL = ("rejected", "withdrawn")


@dataclass(frozen=True)
class Step:
    event: str
    allowed_from: tuple[str | None, ...]  # None: the EPN is not in the registry yet
    status_after: str | None  # None: status unchanged
    needs_first: str  # the step that must come first, for the refusal message


STEPS = {
    "imported": Step("imported", (None,), None, "import"),
    "applied": Step("applied", (None,), "applied", "apply"),
    "recommended": Step("recommended", ("applied",), "recommended", "apply"),
    "visited": Step("visited", ("applied", "recommended", "ratified", "labelled"), None, "apply"),
    "ratified": Step("ratified", ("recommended",), "ratified", "recommend"),
    "rejected": Step("rejected", ("recommended",), "rejected", "recommend"),
    "signed": Step("signed", ("ratified",), "labelled", "ratify"),
    "withdrawn": Step("withdrawn", ("labelled",), "withdrawn", "sign"),
    # Documents that arrive after the application; none once the file is closed.
    "attached": Step("attached", ("applied", "recommended", "ratified", "labelled"), None, "apply"),
}


def check_step(event: str, epn_id: str, status: str | None) -> Step:
    """The step if it may follow ``status``; otherwise StepRefused naming what comes first."""
    step = STEPS[event]
    if status in step.allowed_from:
        return step
    if status is None:
        raise StepRefused("step_unknown_epn", epn_id=epn_id)
    if status in FINAL:
        raise StepRefused(f"step_after_{status}", epn_id=epn_id, step=event)
    if None in step.allowed_from:
        raise StepRefused("step_already_registered", epn_id=epn_id, status=status)
    if step.status_after and _RANK[status] >= _RANK[step.status_after]:
        raise StepRefused("step_already_done", epn_id=epn_id, step=event, status=status)
    raise StepRefused(f"step_needs_{step.needs_first}", epn_id=epn_id, step=event, status=status)
