"""MkDocs hook: figures and quoted numbers of the lecture site, made from the reference at build time.

- ``on_files``: runs the experiments (hooks/experiments.py) with the reference
  solutions, draws every figure into memory and adds it as ``figures/*.svg``
  (nothing is written into docs/). What it makes is cached on disk
  (hooks/cache.py) under a key of every file it is made from (:data:`INPUTS`)
  and the versions of Python, NumPy and Matplotlib, so a rebuild after editing
  a page reads it back instead of computing it again.
- ``on_page_markdown``: replaces ``{{ name }}`` in a page with the value the
  build computed (and ``{{ name }}을(를)`` with the particle that fits it,
  hooks/korean.py); an unknown name stops the build.
"""

from __future__ import annotations

import html
import importlib
import re
import sys
import unicodedata
from pathlib import Path

import numpy as np
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File

ROOT = str(Path(__file__).resolve().parents[1])
if ROOT not in sys.path:  # MkDocs loads this file by its path: the hooks package lives in the repository
    sys.path.insert(0, ROOT)
from hooks import (assignment, cache, experiments, explorer, glossary, korean, mistake_examples,  # noqa: E402
                   mistake_tables, training)

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


def sci(value, digits=2) -> str:
    """2.59e+13 as 2.59 × 10^{13} in TeX (for \\( \\) formulas); numbers between 0.01 and 10⁴ unchanged."""
    value = float(value)
    if value == 0 or 1e-2 <= abs(value) < 1e4:
        return f"{value:.{digits + 1}g}"
    mantissa, exponent = f"{value:.{digits}e}".split("e")
    return f"{mantissa} \\times 10^{{{int(exponent)}}}"


def percent(value, digits=1) -> str:
    return f"{100 * float(value):.{digits}f}%"


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
    for name, c in experiments.h_choice(ref).items():
        values[f"h_best_central_{name}"] = tex_number(c["best_central"])
        values[f"h_best_forward_{name}"] = tex_number(c["best_forward"])
        values[f"h_central_err_{name}"] = f"{c['central_at_default']:.1e}"
        values[f"h_forward_err_{name}"] = f"{c['forward_at_default']:.1e}"
        values[f"eps_{name}"] = f"{c['eps']:.2g}"
        values[f"h_theory_central_{name}"] = tex_number(float(f"{c['eps'] ** (1 / 3):.1g}"))
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
    A = experiments.large_lr_artifact(ref)
    values["art_lr"] = f"{A['lr']:g}"
    values["art_factor"] = f"{A['factor']:g}"
    values["art_first_bad"] = str(A["first_bad"])
    values["art_first_bad_error"] = percent(A["rows"][A["first_bad"]]["rel_error"])
    for i, name in enumerate(("x0", "x1")):
        k = A["frozen"][i]
        values[f"art_frozen_{name}"] = str(k)
        values[f"art_frozen_value_{name}"] = sci(A["history"][k, i])
        values[f"art_spacing_{name}"] = sci(np.spacing(abs(A["history"][k, i])))
    values["art_frozen_range"] = f"{min(A['frozen'])}~{max(A['frozen'])}"
    values["art_exact"] = "(" + ", ".join(sci(v) for v in A["x_exact"]) + ")"
    values["art_numerical"] = "(" + ", ".join(sci(v) for v in A["x"]) + ")"
    values["art_rule"] = sci(abs(A["factor"]) ** A["steps"])
    V = experiments.valley_path(ref)
    values.update(valley_lr=f"{V['lr']:g}", valley_steps=str(V["steps"]),
                  valley_start=f"({V['start'][0]:g}, {V['start'][1]:g})",
                  valley_factor_x=f"{V['factor_x']:.4g}", valley_factor_y=f"{V['factor_y']:.4g}",
                  valley_end=vector(V["x"]))
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
        "ovf_true_test": f4(base["true_test"]), "ovf_n_outside": str(base["n_outside"]),
        "ovf_outside_share": percent(base["outside_share"], 0),
        "ovf_range_lo": f"{base['train_range'][0]:.2f}", "ovf_range_hi": f"{base['train_range'][1]:.2f}",
        "ovf_inside_best": f4(base["inside_best"]), "ovf_inside_final": f4(base["inside_final"]),
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
    cfg = experiments.WHY_LOSS
    return {"why_w0": f"{W['w0']:g}", "why_b": f"{cfg['b']:g}",
            "why_n": str(len(cfg["x"])),
            "why_x": ", ".join(f"{v:g}" for v in cfg["x"]),
            "why_t": ", ".join(str(v) for v in cfg["t"]),
            "why_accuracy": f"{W['accuracy_w0']:g}", "why_loss": f4(W["loss_w0"]),
            "why_d_accuracy": repr(float(W["d_accuracy"])), "why_d_loss": f4(W["d_loss"]),
            "why_best": f"{W['best_accuracy']:g}", "why_best_from": f"{W['best_from']:.2f}",
            "why_w_min": f"{W['w_min']:.2f}", "why_acc_at_min": f"{W['accuracy_at_min']:g}",
            "why_lr": f"{cfg['lr']:g}", "why_steps": str(cfg["steps"]), "why_w_end": f"{W['w_end']:.4f}",
            "why_acc_end": f"{W['accuracy_end']:g}", "why_loss_end": f4(W["loss_end"]),
            "why_b_mismatch": f"{cfg['b_mismatch']:g}", "why_mismatch_best": f"{W['mismatch_best']:g}",
            "why_mismatch_at_min": f"{W['mismatch_at_min']:g}"}


def ms(seconds) -> str:
    return f"{seconds * 1e3:.3g}"


def us(seconds) -> str:
    return f"{seconds * 1e6:.3g}"


def duration(seconds) -> str:
    """A long time in Korean: 3.2일, 3.2시간, 1분 20초 (to the nearest 10 s), 52초."""
    if seconds >= 3600 * 48:
        return f"{seconds / 86400:.1f}일"
    if seconds >= 3600:
        return f"{seconds / 3600:.1f}시간"
    if seconds >= 59.5:
        minutes, rest = divmod(int(round(seconds / 10)) * 10, 60)
        return f"{minutes}분" + (f" {rest}초" if rest else "")
    return f"{seconds:.2g}초"


def training_values(T, ref) -> dict:
    main = T["main"]
    cfg = main["config"]
    values = {
        "tl_hidden": str(cfg["hidden"]), "tl_batch": str(cfg["batch"]), "tl_lr": f"{cfg['lr']:g}",
        "tl_iters": str(cfg["iters"]), "tl_init_std": f"{cfg['init_std']:g}", "tl_seed": str(cfg["seed"]),
        "tl_seed_batch": str(cfg["seed"] + 1), "tl_n_train": str(main["n_train"]), "tl_n_test": str(main["n_test"]),
        "tl_ipe": str(main["iter_per_epoch"]), "tl_n_records": str(len(main["train_acc"])),
        "tl_last_record": str(int(main["epoch_iters"][-1])),
        "tl_loss_first": f4(main["train_loss"][0]), "tl_loss_last": f4(main["train_loss"][-1]),
        "tl_train_acc_first": f4(main["train_acc"][0]), "tl_test_acc_first": f4(main["test_acc"][0]),
        "tl_train_acc_last": f4(main["train_acc"][-1]), "tl_test_acc_last": f4(main["test_acc"][-1]),
        "tl_test_loss_last": f4(main["test_loss"][-1]),
        "tl_test_acc_last_pct": percent(main["test_acc"][-1]),
        "tl_train_acc_last_pct": percent(main["train_acc"][-1]),
        "tl_n_params": f"{sum(v.size for v in main['params'].values()):,}",
    }
    timing = T["timing"]
    numerical, forward, backprop = timing["numerical"], timing["forward"], timing["backprop"]
    book_step = 2 * timing["book_params"] * timing["book_loss"]
    values.update({
        "t_forward": us(forward), "t_loss": us(timing["loss"]), "t_numerical": ms(numerical),
        "t_backprop": us(backprop), "t_ratio": f"{numerical / forward:,.0f}",
        "t_ratio_backprop": f"{numerical / backprop:,.0f}", "t_n_params": f"{timing['n_params']:,}",
        "t_n_loss_calls": f"{2 * timing['n_params']:,}", "t_batch": str(timing["batch"]),
        "t_cpu": timing["machine"]["cpu"], "t_cores": str(timing["machine"]["cores"]),
        "t_python": timing["machine"]["python"], "t_numpy": timing["machine"]["numpy"],
        "t_repeat": str(training.REPEAT), "t_calls": str(training.CALLS),
        "t_train_estimate": duration(numerical * cfg["iters"]),
        "book_params": f"{timing['book_params']:,}", "book_loss_calls": f"{2 * timing['book_params']:,}",
        "book_loss": ms(timing["book_loss"]), "book_step": duration(book_step),
        "book_iters": f"{training.BOOK_NET['iters']:,}", "book_total": duration(book_step * training.BOOK_NET["iters"]),
        "book_backprop": ms(timing["book_backprop"]),
        "book_backprop_total": duration(timing["book_backprop"] * training.BOOK_NET["iters"]),
    })
    check = training.gradient_check(training.load_reference(), main)
    rows = []
    for row in check["rows"]:
        if row["exact_delta"]:
            rows.append([{"initial": "학습 전 (처음 가중치)", "trained": "학습 뒤"}[row["when"]], f"`{row['key']}`",
                         f"{row['size']:,}", f"{row['max']:.1e}", f"{row['median']:.1e}", f"{row['abs_max']:.1e}",
                         str(row["zeros"])])
    values["gc_table"] = table(["시점", "매개변수", "원소 수", "상대 오차 (최대)", "상대 오차 (중앙값)",
                                "절대 오차 (최대)", "둘 다 0인 원소"], rows)
    exact = [r for r in check["rows"] if r["exact_delta"]]
    textbook = [r for r in check["rows"] if not r["exact_delta"]]
    worst = max(exact, key=lambda r: r["max"])
    values["gc_max"] = f"{worst['max']:.1e}"
    values["gc_max_where"] = f"{ {'initial': '학습 전', 'trained': '학습 뒤'}[worst['when']] }의 `{worst['key']}`"
    values["gc_max_scale"] = f"{worst['scale_at_max']:.1e}"
    values["gc_abs_max"] = f"{max(r['abs_max'] for r in exact):.1e}"
    values["gc_median_max"] = f"{max(r['median'] for r in exact):.1e}"
    values["gc_textbook_max"] = f"{max(r['max'] for r in textbook):.1e}"
    values["gc_batch"] = str(check["batch"])
    values.update(example_values(training.load_reference()))
    values.update(plateau_values(main, training.load_reference()))
    return values


def plateau_values(main, ref) -> dict:
    """The learning curve's flat start: how long the test loss stays near log 10, and why (the first gradient)."""
    records, losses = main["epoch_iters"], main["test_loss"]
    flat = np.flatnonzero(losses >= np.log(10) - 0.05)
    if not flat.size or flat[0] != 0:
        raise PluginError("the page's run no longer starts on a plateau at log 10: rewrite «학습 곡선»")
    last = int(flat[np.flatnonzero(np.diff(np.append(flat, -1)) != 1)[0]])  # the end of the first run of records
    cfg = main["config"]
    network = training.make_network(ref, cfg)
    (x_train, t_train), _ = ref["digits"].load_digits()
    rows = np.random.default_rng(cfg["seed"] + 1).choice(len(x_train), cfg["batch"])  # train()'s first batch
    grads = network.numerical_gradient(x_train[rows], t_train[rows])
    p = network.params
    hidden = 1 / (1 + np.exp(-(x_train[rows] @ p["W1"] + p["b1"])))
    biggest = {key: float(np.abs(g).max()) for key, g in grads.items()}
    return {"tl_log10": f4(np.log(10)), "tl_plateau_i": str(int(records[last])), "tl_plateau_loss": f4(losses[last]),
            "tl_drop_i": str(int(records[last + 1])), "tl_drop_loss": f4(losses[last + 1]),
            "tl_z_min": f"{hidden.min():.2f}", "tl_z_max": f"{hidden.max():.2f}",
            "tl_g_w1": f"{biggest['W1']:.1e}", "tl_g_w2": f"{biggest['W2']:.1e}",
            "tl_g_max": f"{max(biggest.values()):.1e}", "tl_step_book": f"{0.1 * max(biggest.values()):.1e}"}


def example_values(ref) -> dict:
    """The outputs of the example session on the page (run here exactly as a student would)."""
    (x_train, t_train), (x_test, t_test) = ref["digits"].load_digits()
    net = ref["two_layer_net"].TwoLayerNet(input_size=64, hidden_size=3, output_size=10,
                                           rng=np.random.default_rng(0))
    loss = round(net.loss(x_train[:100], t_train[:100]), 4)
    net.numerical_gradient(x_train[:10], t_train[:10])
    history = ref["two_layer_net"].train(net, x_train[:100], t_train[:100], x_test, t_test, iters=4, batch_size=50,
                                         lr=2.0, rng=np.random.default_rng(1))
    return {"ex_loss": repr(loss), "ex_train_loss": repr(history["train_loss"].round(4)),
            "ex_test_acc": repr(history["test_acc"])}


def early_stop(run) -> dict:
    """Where the test loss was lowest: record ``index``, taken after update ``i`` = ``iteration``, the
    ``update``-th (i = 0 is the first update, as on the exercise 4 page)."""
    i = int(np.argmin(run["test_loss"]))
    return {"index": i, "iteration": int(run["epoch_iters"][i]), "update": int(run["epoch_iters"][i]) + 1,
            "test_loss": float(run["test_loss"][i]), "test_acc": float(run["test_acc"][i])}


LAB_LABELS = {"base": "(처음 그대로)", "more_data": "1. 데이터 늘리기", "smaller": "2. 은닉 뉴런 줄이기",
              "weight_decay": "3. 가중치 감소", "dropout": "4. 드롭아웃"}


def lab_change(config: dict, base: dict, n_train: int, base_n: int) -> str:
    """What a remedy changed, in words: "훈련 데이터 40장 → 400장"."""
    changes = []
    if n_train != base_n:
        changes.append(f"훈련 데이터 {base_n}장 → {n_train}장")
    if config["hidden"] != base["hidden"]:
        changes.append(f"은닉 뉴런 {base['hidden']}개 → {config['hidden']}개")
    if config["weight_decay"] != base["weight_decay"]:
        changes.append(f"가중치 감소 λ = {config['weight_decay']:g}")
    if config["dropout"] != base["dropout"]:
        changes.append(f"드롭아웃 p = {config['dropout']:g}")
    return ", ".join(changes) or "—"


def lab_values(T) -> dict:
    lab = {key: T[f"lab_{key}"] for key in training.LAB_RUNS}
    base = lab["base"]
    cfg = base["config"]
    values = {"lab_n": str(base["n_train"]), "lab_hidden": str(cfg["hidden"]), "lab_batch": str(cfg["batch"]),
              "lab_lr": f"{cfg['lr']:g}", "lab_iters": str(cfg["iters"]), "lab_init_std": f"{cfg['init_std']:g}",
              "lab_ipe": str(base["iter_per_epoch"]), "lab_n_test": str(base["n_test"])}
    rows = []
    for key, run in lab.items():
        c = run["config"]
        stop = early_stop(run)
        rows.append([LAB_LABELS[key], lab_change(c, cfg, run["n_train"], base["n_train"]),
                     f"{f4(stop['test_loss'])} ({stop['update']}번째 갱신 뒤)", f4(run["test_loss"][-1]),
                     f4(run["test_acc"][-1]), f4(run["train_acc"][-1])])
        values[f"lab_{key}_final"] = f4(run["test_loss"][-1])
        values[f"lab_{key}_min"] = f4(stop["test_loss"])
        values[f"lab_{key}_min_at"] = str(stop["update"])
        values[f"lab_{key}_acc"] = f4(run["test_acc"][-1])
        values[f"lab_{key}_train_acc"] = f4(run["train_acc"][-1])
        values[f"lab_{key}_n"] = str(run["n_train"])
        values[f"lab_{key}_hidden"] = str(c["hidden"])
        values[f"lab_{key}_lambda"] = f"{c['weight_decay']:g}"
        values[f"lab_{key}_dropout"] = f"{c['dropout']:g}"
    values["lab_table"] = table(["처방", "바꾼 것", "가장 낮은 시험 손실", f"마지막 시험 손실 ({cfg['iters']}번 갱신 뒤)",
                                 "마지막 시험 정확도", "마지막 훈련 정확도"], rows)
    values["lab_base_train_loss_last"] = f4(base["train_loss"][-1])
    values["lab_base_acc_at_min"] = f4(early_stop(base)["test_acc"])
    return values


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
    values["exercise_files"] = assignment.files_table(exercises)
    values.update(public_points=str(public), hidden_points=str(hidden), total_points=str(public + hidden),
                  n_tests=str(len(inventory)), n_public_tests=str(sum(t["visibility"] == "public" for t in inventory)),
                  call_timeout=f"{experiments.limits().call_timeout:g}")
    return values


def _by_width(chunk: str):
    """Runs of characters that a terminal shows two columns wide (Hangul) or one (box drawing, ✔)."""
    run, wide_run = "", None
    for char in chunk:
        wide = unicodedata.east_asian_width(char) in "WF"
        if run and wide != wide_run:
            yield wide_run, run
            run = ""
        run, wide_run = run + char, wide
    if run:
        yield wide_run, run


def terminal(text: str) -> str:
    """Terminal output as HTML whose columns line up in any font.

    A terminal gives a Hangul syllable two columns and ASCII one; a browser's
    monospace font does not (Hangul comes from another font, of another width),
    so rich's tables came out crooked. Every run of non-ASCII characters is put
    in a box exactly as wide as the columns it takes in a terminal (``ch`` units).
    """
    parts = []
    for run in re.finditer(r"[\x00-\x7f]+|[^\x00-\x7f]+", text):
        chunk = run.group(0)
        if chunk.isascii():
            parts.append(html.escape(chunk, quote=False))
            continue
        for wide, group in _by_width(chunk):
            kind = "cells wide" if wide else "cells"
            width = len(group) * (2 if wide else 1)
            parts.append(f'<span class="{kind}" style="width:{width}ch">{html.escape(group, quote=False)}</span>')
    return '<div class="terminal"><pre><code>' + "".join(parts) + "</code></pre></div>"


def feedback_values() -> dict:
    F = experiments.sample_feedback()
    return {"check_output": terminal(F["check_output"]), "hidden_feedback": terminal(F["hidden_output"]),
            "sample_score": str(F["score"]), "sample_max": str(F["max_score"])}


def mistake_values() -> dict:
    """Each exercise page's «자주 하는 실수» table (hooks/mistake_tables.py): ``{{ mistakes_<exercise> }}``."""
    rows = mistake_tables.rows_by_exercise(mistake_examples.EXAMPLES)
    return {f"mistakes_{exercise}": mistake_tables.table(found) for exercise, found in rows.items()}


#: «예제로 확인하기» on every exercise page: students installed nox only; its check session has numpy.
RUN_PYTHON = """!!! tip "어디서, 어떤 Python으로 실행하나요"
    `nox -s check`를 한 번 실행하면 nox가 numpy를 비롯해 필요한 패키지를 설치한 가상 환경을 저장소의
    `.nox/check/` 폴더에 만듭니다. 저장소 맨 위 폴더(`exercises/`가 있는 곳)에서 그 환경의 Python을 실행하고,
    `>>>` 뒤의 줄을 차례로 입력하세요. 끝낼 때는 `exit()`입니다.

    ```text
    .nox/check/bin/python        # macOS, Linux
    .nox\\check\\Scripts\\python     # Windows (PowerShell, 명령 프롬프트)
    ```"""


def explorer_values(data: dict) -> dict:
    rates = data["rates"]
    small = [(lr, run["f"][-1]) for lr, run in zip(rates, data["runs"][0]) if run["kind"] == "small"]  # 1st start
    if not small:
        raise PluginError("no learning rate of the explorer reaches the minimum's rounding regime: rewrite its notes")
    return {"explorer_steps": str(data["steps"]), "explorer_rate_min": f"{rates[0]:g}",
            "explorer_rate_max": f"{rates[-2]:g}", "explorer_rate_book": f"{rates[-1]:g}",
            "explorer_small_rates": f"{small[0][0]:g}~{small[-1][0]:g}",
            "explorer_small_f_tex": f"10^{{{int(np.ceil(np.log10(max(f for _, f in small))))}}}"}


def glossary_values() -> dict:
    rows = [[f"**{row['term']}**", row["english"], row["meaning"]] for row in glossary.entries()]
    return {"glossary_table": table(["용어", "영어", "뜻"], rows), "glossary_count": str(len(rows))}


def on_config(config):
    """Korean-aware hover definitions (hooks/glossary.py) from includes/glossary.md."""
    if ROOT not in sys.path:  # MkDocs may have reset sys.path since this module was loaded
        sys.path.insert(0, ROOT)
    importlib.reload(glossary)
    config.markdown_extensions.append(glossary.KoreanGlossaryExtension())
    return config


def compute() -> dict:
    """Every value and generated file of the site: ``{"values": {name: text}, "files": {path: content}}``."""
    from hooks import figures  # matplotlib: imported only when something is drawn

    for module in (assignment, experiments, figures, training, mistake_examples, mistake_tables, explorer):
        importlib.reload(module)  # `mkdocs serve` rebuilds in the same process: pick up edits
    figures.use_korean_font()
    pending = training.launch()  # the networks train in worker processes (or come from the disk cache) ...
    ref = experiments.load_reference()
    L = experiments.losses(ref)
    paths = experiments.descent_paths(ref)
    O = experiments.overfitting(ref)
    W = experiments.why_loss(ref)
    X = explorer.data(ref, experiments.function_2)

    values = {}
    for part in (loss_values(ref), gradient_values(ref), descent_values(ref, paths), overfitting_values(O),
                 why_loss_values(W), grading_values(), feedback_values(), mistake_values(), glossary_values(),
                 explorer_values(X), {"run_python": RUN_PYTHON}):
        values.update(part)
    digits = training.load_reference()["digits"].load_digits()
    drawings = {
        "neg-log": figures.draw_neg_log(ref, L),
        "tangent": figures.draw_tangent(ref),
        "diff-error": figures.draw_diff_errors(experiments.h_choice(ref)),
        "partial-slices": figures.draw_partial_slices(ref),
        "gradient-field": figures.draw_gradient_field(ref),
        "descent-paths": figures.draw_descent_paths(ref, paths),
        "descent-values": figures.draw_descent_values(paths),
        "local-minimum": figures.draw_local_minimum(experiments.local_minimum(ref)),
        "overfit-fit": figures.draw_overfit_fit(O["base"]),
        "overfit-loss": figures.draw_overfit_loss(O["base"], O["noise_floor"]),
        "accuracy-vs-loss": figures.draw_accuracy_vs_loss(W),
        "large-lr": figures.draw_large_lr(experiments.large_lr_artifact(ref)),
        "valley-zigzag": figures.draw_valley(experiments.valley_path(ref)),
        "digits": figures.draw_digits(digits[0][0][:10], digits[0][1][:10]),
    }
    T = pending.wait()  # ... while everything above is made
    values.update(training_values(T, ref))
    values.update(lab_values(T))
    lab = {key: T[f"lab_{key}"] for key in training.LAB_RUNS}
    drawings |= {
        "train-loss": figures.draw_train_loss(T["main"]),
        "train-accuracy": figures.draw_train_accuracy(T["main"]),
        "overfit-network": figures.draw_overfit_network(lab, early_stop(lab["base"])),
    }
    files = {f"figures/{name}.svg": svg for name, svg in drawings.items()}
    files["assets/javascripts/descent-explorer-data.js"] = explorer.script(X)
    return {"values": values, "files": files}


#: What the site's values and figures are made from: a change to any file here is a new cache entry.
INPUTS = ("hooks", "solutions", "autograder", "data", "examples/submissions", "includes")


def input_files() -> list[Path]:
    root = Path(ROOT)
    return sorted(p for name in INPUTS for p in (root / name).rglob("*") if p.is_file() and "__pycache__" not in p.parts)


def environment() -> dict:
    from importlib.metadata import version

    return {"python": sys.version, **{name: version(name) for name in ("numpy", "matplotlib", "koreanize-matplotlib")}}


def on_files(files, config):
    """The site's values and generated files, from the disk cache when nothing they are made from changed."""
    if ROOT not in sys.path:  # MkDocs may have reset sys.path since this module was loaded
        sys.path.insert(0, ROOT)
    importlib.reload(cache)
    entry = cache.path_for("site", environment(), input_files())
    built = cache.load(entry)
    if built is None:
        built = compute()
        cache.store(entry, built)
        cache.prune("site", keep=entry)
    VALUES.clear()
    VALUES.update(built["values"])
    for path, content in built["files"].items():
        files.append(File.generated(config, path, content=content))
    return files


def on_page_markdown(markdown, page, config, files):
    def substitute(match):
        name = match.group(1)
        if name not in VALUES:
            raise PluginError(f"{page.file.src_uri}: no value named {{{{ {name} }}}} (see hooks/lecture.py)")
        return VALUES[name]

    try:
        markdown = korean.choose(markdown, VALUES)  # {{ name }}을(를): the particle that fits the value
    except ValueError as exc:
        raise PluginError(f"{page.file.src_uri}: {exc}") from None
    return PLACEHOLDER.sub(substitute, markdown)
