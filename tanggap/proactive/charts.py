"""Server-rendered SVG bar charts (no JavaScript): the geometry is computed here, the
template draws it, so titles and labels are translated like any other text."""

from __future__ import annotations

from dataclasses import dataclass

WIDTH, HEIGHT = 560, 200
LEFT, RIGHT, TOP, BOTTOM = 44, 8, 20, 34


@dataclass
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str
    text: str  # the value as shown (tooltip and label above the bar)
    negative: bool = False
    empty: bool = False  # no value this week

    @property
    def center(self) -> float:
        return round(self.x + self.width / 2, 1)

    @property
    def value_y(self) -> float:
        return round(self.y - 4, 1)


@dataclass
class Chart:
    bars: list[Bar]
    ticks: list[tuple[float, str]]  # (y, text) of the horizontal grid lines
    zero_y: float
    width: int = WIDTH
    height: int = HEIGHT
    plot_left: int = LEFT
    plot_right: int = WIDTH - RIGHT


def _nice_max(value: float) -> float:
    if value <= 0:
        return 1.0
    for step in (1, 2, 2.5, 5, 10):
        magnitude = 10 ** (len(str(int(value))) - 1)
        if value <= step * magnitude:
            return step * magnitude
    return value


def bar_chart(values: list[float | None], labels: list[str], *, percent: bool = False, unit: str = "",
              integer: bool = False) -> Chart:
    """Bars for ``values`` (None: nothing that week); negative values hang below zero.
    ``integer``: counts, so the grid lines fall on whole numbers."""
    present = [v for v in values if v is not None]
    top = 1.0 if percent else _nice_max(max([0.0, *present]))
    if integer:
        top = max(4.0, float(-(-int(top) // 4) * 4))
    bottom = 0.0 if percent else -_nice_max(-min([0.0, *present])) if any(v < 0 for v in present) else 0.0
    span = top - bottom or 1.0
    plot_h = HEIGHT - TOP - BOTTOM
    plot_w = WIDTH - LEFT - RIGHT

    def y_of(v: float) -> float:
        return TOP + (top - v) / span * plot_h

    zero = y_of(0.0)
    n = max(1, len(values))
    slot = plot_w / n
    bars = []
    for i, (value, label) in enumerate(zip(values, labels, strict=True)):
        x = LEFT + i * slot + slot * 0.15
        w = slot * 0.7
        if value is None:
            bars.append(Bar(x=x, y=zero, width=w, height=0, label=label, text="–", empty=True))
            continue
        y = y_of(max(value, 0.0))
        h = abs(y_of(value) - zero)
        text = f"{value:.0%}" if percent else f"{value:g}{unit}"
        bars.append(Bar(x=round(x, 1), y=round(y, 1), width=round(w, 1), height=round(max(h, 1.0), 1), label=label,
                        text=text, negative=value < 0))
    ticks = []
    for k in range(5):
        v = bottom + span * k / 4
        ticks.append((round(y_of(v), 1), f"{v:.0%}" if percent else f"{v:g}"))
    return Chart(bars=bars, ticks=ticks, zero_y=round(zero, 1))
