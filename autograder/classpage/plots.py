"""The class report's score histograms, drawn as inline SVG by hand (no plotting library on the grading path).

Each figure is an ``<svg>`` element: bars (``<rect>``, each with a ``<title>``
the browser shows on hover), grid lines, axes and ``<text>`` labels set in a
Korean-capable font stack, so the browser draws the Hangul with the page's
fonts. No element has an ``id``: several figures share one page.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass

from .html import Html, element, join
from .stats import points

#: Fonts with Hangul on Linux, Windows and macOS, then the browser's own.
FONT_STACK = ('"NanumGothic", "Nanum Gothic", "Malgun Gothic", "맑은 고딕", "AppleGothic", "Apple SD Gothic Neo", '
              '"Noto Sans CJK KR", "Noto Sans KR", sans-serif')
BAR, MEAN, GRID, INK, MUTED = "#3f51b5", "#cf222e", "#d0d7de", "#1f2328", "#59636e"


@dataclass(frozen=True)
class Panel:
    """A plotting area inside the figure, in SVG units."""

    left: float
    top: float
    width: float
    height: float
    x_max: float
    y_max: float

    def x(self, value: float) -> float:
        return round(self.left + self.width * value / (self.x_max or 1), 1)

    def y(self, value: float) -> float:
        return round(self.top + self.height * (1 - value / (self.y_max or 1)), 1)


def _text(x: float, y: float, content: str, anchor: str = "middle", size: float = 12, **attrs) -> Html:
    return element("text", content, x=x, y=y, text_anchor=anchor, font_size=size, fill=attrs.pop("fill", INK), **attrs)


def _line(x1: float, y1: float, x2: float, y2: float, stroke: str = INK, **attrs) -> Html:
    return element("line", x1=x1, y1=y1, x2=x2, y2=y2, stroke=stroke, **attrs)


def nice_step(span: float, most: int) -> int:
    """The smallest of 1, 2, 5, 10, 20, 50, ... that puts at most ``most`` steps over ``span``."""
    step = 1
    while span / step > most:
        for factor in (2, 2.5, 2):
            step = int(step * factor)
            if span / step <= most:
                break
    return step


def counts(values: list[int], edges: list[float]) -> list[int]:
    """How many values fall in each bin: ``[edge_i, edge_i+1)``, the last bin closed on the right."""
    found = [0] * (len(edges) - 1)
    for value in values:
        for i in range(len(found)):
            if edges[i] <= value < edges[i + 1] or (i == len(found) - 1 and value == edges[-1]):
                found[i] += 1
                break
    return found


def bins(top: int, most: int) -> list[float]:
    """Equal bins over 0..top: one per point when there are few points, else ``most`` of them."""
    count = max(1, min(most, top))
    return [top * i / count for i in range(count + 1)] if top else [0, 1]


def _axes(panel: Panel, x_label: str, y_label: str | None, x_ticks: int = 10) -> list[Html]:
    """Grid lines and integer ticks on both axes, the axis lines and their labels."""
    parts = []
    y_step = nice_step(panel.y_max, 5)
    for tick in range(0, int(panel.y_max) + 1, y_step):
        parts += [_line(panel.left, panel.y(tick), panel.left + panel.width, panel.y(tick), GRID),
                  _text(panel.left - 6, panel.y(tick) + 4, str(tick), "end", 11, fill=MUTED)]
    for tick in range(0, int(panel.x_max) + 1, nice_step(panel.x_max, x_ticks)):
        parts.append(_text(panel.x(tick), panel.top + panel.height + 16, str(tick), size=11, fill=MUTED))
    bottom = panel.top + panel.height
    parts += [_line(panel.left, bottom, panel.left + panel.width, bottom), _line(panel.left, panel.top, panel.left, bottom),
              _text(panel.left + panel.width / 2, bottom + 36, x_label)]
    if y_label:
        middle = panel.top + panel.height / 2
        parts.append(_text(panel.left - 34, middle, y_label, transform=f"rotate(-90 {panel.left - 34} {middle})"))
    return parts


def _bars(panel: Panel, edges: list[float], found: list[int], unit: str) -> list[Html]:
    parts = []
    for low, high, n in zip(edges, edges[1:], found):
        if n:
            left, right = panel.x(low), panel.x(high)
            parts.append(element("rect", element("title", f"{points(low)}–{points(high)}{unit}: {n}명"), x=left,
                                 y=panel.y(n), width=round(max(right - left - 1, 1), 1),
                                 height=round(panel.y(0) - panel.y(n), 1), fill=BAR))
    return parts


def _svg(width: int, height: int, label: str, parts: list) -> Html:
    return element("svg", join(parts), role="img", aria_label=label, width=width, height=height,
                   viewBox=f"0 0 {width} {height}", font_family=FONT_STACK)


def _panel(left: float, top: float, width: float, height: float, x_max: int, found: list[int]) -> Panel:
    most = max(found, default=0)
    return Panel(left, top, width, height, max(x_max, 1), most + nice_step(most, 5) if most else 1)


def score_histogram(scores: list[int], max_score: int) -> Html:
    """Histogram of total scores (ten bins over 0..max), with the mean marked."""
    edges = bins(max_score, 10)
    found = counts(scores, edges)
    panel = _panel(56, 30, 648, 220, max_score, found)
    mean = statistics.fmean(scores)
    parts = _axes(panel, "총점", "학생 수") + _bars(panel, edges, found, "점") + [
        _line(panel.x(mean), panel.top, panel.x(mean), panel.y(0), MEAN, stroke_width=1.5, stroke_dasharray="6 4"),
        _line(panel.left + 8, 14, panel.left + 32, 14, MEAN, stroke_width=1.5, stroke_dasharray="6 4"),
        _text(panel.left + 38, 18, f"평균 {points(mean)}점", "start")]
    return _svg(720, 300, "총점 분포 히스토그램", parts)


def exercise_histograms(columns: list[tuple[str, str, int]], scores: dict[str, list[int]]) -> Html:
    """One small histogram per exercise (``columns`` = (name, title, max score)), side by side."""
    width, parts = 260, []
    for i, (name, title, top) in enumerate(columns):
        edges = bins(top, 8)
        found = counts(scores[name], edges)
        panel = _panel(i * width + 52, 30, width - 68, 170, top, found)
        parts += [_text(panel.left + panel.width / 2, 16, f"{title} (만점 {top}점)", size=12)]
        parts += _axes(panel, "점수", "학생 수" if i == 0 else None, x_ticks=6) + _bars(panel, edges, found, "점")
    return _svg(width * len(columns), 250, "과제별 점수 분포 히스토그램", parts)
