"""The lecture site's figures, drawn with matplotlib from data computed by experiments.py.

Each ``draw_*`` returns SVG bytes. Text is stored as paths, so the figures look
the same without any font in the reader's browser; Korean labels use
NanumGothic from the koreanize-matplotlib package.
"""

from __future__ import annotations

import importlib.util
import io
import logging
import warnings
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from matplotlib import font_manager  # noqa: E402

from hooks import experiments as E  # noqa: E402

KOREAN_FONT = "NanumGothic"
COLORS = ("#1f77b4", "#ff7f0e", "#d62728", "#2ca02c")


def use_korean_font():
    """Register the NanumGothic files shipped by koreanize-matplotlib.

    The package's own ``import koreanize_matplotlib`` needs distutils (gone in
    Python 3.12), so only its font files are used.
    """
    spec = importlib.util.find_spec("koreanize_matplotlib")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("koreanize-matplotlib is not installed (pip install -e '.[docs]')")
    for path in sorted(Path(spec.submodule_search_locations[0], "fonts").glob("*.ttf")):
        font_manager.fontManager.addfont(str(path))
    matplotlib.rcParams.update({
        # DejaVu Sans (matplotlib's own) first: it has − ₀ ₁ δ η ∂ ∇ and is the font of tick labels
        # like 10⁻⁵; Hangul, which it lacks, falls back to NanumGothic.
        "font.family": ["DejaVu Sans", KOREAN_FONT],
        "svg.fonttype": "path",
        "svg.hashsalt": "lecture04",  # stable ids: the same data gives the same file
        "figure.dpi": 100,
        "axes.grid": True,
        "grid.alpha": 0.3,
    })


class _MissingGlyphs(logging.Handler):
    """Collects mathtext's "does not have a glyph" messages (it logs them instead of warning)."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages = []

    def emit(self, record):
        if "glyph" in record.getMessage():
            self.messages.append(record.getMessage())


def _svg(fig) -> bytes:
    """The figure as SVG; a character missing from the fonts (drawn as a box) is an error."""
    buffer = io.BytesIO()
    missing = _MissingGlyphs()
    logger = logging.getLogger("matplotlib.mathtext")
    logger.addHandler(missing)
    try:
        with warnings.catch_warnings():
            warnings.filterwarnings("error", message=r".*[Gg]lyph.*missing")
            fig.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    finally:
        logger.removeHandler(missing)
        plt.close(fig)
    if missing.messages:
        raise RuntimeError(f"figure text needs a glyph no font has: {missing.messages[0]}")
    return buffer.getvalue()


def draw_neg_log(ref, losses) -> bytes:
    p, cee = E.neg_log_curve(ref)
    fig, ax = plt.subplots(figsize=(6.4, 3.8))
    ax.plot(p, cee, color=COLORS[0], label="E = −log(y + δ)")
    for y, value, text in ((losses["y_right"][losses["label"]], losses["cee_right"], "정답 확률 {y} → E = {e:.2f}"),
                           (losses["y_wrong"][losses["label"]], losses["cee_wrong"], "정답 확률 {y} → E = {e:.2f}")):
        ax.plot([y], [value], "o", color=COLORS[2])
        ax.annotate(text.format(y=y, e=value), (y, value), textcoords="offset points", xytext=(10, 8))
    ax.set_xlabel("정답 클래스의 확률 y")
    ax.set_ylabel("교차 엔트로피 오차 E")
    ax.set_xlim(0, 1.02)
    ax.set_ylim(0, 7)
    ax.legend()
    return _svg(fig)


def draw_tangent(ref) -> bytes:
    t = E.tangent(ref)
    xs = np.linspace(0, 20, 200)
    fig, ax = plt.subplots(figsize=(6.4, 3.8))
    ax.plot(xs, E.function_1(xs), label="f(x) = 0.01x² + 0.1x", color=COLORS[0])
    ax.plot(xs, t["line"](xs), "--", color=COLORS[1],
            label=f"x = {t['x']:g}에서의 접선 (접선의 기울기 {t['slope']:.4f})")
    ax.plot([t["x"]], [E.function_1(t["x"])], "o", color=COLORS[2])
    ax.set_xlabel("x")
    ax.set_ylabel("f(x)")
    ax.legend()
    return _svg(fig)


def draw_diff_errors(choice) -> bytes:
    fig, axes = plt.subplots(1, 2, figsize=(9.6, 4.0), sharey=True)
    floor = 1e-17  # an exact hit (error 0) would vanish on a log axis
    for ax, key, title in zip(axes, ("f64", "f32"), ("float64 (NumPy 기본)", "float32 (GPU에서 흔한 형식)")):
        c = choice[key]
        ax.loglog(c["hs"], np.maximum(c["forward"], floor), "o-", ms=3, color=COLORS[1],
                  label="전방 차분 (f(x+h) − f(x)) / h")
        ax.loglog(c["hs"], np.maximum(c["central"], floor), "o-", ms=3, color=COLORS[0],
                  label="중심 차분 (numerical_diff)")
        ax.axvline(1e-4, color="gray", ls=":")
        ax.annotate("h = 1e-4", (1e-4, 0.03), xycoords=("data", "axes fraction"), textcoords="offset points",
                    xytext=(4, 0), fontsize=9)
        best = c["best_central"]
        ax.plot([best], [c["central"][np.argmin(c["central"])]], "v", color=COLORS[2], ms=8)
        ax.set_xlabel("차분의 크기 h")
        ax.set_title(title, fontsize=11)
    axes[0].set_ylabel("오차 |근삿값 − 참값|")
    axes[0].legend(loc="upper left", fontsize=8)
    fig.suptitle("eˣ의 x = 1에서의 미분을 근사할 때의 오차 (▼: 중심 차분의 오차가 가장 작은 h)", fontsize=11)
    fig.tight_layout()
    return _svg(fig)


def draw_partial_slices(ref) -> bytes:
    s = E.partial_slices(ref)
    x0, x1 = s["point"]
    z = E.function_2(s["point"])
    fig = plt.figure(figsize=(7.2, 5.4))
    ax = fig.add_subplot(projection="3d")
    g0, g1 = np.meshgrid(np.linspace(0, 5, 26), np.linspace(1, 6, 26))
    ax.plot_surface(g0, g1, E.function_2(np.array([g0, g1])), alpha=0.25, color="gray", linewidth=0)
    t = np.linspace(0, 5, 50)
    ax.plot(t, np.full_like(t, x1), E.function_2(np.array([t, np.full_like(t, x1)])), color=COLORS[0],
            label=f"x₁ = {x1:g}로 자른 곡선")
    t1 = np.linspace(1, 6, 50)
    ax.plot(np.full_like(t1, x0), t1, E.function_2(np.array([np.full_like(t1, x0), t1])), color=COLORS[3],
            label=f"x₀ = {x0:g}로 자른 곡선")
    d = np.linspace(-1.5, 1.5, 2)
    ax.plot(x0 + d, np.full_like(d, x1), z + s["d0"] * d, "--", color=COLORS[0], lw=2,
            label=f"접선: ∂f/∂x₀ = {s['d0']:.4g}")
    ax.plot(np.full_like(d, x0), x1 + d, z + s["d1"] * d, "--", color=COLORS[3], lw=2,
            label=f"접선: ∂f/∂x₁ = {s['d1']:.4g}")
    p0, p1 = np.meshgrid(np.linspace(-1, 1, 2), np.linspace(-1, 1, 2))
    ax.plot_surface(x0 + p0, x1 + p1, z + s["d0"] * p0 + s["d1"] * p1, alpha=0.35, color=COLORS[1])
    ax.scatter([x0], [x1], [z], color=COLORS[2], s=30)
    ax.set_xlabel("x₀")
    ax.set_ylabel("x₁")
    ax.set_zlabel("f(x₀, x₁)")
    ax.view_init(elev=22, azim=-60)
    ax.legend(loc="upper left", fontsize=9)
    ax.set_title(f"주황색 면: 접평면 (전미분 df = {s['d0']:.4g}dx₀ + {s['d1']:.4g}dx₁ 이 그리는 평면)", fontsize=10)
    return _svg(fig)


def draw_gradient_field(ref) -> bytes:
    x0, x1, u, v = E.gradient_field(ref)
    fig, ax = plt.subplots(figsize=(5.6, 5.2))
    ax.quiver(x0, x1, u, v, np.hypot(u, v), cmap="viridis", angles="xy")
    ax.plot([0], [0], "*", color=COLORS[2], ms=12)
    ax.set_xlabel("x₀")
    ax.set_ylabel("x₁")
    ax.set_aspect("equal")
    ax.set_title("f(x₀, x₁) = x₀² + x₁² 의 −∇f (화살표)")
    return _svg(fig)


def _contours(ax, lim):
    g = np.linspace(-lim, lim, 200)
    g0, g1 = np.meshgrid(g, g)
    ax.contour(g0, g1, E.function_2(np.array([g0, g1])), levels=12, colors="lightgray", linewidths=0.8)


def place_step_labels(ax, points, color, count=3, min_distance=14.0):
    """Number the first ``count`` steps; a label that would sit within ``min_distance`` pixels of a
    label already placed is left out (the points are too close to tell apart anyway)."""
    fig = ax.figure
    fig.canvas.draw()  # the limits and aspect are final: data → pixel positions are known
    placed = []
    for i in range(1, count + 1):
        px = ax.transData.transform(points[i])
        if any(np.hypot(*(px - q)) < min_distance for q in placed):
            continue
        ax.annotate(str(i), points[i], textcoords="offset points", xytext=(6, 2), fontsize=9, color=color,
                    gid="step-label")
        placed.append(px)
    return placed


def descent_paths_figure(paths):
    fig, axes = plt.subplots(2, 2, figsize=(8.4, 8.0))
    for ax, path, color in zip(axes.ravel(), paths, COLORS):
        h = path["history"]
        lim = max(5.5, float(np.abs(h).max()) * 1.05)
        _contours(ax, lim)
        ax.plot(h[:, 0], h[:, 1], "o-", ms=3, lw=1, color=color)
        ax.plot([h[0, 0]], [h[0, 1]], "s", color="black", ms=5)
        ax.plot([0], [0], "*", color=COLORS[2], ms=10)
        ax.set_title(f"η = {path['lr']:g} ({path['label']}), {path['steps']}번 갱신")
        ax.set_xlim(-lim, lim)
        ax.set_ylim(-lim, lim)
        ax.set_aspect("equal")
        ax.set_xlabel("x₀")
        ax.set_ylabel("x₁")
    fig.tight_layout()
    for ax, path, color in zip(axes.ravel(), paths, COLORS):
        place_step_labels(ax, path["history"], color)  # a too-large η jumps across the minimum
    return fig


def draw_descent_paths(ref, paths) -> bytes:
    return _svg(descent_paths_figure(paths))


def valley_figure(path):
    h = path["history"]
    fig, ax = plt.subplots(figsize=(8.4, 3.6))
    g0, g1 = np.meshgrid(np.linspace(-8, 8, 300), np.linspace(-3, 3, 200))
    ax.contour(g0, g1, E.valley(np.array([g0, g1])), levels=[0.1, 0.3, 0.6, 1, 1.5, 2.2, 3, 4, 5.5],
               colors="lightgray", linewidths=0.8)
    ax.plot(h[:, 0], h[:, 1], "o-", ms=3, lw=1, color=COLORS[1])
    ax.plot([h[0, 0]], [h[0, 1]], "s", color="black", ms=5)
    ax.plot([0], [0], "*", color=COLORS[2], ms=10)
    ax.set_xlim(-8, 8)
    ax.set_ylim(-3, 3)
    ax.set_aspect("equal")
    ax.set_xlabel("x")
    ax.set_ylabel("y")
    ax.set_title(f"f(x, y) = x²/20 + y², 시작점 {tuple(path['start'])}, η = {path['lr']:g}, {path['steps']}번 갱신",
                 fontsize=11)
    fig.tight_layout()
    place_step_labels(ax, h, COLORS[1])
    return fig


def draw_valley(path) -> bytes:
    return _svg(valley_figure(path))


def draw_large_lr(artifact) -> bytes:
    fig, ax = plt.subplots(figsize=(6.4, 3.8))
    steps = np.arange(len(artifact["history"]))
    history = artifact["history"]
    ax.semilogy(steps, np.abs(history[:, 0]), "o-", ms=3, color=COLORS[0], label="|x₀| (numerical_gradient)")
    ax.semilogy(steps, np.abs(history[:, 1]), "s-", ms=3, color=COLORS[3], label="|x₁| (numerical_gradient)")
    ax.semilogy(steps, 3 * np.abs(artifact["factor"]) ** steps, "--", color=COLORS[2],
                label=f"|x₀| 규칙대로 3·|1 − 2η|ⁿ (정확한 기울기)")
    ax.axvline(artifact["freeze"], color="gray", ls=":")
    ax.set_xlim(-1, 30)
    ax.set_ylim(1, 1e45)
    ax.set_xlabel("갱신 횟수 n")
    ax.set_ylabel("절댓값 (로그 눈금)")
    ax.legend(fontsize=9, loc="upper left")
    return _svg(fig)


def draw_descent_values(paths) -> bytes:
    fig, ax = plt.subplots(figsize=(6.4, 3.8))
    for path, color in zip(paths, COLORS):
        ax.semilogy(np.arange(len(path["f"])), path["f"], "o-", ms=3, color=color,
                    label=f"η = {path['lr']:g} ({path['label']})")
    ax.set_xlabel("갱신 횟수")
    ax.set_ylabel("f(x₀, x₁) (로그 눈금)")
    ax.legend(fontsize=9)
    return _svg(fig)


def draw_local_minimum(minimum) -> bytes:
    xs = np.linspace(-2.0, 2.1, 300)
    fig, ax = plt.subplots(figsize=(6.4, 3.8))
    ax.plot(xs, E.bumpy(np.array([xs])), color="gray", label="f(x) = x⁴ − 3x² + x")
    for run, color, shift in zip(minimum["runs"], (COLORS[0], COLORS[1]), (0, 0)):
        h = run["history"]
        ax.plot(h, E.bumpy(np.array([h])) + shift, "o-", ms=3, lw=0.8, color=color,
                label=f"η = {run['lr']:g} ({run['label']}): x = {run['x']:.2f}에 도착")
    ax.plot([minimum["start"]], [E.bumpy(np.array([minimum["start"]]))], "s", color="black", label="시작점")
    ax.set_xlabel("x")
    ax.set_ylabel("f(x)")
    ax.legend(fontsize=9, loc="upper left")
    return _svg(fig)


def draw_overfit_fit(result) -> bytes:
    fig, ax = plt.subplots(figsize=(6.4, 3.8))
    grid = result["grid"]
    ax.plot(grid, np.sin(np.pi * grid), color="gray", lw=1, label="참 함수 sin(πx)")
    ax.plot(grid, result["fit_best"], color=COLORS[0], label=f"{result['best_step']}번째 갱신 (시험 손실 최소)")
    ax.plot(grid, result["fit_final"], color=COLORS[2], label=f"{E.OVERFIT['steps']}번째 갱신 (마지막)")
    ax.plot(result["x_train"], result["y_train"], "o", color="black", label="훈련 데이터")
    ax.set_ylim(-2.5, 2.5)
    ax.set_xlabel("x")
    ax.set_ylabel("y")
    ax.legend(fontsize=9, loc="lower right")
    return _svg(fig)


def draw_overfit_loss(result, noise_floor) -> bytes:
    fig, ax = plt.subplots(figsize=(6.4, 3.8))
    ax.loglog(result["steps"], result["train_curve"], color=COLORS[0], label="훈련 손실")
    ax.loglog(result["steps"], result["test_curve"], color=COLORS[2], label="시험 손실")
    ax.axvline(result["best_step"], color="gray", ls=":")
    ax.axhline(noise_floor, color="gray", ls="--", lw=0.8)
    ax.annotate("잡음 때문에 생기는 하한", (result["steps"][0], noise_floor), textcoords="offset points",
                xytext=(2, 4), fontsize=9, color="gray")
    ax.set_xlabel("갱신 횟수 (로그 눈금)")
    ax.set_ylabel("평균 오차제곱합 (로그 눈금)")
    ax.legend()
    return _svg(fig)


def draw_accuracy_vs_loss(data) -> bytes:
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(6.4, 5.4), sharex=True)
    top.plot(data["ws"], data["accuracy"], color=COLORS[1])
    top.set_ylabel("정확도")
    bottom.plot(data["ws"], data["loss"], color=COLORS[0])
    bottom.set_ylabel("교차 엔트로피 오차")
    bottom.set_xlabel("가중치 w")
    for ax in (top, bottom):
        ax.axvspan(data["best_from"], data["best_to"], color=COLORS[3], alpha=0.12, lw=0)
        ax.axvline(data["w0"], color="gray", ls=":")
    top.plot([data["w0"]], [data["accuracy_w0"]], "o", color=COLORS[2])
    bottom.plot([data["w0"]], [data["loss_w0"]], "o", color=COLORS[2], label=f"출발점 w = {data['w0']:g}")
    bottom.plot([data["w_end"]], [data["loss_end"]], "*", ms=12, color=COLORS[3],
                label=f"경사 하강법의 도착점 w = {data['w_end']:.2f}")
    top.annotate("정확도가 가장 높은 구간", (data["best_from"], data["best_accuracy"]), textcoords="offset points",
                 xytext=(4, -14), fontsize=9, color=COLORS[3])
    bottom.legend(fontsize=9, loc="upper right")
    fig.tight_layout()
    return _svg(fig)


def draw_digits(images, labels, count=10) -> bytes:
    fig, axes = plt.subplots(1, count, figsize=(8.4, 1.3))
    for ax, image, label in zip(axes, images, labels):
        ax.imshow(image.reshape(8, 8), cmap="gray_r", vmin=0, vmax=1, interpolation="nearest")
        ax.set_title(f"정답 {label}", fontsize=10)
        ax.set_xticks([])
        ax.set_yticks([])
        ax.grid(False)
    fig.tight_layout()
    return _svg(fig)


def draw_train_loss(run) -> bytes:
    fig, ax = plt.subplots(figsize=(6.4, 3.6))
    iters = np.arange(len(run["train_loss"]))
    ax.plot(iters, run["train_loss"], color=COLORS[0], lw=1, label="미니배치의 손실 (갱신한 뒤)")
    ax.plot(run["epoch_iters"], run["test_loss"], "o-", ms=3, color=COLORS[2], label="시험 데이터의 손실 (에폭마다)")
    ax.set_xlabel("갱신 횟수 i")
    ax.set_ylabel("교차 엔트로피 오차")
    ax.set_ylim(bottom=0)
    ax.legend()
    return _svg(fig)


def draw_train_accuracy(run) -> bytes:
    fig, ax = plt.subplots(figsize=(6.4, 3.6))
    epochs = np.arange(len(run["train_acc"]))
    ax.plot(epochs, run["train_acc"], "o-", ms=4, color=COLORS[0], label="훈련 데이터")
    ax.plot(epochs, run["test_acc"], "s--", ms=4, color=COLORS[1], label="시험 데이터")
    ax.set_xlabel(f"에폭 (기록 시점 i = 0, {run['iter_per_epoch']}, {2 * run['iter_per_epoch']}, …)")
    ax.set_ylabel("정확도")
    ax.set_ylim(0, 1.02)
    ax.legend(loc="lower right")
    return _svg(fig)


LAB_STYLE = {"base": ("처음 그대로", COLORS[2], "-"), "more_data": ("1. 데이터 늘리기", COLORS[0], "-"),
             "smaller": ("2. 은닉 뉴런 줄이기", "#9467bd", "-."), "weight_decay": ("3. 가중치 감소", COLORS[3], "-"),
             "dropout": ("4. 드롭아웃", COLORS[1], "--")}


def draw_overfit_network(lab, early) -> bytes:
    """The lab's runs against the number of updates done (record i is taken after update i + 1)."""
    fig = plt.figure(figsize=(10.0, 7.0))
    grid = fig.add_gridspec(2, 4, height_ratios=(1.3, 1))
    top = fig.add_subplot(grid[0, :])
    base = lab["base"]
    top.plot(np.arange(1, len(base["train_loss"]) + 1), base["train_loss"], color=COLORS[0], lw=0.8, alpha=0.8,
             label="훈련 손실 (미니배치)")
    top.plot(base["epoch_iters"] + 1, base["test_loss"], color=COLORS[2], label="시험 손실")
    top.axvline(early["update"], color="gray", ls=":")
    top.annotate("조기 종료라면 여기서 멈춤", (early["update"], early["test_loss"]), textcoords="offset points",
                 xytext=(12, 40), fontsize=9, color="dimgray", arrowprops={"arrowstyle": "->", "color": "gray"})
    top.set_title(f"처음 그대로: 훈련 데이터 {base['n_train']}장, 은닉 뉴런 {base['config']['hidden']}개", fontsize=11)
    top.set_xlabel("갱신 횟수")
    top.set_ylabel("교차 엔트로피 오차")
    top.set_ylim(0, 3)
    top.legend(loc="upper right", fontsize=9)
    axes = [fig.add_subplot(grid[1, i]) for i in range(4)]
    for ax, key in zip(axes, ("more_data", "smaller", "weight_decay", "dropout")):
        label, color, _ = LAB_STYLE[key]
        run = lab[key]
        ax.plot(base["epoch_iters"] + 1, base["test_loss"], color="lightgray", lw=1.2, label="처음 그대로")
        ax.plot(run["epoch_iters"] + 1, run["test_loss"], color=color, lw=1.2, label="처방 뒤")
        ax.set_title(label, fontsize=10)
        ax.set_ylim(0, 3)
        ax.set_xlabel("갱신 횟수", fontsize=9)
        ax.tick_params(labelsize=8)
        if ax is not axes[0]:
            ax.set_yticklabels([])
    axes[0].set_ylabel("시험 손실")
    axes[0].legend(fontsize=8, loc="upper right")
    fig.tight_layout()
    return _svg(fig)
