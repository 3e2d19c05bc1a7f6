"""The class report's score histograms: matplotlib figures drawn at grading time as inline SVG.

Text in the figures stays text (``svg.fonttype: none``), so the browser draws
it with the page's Korean fonts; matplotlib only needs a font with Hangul to
lay it out (:func:`korean_font`).
"""

from __future__ import annotations

import functools
import io
import logging
import re
import statistics
import warnings
from pathlib import Path

from .class_stats import points
from .html import Html, escape

#: Fonts with Hangul, first found is used to lay out the plots (the browser draws their text in its own).
KOREAN_FONTS = ("NanumGothic", "Malgun Gothic", "AppleGothic", "Apple SD Gothic Neo", "Noto Sans CJK KR",
                "Noto Sans KR")


@functools.lru_cache(maxsize=1)
def korean_font() -> str | None:
    """The first installed font with Hangul (from :data:`KOREAN_FONTS`), else None.

    Also registers NanumGothic from koreanize-matplotlib when that package is
    installed (the lecture site's setup) and the system has none.
    """
    from matplotlib import font_manager

    quiet = logging.getLogger("matplotlib.font_manager")
    level, quiet.level = quiet.level, logging.ERROR
    try:
        for family in KOREAN_FONTS:
            try:
                font_manager.findfont(family, fallback_to_default=False)
                return family
            except ValueError:
                continue
        return _koreanize_font(font_manager)
    finally:
        quiet.setLevel(level)


def _koreanize_font(font_manager) -> str | None:
    import importlib.util

    spec = importlib.util.find_spec("koreanize_matplotlib")
    if spec is None or not spec.submodule_search_locations:
        return None
    fonts = sorted(Path(spec.submodule_search_locations[0], "fonts").glob("NanumGothic*.ttf"))
    for path in fonts:
        font_manager.fontManager.addfont(str(path))
    return "NanumGothic" if fonts else None


def _rc(salt: str) -> dict:
    font = korean_font()
    return {
        "svg.fonttype": "none",  # text stays text: the browser draws it with the page's Korean fonts
        "svg.hashsalt": f"class-report-{salt}",  # ids unique among the page's figures
        "font.family": [font, "DejaVu Sans"] if font else ["DejaVu Sans"],
        "font.size": 10,
        "axes.grid": True,
        "grid.alpha": 0.3,
        "axes.spines.top": False,
        "axes.spines.right": False,
    }


def inline_svg(fig, label: str) -> Html:
    """The figure as an ``<svg>`` element for an HTML page (no XML prolog, metadata or namespace URLs)."""
    buffer = io.StringIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # a Hangul glyph missing from every font: the browser draws it anyway
        fig.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg"):]
    svg = re.sub(r"<metadata>.*?</metadata>\s*", "", svg, flags=re.S)
    svg = re.sub(r'\s+xmlns(:xlink)?="[^"]*"', "", svg)
    return Html(svg.replace("<svg", f'<svg role="img" aria-label="{escape(label)}"', 1))


def _integer_ticks(ax) -> None:
    from matplotlib.ticker import MaxNLocator

    ax.yaxis.set_major_locator(MaxNLocator(integer=True))


def score_histogram(scores: list[int], max_score: int) -> Html:
    """Histogram of total scores (ten bins over 0..max), with the mean marked."""
    import matplotlib
    from matplotlib.figure import Figure

    with matplotlib.rc_context(_rc("total")):
        fig = Figure(figsize=(7.2, 3.0))
        ax = fig.add_subplot()
        ax.hist(scores, bins=_bins(max_score, 10), color="#3f51b5", edgecolor="white")
        mean = statistics.fmean(scores)
        ax.axvline(mean, color="#cf222e", linestyle="--", linewidth=1.2, label=f"평균 {points(mean)}점")
        ax.set_xlim(0, max(max_score, 1))
        ax.set_xlabel("총점")
        ax.set_ylabel("학생 수")
        ax.legend(loc="upper left", frameon=False)
        _integer_ticks(ax)
        return inline_svg(fig, "총점 분포 히스토그램")


def exercise_histograms(columns: list[tuple[str, str, int]], scores: dict[str, list[int]]) -> Html:
    """One small histogram per exercise (``columns`` = (name, title, max score))."""
    import matplotlib
    from matplotlib.figure import Figure

    with matplotlib.rc_context(_rc("exercises")):
        fig = Figure(figsize=(2.6 * len(columns), 2.5))
        axes = fig.subplots(1, len(columns), squeeze=False)[0]
        for ax, (name, title, top) in zip(axes, columns):
            ax.hist(scores[name], bins=_bins(top, 8), color="#5c6bc0", edgecolor="white")
            ax.set_xlim(0, max(top, 1))
            ax.set_title(f"{title} (만점 {top}점)", fontsize=9.5)
            ax.set_xlabel("점수")
            _integer_ticks(ax)
        axes[0].set_ylabel("학생 수")
        fig.tight_layout()
        return inline_svg(fig, "과제별 점수 분포 히스토그램")


def _bins(top: int, most: int) -> list[float]:
    """Equal bins over 0..top: one per point when there are few points, else ``most`` of them."""
    count = max(1, min(most, top))
    return [top * i / count for i in range(count + 1)] if top else [0, 1]
