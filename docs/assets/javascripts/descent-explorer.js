/* The learning-rate explorer of the gradient-descent page (docs/gradient_descent.md).
 *
 * Draws what hooks/explorer.py computed with the reference at build time
 * (window.DESCENT_EXPLORER, from descent-explorer-data.js): the path on the
 * contour plot of f = x0^2 + x1^2, f at each step (log scale), and the first
 * position where the numerical gradient is more than 1% off the exact 2x.
 * Nothing is computed here beyond placing points, and nothing is fetched.
 */
(function () {
  "use strict";
  const SVG = "http://www.w3.org/2000/svg";
  const BOX = 5;  // the contour plot shows -5 <= x0, x1 <= 5

  function el(name, attrs, parent) {
    const node = document.createElementNS(SVG, name);
    for (const [key, value] of Object.entries(attrs || {})) node.setAttribute(key, value);
    if (parent) parent.appendChild(node);
    return node;
  }

  function fmt(value) {
    if (value === 0) return "0";
    const abs = Math.abs(value);
    return abs >= 1e4 || abs < 1e-3 ? value.toExponential(3).replace("e+", "e") : String(Number(value.toPrecision(4)));
  }

  function html(tag, attrs, text) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) node.setAttribute(key, value);
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function contour(svg) {
    const g = el("g", {class: "levels"}, svg);
    for (let r = 1; r <= BOX; r++) el("circle", {cx: 0, cy: 0, r: r}, g);  // f = 1, 4, 9, 16, 25
    el("line", {x1: -BOX, y1: 0, x2: BOX, y2: 0, class: "axis"}, g);
    el("line", {x1: 0, y1: -BOX, x2: 0, y2: BOX, class: "axis"}, g);
    el("circle", {cx: 0, cy: 0, r: 0.12, class: "minimum"}, g);
    el("text", {x: BOX - 0.2, y: -0.25, class: "label", "text-anchor": "end"}, g).textContent = "x₀";
    el("text", {x: 0.25, y: -BOX + 0.6, class: "label"}, g).textContent = "x₁";
    return el("g", {class: "path", "clip-path": "url(#descent-explorer-clip)"}, svg);
  }

  function drawPath(layer, run, start) {
    layer.replaceChildren();
    const points = run.path.map(([x0, x1]) => [x0, -x1]);  // SVG's y grows downwards
    el("polyline", {points: points.map(p => p.join(",")).join(" ")}, layer);
    points.forEach(([x, y], k) => el("circle", {cx: x, cy: y, r: k === 0 ? 0.16 : 0.09,
      class: k === 0 ? "start" : k === run.broken ? "broken" : "step"}, layer));
    layer.dataset.points = String(points.length);
    layer.dataset.start = start.join(",");
  }

  function drawLoss(svg, run, steps) {
    svg.replaceChildren();
    const W = 320, H = 180, L = 40, B = 24, T = 8;
    const logs = run.f.map(v => Math.log10(Math.max(v, 1e-300)));
    const lo = Math.floor(Math.min(...logs)), hi = Math.ceil(Math.max(...logs, lo + 1));
    const x = k => L + (W - L - 6) * k / steps, y = v => T + (H - T - B) * (hi - v) / (hi - lo);
    el("line", {x1: L, y1: H - B, x2: W - 6, y2: H - B, class: "axis"}, svg);
    el("line", {x1: L, y1: T, x2: L, y2: H - B, class: "axis"}, svg);
    for (const v of [lo, Math.round((lo + hi) / 2), hi]) {
      el("text", {x: L - 4, y: y(v) + 4, class: "tick", "text-anchor": "end"}, svg).textContent = `1e${v}`;
    }
    for (const k of [0, steps / 2, steps]) {
      el("text", {x: x(k), y: H - 6, class: "tick", "text-anchor": "middle"}, svg).textContent = String(k);
    }
    for (const [k, name] of [[run.broken, "broken"], [run.frozen, "frozen"]]) {
      if (k !== null) el("line", {x1: x(k), y1: T, x2: x(k), y2: H - B, class: `mark ${name}`}, svg);
    }
    el("polyline", {points: logs.map((v, k) => `${x(k)},${y(v)}`).join(" "), class: "loss"}, svg);
    svg.dataset.points = String(logs.length);
  }

  function verdict(run) {
    const factor = run.factor;
    if (Math.abs(factor) < 1e-6) return "한 걸음 만에 원점에 (거의) 도착합니다";
    if (Math.abs(factor) < 1) return factor < 0 ? "원점을 지나쳐 오가며 수렴합니다" : "원점으로 곧장 수렴합니다";
    return Math.abs(factor) === 1 ? "같은 두 점을 오갈 뿐 줄지 않습니다" : "지나칠 때마다 더 멀어져 발산합니다";
  }

  function breakdown(run) {
    if (run.broken === null) return "수치 미분은 지나온 모든 위치에서 참값 2x와 1% 안으로 맞습니다.";
    const why = run.kind === "large"
      ? "x가 너무 커서 f(x + h)와 f(x − h)의 차이가 반올림 오차에 묻힌 것입니다 (과제 2의 h와 반올림 오차)."
      : "x가 h = 1e-4보다 훨씬 작아져 x + h가 h로 반올림된 것입니다. 이미 최솟값에 사실상 도착한 뒤라 결과에는 영향이 없습니다.";
    const frozen = run.frozen === null ? "" : ` ${run.frozen}번째 위치부터는 기울기가 0이 되어 더 움직이지 않습니다.`;
    return `수치 미분이 ${run.broken}번째 위치에서 참값 2x와 1% 넘게 다릅니다. ${why}${frozen}`;
  }

  function build(root, data) {
    const rates = data.rates, starts = data.starts;
    let rate = rates.indexOf(0.1), start = 0;
    const controls = html("div", {class: "controls"});
    const slider = html("input", {type: "range", min: "0", max: String(rates.length - 1), step: "1",
      value: String(rate), id: "descent-explorer-rate", "aria-valuetext": `η = ${rates[rate]}`});
    const shown = html("output", {for: "descent-explorer-rate", class: "rate"}, String(rates[rate]));
    const rateLabel = html("label", {for: "descent-explorer-rate"}, "학습률 η ");
    const choose = html("select", {id: "descent-explorer-start"});
    starts.forEach((s, i) => choose.appendChild(html("option", {value: String(i)}, `(${s[0]}, ${s[1]})`)));
    const startLabel = html("label", {for: "descent-explorer-start"}, "시작점 ");
    controls.append(rateLabel, slider, shown, startLabel, choose);
    const plots = html("div", {class: "plots"});
    const map = el("svg", {viewBox: `${-BOX} ${-BOX} ${2 * BOX} ${2 * BOX}`, class: "contour", role: "img"});
    const clip = el("clipPath", {id: "descent-explorer-clip"}, el("defs", {}, map));
    el("rect", {x: -BOX, y: -BOX, width: 2 * BOX, height: 2 * BOX}, clip);
    const layer = contour(map);
    const loss = el("svg", {viewBox: "0 0 320 180", class: "loss-chart", role: "img"});
    const lossBox = html("figure", {class: "loss-box"});
    lossBox.append(loss, html("figcaption", {}, "갱신 횟수에 따른 f (세로축은 로그 눈금; 빨간 선: 수치 미분이 무너진 곳)"));
    plots.append(map, lossBox);
    const readout = html("p", {class: "readout", "aria-live": "polite"});
    root.replaceChildren(controls, plots, readout);

    function update() {
      const run = data.runs[start][rate], s = starts[start], end = run.path[run.path.length - 1];
      shown.textContent = String(rates[rate]);
      slider.setAttribute("aria-valuetext", `η = ${rates[rate]}`);
      drawPath(layer, run, s);
      drawLoss(loss, run, data.steps);
      map.setAttribute("aria-label", `시작점 (${s[0]}, ${s[1]})에서 η = ${rates[rate]}로 간 경로`);
      loss.setAttribute("aria-label", "갱신 횟수에 따른 f");
      readout.textContent = `η = ${rates[rate]}: 한 번에 곱해지는 수 ${fmt(run.factor)}, ${verdict(run)}. ` +
        `${data.steps}번 갱신한 뒤 x = (${fmt(end[0])}, ${fmt(end[1])}), f = ${fmt(run.f[run.f.length - 1])}. ` +
        breakdown(run);
    }

    slider.addEventListener("input", () => { rate = Number(slider.value); update(); });
    choose.addEventListener("change", () => { start = Number(choose.value); update(); });
    map.addEventListener("click", event => {  // the start nearest to the click
      const point = new DOMPoint(event.clientX, event.clientY).matrixTransform(map.getScreenCTM().inverse());
      const distance = s => (s[0] - point.x) ** 2 + (s[1] + point.y) ** 2;
      start = starts.reduce((best, s, i) => distance(s) < distance(starts[best]) ? i : best, 0);
      choose.value = String(start);
      update();
    });
    update();
  }

  function init() {
    const data = window.DESCENT_EXPLORER;
    for (const root of document.querySelectorAll(".descent-explorer")) {
      if (data && !root.dataset.ready) {
        root.dataset.ready = "true";
        build(root, data);
      }
    }
  }

  if (window.document$ && window.document$.subscribe) window.document$.subscribe(init);  // Material's page event
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
