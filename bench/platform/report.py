"""The result table on the terminal, a JSON file and a PNG chart under bench/results/."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")  # files only, no display
import matplotlib.pyplot as plt

from bench.platform.results import Row


def _fmt(value: float, unit: str) -> str:
    if math.isnan(value):
        return "n/a"
    if unit == "ms":
        return f"{value:+.1f} ms"
    if unit == "s":
        return f"{value:.2f} s"
    return f"{value:.2f}x"


def table(rows: list[Row]) -> str:
    lines = [
        "| scenario | figure | median | min–max | target | met | absolute medians |",
        "|---|---|---:|---|---|---|---|",
    ]
    for row in rows:
        spread = f"{_fmt(min(row.values), row.unit)} – {_fmt(max(row.values), row.unit)}"
        target = f"{row.op} {_fmt(row.threshold, row.unit)}" if row.threshold else "—"
        met = ("yes" if row.met else "**no**") if row.threshold else "—"
        absolute = ", ".join(
            f"{k} {sorted(v)[len(v) // 2]:g}" for k, v in row.absolute.items() if v
        )
        lines.append(
            f"| {row.scenario} | {row.what} | {_fmt(row.median, row.unit)} | {spread} |"
            f" {target} | {met} | {absolute} |"
        )
    notes = [f"- {r.scenario}: {r.note}" for r in rows if r.note]
    return "\n".join([*lines, "", *sorted(set(notes))])


def write_json(path: Path, rows: list[Row], meta: dict[str, Any]) -> None:
    payload = {"meta": meta, "rows": [r.as_json() for r in rows]}
    path.write_text(json.dumps(payload, indent=2, default=str) + "\n")


def chart(path: Path, rows: list[Row], title: str) -> None:
    ratio_rows = [r for r in rows if r.unit == "x" and r.threshold]
    ms_rows = [r for r in rows if r.unit == "ms"]
    fig, axes = plt.subplots(1, 2, figsize=(13, 5), width_ratios=[3, 1])
    _bars(axes[0], ratio_rows, "ratio (median, bar = min–max)")
    _bars(axes[1], ms_rows, "ms added (median, bar = min–max)")
    fig.suptitle(title, fontsize=9)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def _bars(ax: Any, rows: list[Row], xlabel: str) -> None:
    labels = [f"{r.scenario}: {r.what}" for r in rows]
    medians = [r.median for r in rows]
    low = [r.median - min(r.values) for r in rows]
    high = [max(r.values) - r.median for r in rows]
    colours = ["tab:green" if r.met else "tab:red" for r in rows]
    ys = list(range(len(rows)))
    ax.barh(ys, medians, xerr=[low, high], color=colours, alpha=0.7, capsize=4)
    for y, r in zip(ys, rows, strict=True):
        ax.plot([r.threshold, r.threshold], [y - 0.4, y + 0.4], color="black", linewidth=2)
    ax.set_yticks(ys, labels, fontsize=8)
    ax.invert_yaxis()
    ax.set_xlabel(xlabel + "; black tick = target", fontsize=8)
