"""A benchmark's result: a figure, its unit, its floor and the naive baseline beside it.

The floor is the least a careful program spends on the same work (``bench/floors.py``);
the baseline what a careless one spends. ``floor_ratio`` is how many times the floor's cost
the product spends (1 is the floor itself); ``ratio`` how many times faster than the
baseline the product is.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field


@dataclass
class Measure:
    name: str
    value: float
    unit: str  # "…/s" (higher is better), or a cost: "s", "ms", "µs/row", "MiB"
    baseline: float | None = None
    details: dict = field(default_factory=dict)
    breakdown: bool = False  # a part of the measure above it, indented in the table
    floor: float | None = None
    floor_name: str = ""  # what the floor is, e.g. "python -c 'import duckdb'"

    @property
    def higher_is_better(self) -> bool:
        return self.unit.endswith("/s")

    @property
    def ratio(self) -> float | None:
        """How many times better than the baseline (>1 is faster)."""
        if not self.baseline or not self.value:
            return None
        return self.value / self.baseline if self.higher_is_better else self.baseline / self.value

    @property
    def floor_ratio(self) -> float | None:
        """How many times the floor's cost the product spends (>1 is above the floor)."""
        if not self.floor or not self.value:
            return None
        return self.floor / self.value if self.higher_is_better else self.value / self.floor

    def line(self) -> str:
        parts = []
        if self.floor is not None:
            parts.append(
                f"floor {fmt(self.floor, self.unit)} ({self.floor_name}), ×{self.floor_ratio:.1f}"
            )
        if self.baseline is not None:
            parts.append(f"baseline {fmt(self.baseline, self.unit)}, ×{self.ratio:.1f} faster")
        shown = fmt(self.value, self.unit)
        return f"{self.name}: {shown}" + (f" ({'; '.join(parts)})" if parts else "")

    def to_dict(self) -> dict:
        return {
            **asdict(self),
            "ratio": self.ratio,
            "floor_ratio": self.floor_ratio,
            "higher_is_better": self.higher_is_better,
            "line": self.line(),
        }


def fmt(value: float, unit: str) -> str:
    if unit == "s":
        if value < 1:
            return f"{value:,.3f} s"
        return f"{value:,.2f} s" if value < 100 else f"{value:,.0f} s"
    if unit == "µs/row" or value < 10:
        return f"{value:,.1f} {unit}"
    return f"{value:,.0f} {unit}"
