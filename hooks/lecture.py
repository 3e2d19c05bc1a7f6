"""MkDocs hook: figures and quoted numbers of the lecture site, made from the reference at build time.

- ``on_files``: runs the experiments (hooks/experiments.py) with the reference
  solutions, draws every figure into memory and adds it as ``figures/*.svg``
  (nothing is written into docs/).
- ``on_page_markdown``: replaces ``{{ name }}`` in a page with the value the
  build computed; an unknown name stops the build.
"""

from __future__ import annotations

import importlib
import re
import sys
from pathlib import Path

import numpy as np
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File

HOOKS = str(Path(__file__).resolve().parent)
sys.path.insert(0, HOOKS)
import experiments  # noqa: E402
import figures  # noqa: E402

PLACEHOLDER = re.compile(r"\{\{ *([a-z0-9_]+) *\}\}")
VALUES: dict[str, str] = {}


def f4(value) -> str:
    """Rounded to 4 decimals, written as Python prints it (so page examples and text agree)."""
    return repr(round(float(value), 4))


def tex_number(value) -> str:
    """1e-10 as 10^{-10}, 2.5e-05 as 2.5 \\times 10^{-5}, plain numbers unchanged (for formulas)."""
    text = f"{value:g}"
    if "e" not in text:
        return text
    mantissa, exponent = text.split("e")
    power = f"10^{{{int(exponent)}}}"
    return power if mantissa == "1" else f"{mantissa} \\times {power}"


def vector(value, digits=4) -> str:
    """(a, b) with ``digits`` significant digits, as the text writes points."""
    return "(" + ", ".join(f"{v:.{digits}g}" for v in np.asarray(value, dtype=float).ravel()) + ")"


def table(header, rows) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def loss_values(ref) -> dict:
    L = experiments.losses(ref)
    values = {key: f4(L[key]) for key in ("sse_right", "sse_wrong", "cee_right", "cee_wrong", "cee_right_label",
                                          "cee_batch", "sse_batch", "cee_zero")}
    values["delta"] = f"{L['delta']:g}"
    values["delta_tex"] = tex_number(L["delta"])
    values["label"] = str(L["label"])
    values["y_right"] = "[" + ", ".join(f"{v:g}" for v in L["y_right"]) + "]"
    values["y_wrong"] = "[" + ", ".join(f"{v:g}" for v in L["y_wrong"]) + "]"
    values["t_one_hot"] = "[" + ", ".join(f"{v:g}" for v in L["t"]) + "]"
    values["p_right"] = f"{L['y_right'][L['label']]:g}"
    values["p_wrong"] = f"{L['y_wrong'][L['label']]:g}"
    values["wrong_class"] = str(int(np.argmax(L["y_wrong"])))
    return values


def gradient_values(ref) -> dict:
    D = experiments.derivatives(ref)
    values = {}
    for row, name in zip(D["rows"], ("5", "10")):
        values[f"diff_{name}"] = repr(float(row["central"]))
        values[f"forward_{name}"] = repr(float(row["forward"]))
        values[f"exact_{name}"] = f"{row['exact']:g}"
        values[f"central_error_{name}"] = f"{abs(row['central'] - row['exact']):.1e}"
        values[f"forward_error_{name}"] = f"{abs(row['forward'] - row['exact']):.1e}"
    values["tiny_h_diff"] = repr(float(D["tiny_h"]))
    values["float32_tiny"] = repr(D["float32_tiny"])
    for point, grad in experiments.gradients(ref):
        key = "".join(f"{v:g}" for v in point)
        values[f"grad_{key}"] = repr(grad)
    S = experiments.partial_slices(ref)
    values["slice_d0"] = f"{S['d0']:.6g}"
    values["slice_d1"] = f"{S['d1']:.6g}"
    values["df_estimate"] = f"{0.01 * S['d0'] + 0.01 * S['d1']:.4g}"
    values["slice_d0_raw"] = repr(float(S["d0"]))
    values["slice_d1_raw"] = repr(float(S["d1"]))
    rows = experiments.slide_example(ref)
    values["slide_table"] = table(
        [r"점 \((x_1, x_2)\)", "식 (1)의 `numerical_gradient`", "올바른 편미분", r"슬라이드의 \((f_1, f_2)\)",
         r"\(3x_1^2x_2 - x_1x_2^3\)의 `numerical_gradient`"],
        [[vector(r["point"]), vector(r["numerical"], 6), vector(r["correct"], 6), vector(r["slide"], 6),
          vector(r["origin_numerical"], 6)] for r in rows])
    first = rows[0]
    values["slide_point"] = vector(first["point"])
    values["slide_correct"] = vector(first["correct"], 6)
    values["slide_printed"] = vector(first["slide"], 6)
    return values


def descent_values(ref, paths) -> dict:
    values = {}
    rows = []
    for run in experiments.textbook_runs(ref):
        rows.append([f"{run['lr']:g}", run["steps"], np.array2string(run["x"], precision=8),
                     f"{run['f']:.4g}"])
        values[f"textbook_x_{run['key']}"] = np.array2string(run["x"], precision=8)
        values[f"textbook_lr_{run['key']}"] = f"{run['lr']:g}"
        values[f"textbook_lr_{run['key']}_tex"] = tex_number(run["lr"])
        values[f"textbook_xv_{run['key']}"] = vector(run["x"], 9)
        values["textbook_steps"] = str(run["steps"])
    values["textbook_steps_plus_one"] = str(int(values["textbook_steps"]) + 1)
    head = experiments.descent_head(ref)
    values["history_head"] = repr(head["numerical"])
    values["history_exact"] = repr(head["exact"])
    values["textbook_table"] = table(["학습률 η", "갱신 횟수", "마지막 위치 x", "f(x)"], rows)
    rows = []
    for path in paths:
        h = path["history"]
        ratio = h[1, 0] / h[0, 0]  # x₀ is multiplied by this at every step
        values[f"ratio_{path['key']}"] = f"{ratio:.4g}"
        values[f"lr_{path['key']}"] = f"{path['lr']:g}"
        values[f"x20_{path['key']}"] = vector(path["x"])
        rows.append([f"{path['lr']:g}", path["label"], f"{ratio:.4g}", vector(path["x"]), f"{path['f'][-1]:.4g}"])
    values["path_steps"] = str(paths[0]["steps"])
    values["paths_table"] = table(["학습률 η", "", "한 번에 곱해지는 수 (x₀ 기준)",
                                   f"{paths[0]['steps']}번 뒤의 위치", "f"], rows)
    M = experiments.local_minimum(ref)
    values["bumpy_start"] = f"{M['start']:g}"
    values["bumpy_steps"] = str(M["steps"])
    for run in M["runs"]:
        values[f"bumpy_lr_{run['key']}"] = f"{run['lr']:g}"
        values[f"bumpy_x_{run['key']}"] = f"{run['x']:.4f}"
    return values


def overfitting_values(O) -> dict:
    base = O["base"]
    values = {
        "ovf_n_train": str(base["n_train"]), "ovf_degree": str(base["degree"]),
        "ovf_steps": str(experiments.OVERFIT["steps"]), "ovf_lr": f"{experiments.OVERFIT['lr']:g}",
        "ovf_noise": f"{experiments.OVERFIT['noise']:g}", "ovf_n_params": str(base["degree"] + 1), "ovf_n_test": str(experiments.OVERFIT["n_test"]),
        "ovf_train": f4(base["train"]), "ovf_test": f4(base["test"]),
        "ovf_best_step": str(base["best_step"]), "ovf_best_test": f4(base["best_test"]),
        "ovf_best_train": f4(base["best_train"]), "ovf_floor": f4(O["noise_floor"]),
    }
    rows = [["(처음 그대로)", base["n_train"], base["degree"], "0", f4(base["train"]), f4(base["test"])]]
    for key, label in (("more_data", "1. 데이터 늘리기"), ("simpler", "2. 모델 단순하게"),
                       ("weight_decay", "3. 가중치 규제")):
        r = O[key]
        rows.append([label, r["n_train"], r["degree"], f"{r['weight_decay']:g}", f4(r["train"]), f4(r["test"])])
        values[f"ovf_{key}_test"] = f4(r["test"])
        values[f"ovf_{key}_n"] = str(r["n_train"])
        values[f"ovf_{key}_degree"] = str(r["degree"])
        values[f"ovf_{key}_lambda"] = f"{r['weight_decay']:g}"
    values["ovf_table"] = table(["처방", "훈련 데이터 수", "다항식 차수", "규제 세기 λ",
                                 f"훈련 손실 ({experiments.OVERFIT['steps']}번 뒤)", "시험 손실"], rows)
    return values


def why_loss_values(W) -> dict:
    return {"why_w0": f"{W['w0']:g}", "why_b": f"{experiments.WHY_LOSS['b']:g}",
            "why_n": str(len(experiments.WHY_LOSS["x"])),
            "why_x": ", ".join(f"{v:g}" for v in experiments.WHY_LOSS["x"]),
            "why_t": ", ".join(str(v) for v in experiments.WHY_LOSS["t"]),
            "why_accuracy": f"{W['accuracy_w0']:g}", "why_loss": f4(W["loss_w0"]),
            "why_d_accuracy": repr(float(W["d_accuracy"])), "why_d_loss": f4(W["d_loss"])}


VISIBILITY = {"public": "공개", "hidden": "숨은"}


def grading_values() -> dict:
    exercises, inventory = experiments.grading()
    values = {}
    rows = []
    for ex in exercises:
        tests = [t for t in inventory if t["exercise"] == ex.name]
        public = sum(t["points"] for t in tests if t["visibility"] == "public")
        hidden = sum(t["points"] for t in tests if t["visibility"] == "hidden")
        rows.append([f"[{ex.title}]({ex.docs_page.rstrip('/')}.md)", f"`{ex.name}`", public, hidden,
                     public + hidden])
        values[f"points_{ex.name}"] = str(public + hidden)
        values[f"tests_{ex.name}"] = table(
            ["채점 항목", "테스트", "배점"],
            [[t["title"], VISIBILITY[t["visibility"]], f"{t['points']}점"] for t in tests])
    public = sum(t["points"] for t in inventory if t["visibility"] == "public")
    hidden = sum(t["points"] for t in inventory if t["visibility"] == "hidden")
    rows.append(["**합계**", "", f"**{public}**", f"**{hidden}**", f"**{public + hidden}**"])
    values["grading_table"] = table(["과제", "파일 이름", "공개 테스트", "숨은 테스트", "합계"], rows)
    values.update(public_points=str(public), hidden_points=str(hidden), total_points=str(public + hidden),
                  n_tests=str(len(inventory)), n_public_tests=str(sum(t["visibility"] == "public" for t in inventory)),
                  call_timeout=f"{experiments.limits().call_timeout:g}")
    return values


def feedback_values() -> dict:
    F = experiments.sample_feedback()
    return {"check_output": F["check_output"], "hidden_feedback": F["hidden_output"],
            "sample_score": str(F["score"]), "sample_max": str(F["max_score"])}


def on_files(files, config):
    if HOOKS not in sys.path:  # MkDocs may have reset sys.path since this module was loaded
        sys.path.insert(0, HOOKS)
    importlib.reload(experiments)  # `mkdocs serve` rebuilds in the same process: pick up edits
    importlib.reload(figures)
    figures.use_korean_font()
    ref = experiments.load_reference()
    L = experiments.losses(ref)
    paths = experiments.descent_paths(ref)
    O = experiments.overfitting(ref)
    W = experiments.why_loss(ref)

    VALUES.clear()
    for part in (loss_values(ref), gradient_values(ref), descent_values(ref, paths), overfitting_values(O),
                 why_loss_values(W), grading_values(), feedback_values()):
        VALUES.update(part)

    drawings = {
        "neg-log": figures.draw_neg_log(ref, L),
        "tangent": figures.draw_tangent(ref),
        "diff-error": figures.draw_diff_errors(ref),
        "partial-slices": figures.draw_partial_slices(ref),
        "gradient-field": figures.draw_gradient_field(ref),
        "descent-paths": figures.draw_descent_paths(ref, paths),
        "descent-values": figures.draw_descent_values(paths),
        "local-minimum": figures.draw_local_minimum(experiments.local_minimum(ref)),
        "overfit-fit": figures.draw_overfit_fit(O["base"]),
        "overfit-loss": figures.draw_overfit_loss(O["base"], O["noise_floor"]),
        "accuracy-vs-loss": figures.draw_accuracy_vs_loss(W),
    }
    for name, svg in drawings.items():
        files.append(File.generated(config, f"figures/{name}.svg", content=svg))
    return files


def on_page_markdown(markdown, page, config, files):
    def substitute(match):
        name = match.group(1)
        if name not in VALUES:
            raise PluginError(f"{page.file.src_uri}: no value named {{{{ {name} }}}} (see hooks/lecture.py)")
        return VALUES[name]

    return PLACEHOLDER.sub(substitute, markdown)
