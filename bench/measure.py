"""A benchmark's result: a figure, its unit and the naive baseline's figure beside it."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field


@dataclass
class Measure:
    name: str
    value: float
    unit: str  # "rows/s" (higher is better) or "s" (lower is better)
    baseline: float | None = None
    details: dict = field(default_factory=dict)
    breakdown: bool = False  # a part of the measure above it, indented in the table

    @property
    def higher_is_better(self) -> bool:
        return self.unit.endswith("/s")

    @property
    def ratio(self) -> float | None:
        """How many times better than the baseline (>1 is faster)."""
        if not self.baseline or not self.value:
            return None
        return self.value / self.baseline if self.higher_is_better else self.baseline / self.value

    def line(self) -> str:
        shown = fmt(self.value, self.unit)
        if self.baseline is None:
            return f"{self.name}: {shown}"
        return f"{self.name}: {shown} (baseline {fmt(self.baseline, self.unit)}, ×{self.ratio:.1f})"

    def to_dict(self) -> dict:
        return {
            **asdict(self),
            "ratio": self.ratio,
            "higher_is_better": self.higher_is_better,
            "line": self.line(),
        }


def fmt(value: float, unit: str) -> str:
    if unit == "s":
        return f"{value:,.2f} s" if value < 100 else f"{value:,.0f} s"
    return f"{value:,.0f} {unit}"
