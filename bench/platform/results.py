"""One line of the result table, and the alternation that produces its samples."""

from __future__ import annotations

import math
import operator
import sys
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from bench.platform.targets import Sample, median

Measure = Callable[[], Awaitable[Sample]]


@dataclass
class Row:
    """A scenario's figure: per-repetition values, their median and whether it meets the target.

    ``values`` are ratios (×) or differences (ms) computed within one repetition, so that both
    sides of a comparison saw the same background load.
    """

    scenario: str
    what: str
    unit: str  # "x" (ratio) or "ms" (difference) or "req/s"
    op: str  # ">=" or "<="
    threshold: float
    values: list[float]
    absolute: dict[str, list[float]] = field(default_factory=dict)
    note: str = ""

    @property
    def median(self) -> float:
        return median(self.values)

    @property
    def met(self) -> bool:
        compare = operator.ge if self.op == ">=" else operator.le
        return not math.isnan(self.median) and bool(compare(self.median, self.threshold))

    def as_json(self) -> dict[str, Any]:
        return asdict(self) | {"median": self.median, "met": self.met}


async def alternate(
    measures: Sequence[tuple[str, Measure]], repeats: int
) -> dict[str, list[Sample]]:
    """Each repetition measures every target once; the order flips every repetition so that a
    drift in background load does not always favour the same side."""
    out: dict[str, list[Sample]] = {name: [] for name, _ in measures}
    for rep in range(repeats):
        order = list(measures) if rep % 2 == 0 else list(reversed(measures))
        for name, measure in order:
            sample = await measure()
            out[name].append(sample)
            log(
                f"  rep {rep + 1} {name:22s} {sample.rps:8.1f} req/s  p50 {sample.p50_ms:8.1f} ms"
                f"  p99 {sample.p99_ms:8.1f} ms  failed {sample.failed}"
            )
    return out


def ratios(a: list[Sample], b: list[Sample], attr: str = "rps") -> list[float]:
    return [getattr(x, attr) / getattr(y, attr) for x, y in zip(a, b, strict=True)]


def differences(a: list[Sample], b: list[Sample], attr: str) -> list[float]:
    return [getattr(x, attr) - getattr(y, attr) for x, y in zip(a, b, strict=True)]


def values(samples: list[Sample], attr: str = "rps") -> list[float]:
    return [round(float(getattr(s, attr)), 2) for s in samples]


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)
