// The Train tab's curves: one line per run, each its own colour, a legend that names each run's recipe
// and wraps rather than being cut, axes labelled in the page's language. Drawn as SVG from the
// component's value (app_ui/curves.py's plot_values): {x: "steps" | "epochs", y: "loss" | "accuracy",
// runs: [{label, points: [[x, y], ...]}]}. The gradient's flow (curves.py's gradient_value) adds
// y: "gradient", scale: "log" (ticks at powers of ten), panels (a run's name each: its lines, those
// with that `panel`, are drawn in a panel of their own, side by side, or one above the other where the
// plot is narrow, all on one x and one y axis), each line's own colour and its layer (named at the
// line's end, in the page's language), a legend of its own ({layer, layers, colour}), and x_min (the x
// axis starts there, not at 0: Step's steps).
(function (ns) {
  "use strict";

  // Okabe and Ito's eight colours, told apart by people with any kind of colour blindness
  const COLOURS = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"];
  const SVG = "http://www.w3.org/2000/svg";
  const AXIS_CHAR = 0.8 * 0.6; // a digit's width, in the element's font size: the axes' text is .8em (plot.css)
  const PANEL_AREA = 220; // px: panels whose curves would have less room than this are drawn one above the other

  // About `count` round tick values, the first at or below `low` and the last at or above `high`, at
  // least `least` apart (1 for steps: Step's axis read "939.2" steps).
  function ticks(low, high, count = 5, least = 0) {
    if (!(high > low)) high = low + 1;
    const raw = Math.max((high - low) / count, least), power = 10 ** Math.floor(Math.log10(raw));
    const step = [1, 2, 2.5, 5, 10].map((m) => m * power)
      .find((s) => s >= raw && (least < 1 || Number.isInteger(s))); // (whole steps: never 2.5)
    const first = Math.floor(low / step + 1e-9) * step, last = Math.ceil(high / step - 1e-9) * step;
    const out = [];
    for (let v = first; v <= last + step * 1e-9; v += step) out.push(+v.toPrecision(12));
    return out;
  }

  // Ticks for an axis `length` px long whose labels (`label(t)`) take about `charWidth` px a character:
  // as many as stand side by side with two characters between them, five at most (the two accuracy
  // plots share a phone's width: their step labels ran together).
  function fittingTicks(low, high, length, label, charWidth, least = 0) {
    for (let count = 5; count > 1; count--) {
      const out = ticks(low, high, count, least), widest = Math.max(...out.map((t) => label(t).length));
      if (length / (out.length - 1) >= (widest + 2) * charWidth) return out;
    }
    return ticks(low, high, 1, least);
  }

  // The y of each of `wanted` (labels' wanted y, in px) moved apart, order kept, so that no two are
  // closer than `gap`, all between `top` and `bottom` where there is room (names at the lines' ends).
  function spread(wanted, gap, top, bottom) {
    const order = wanted.map((y, i) => [y, i]).sort((a, b) => a[0] - b[0]), at = order.map(([y]) => y);
    for (let k = 0; k < at.length; k++) at[k] = Math.max(at[k], k ? at[k - 1] + gap : top);
    for (let k = at.length - 1; k >= 0; k--) at[k] = Math.min(at[k], k < at.length - 1 ? at[k + 1] - gap : bottom);
    for (let k = 0; k < at.length; k++) at[k] = Math.max(at[k], k ? at[k - 1] + gap : top); // (when it cannot fit)
    const out = new Array(wanted.length);
    order.forEach(([, i], k) => { out[i] = at[k]; });
    return out;
  }

  const xLabel = (t) => (Number.isInteger(t) ? t.toLocaleString() : t.toString());

  // A log axis: ticks at whole powers of ten (log10 values) from `low` to `high`, every one or every
  // few so that there are about five, labelled 0.01, 0.1, 1, 10, 100 and 10⁻⁶ beyond.
  function logTicks(low, high) {
    const first = Math.floor(low + 1e-9), last = Math.max(Math.ceil(high - 1e-9), first + 1);
    const every = Math.max(1, Math.ceil((last - first) / 5)), out = [];
    for (let e = last; e >= first - every + 1; e -= every) out.unshift(e);
    return out;
  }
  const SUPERSCRIPT = { "-": "⁻", 0: "⁰", 1: "¹", 2: "²", 3: "³", 4: "⁴", 5: "⁵", 6: "⁶", 7: "⁷", 8: "⁸", 9: "⁹" };
  const powerLabel = (e) => (Math.abs(e) <= 2 ? (10 ** e).toFixed(Math.max(0, -e))
    : "10" + String(e).split("").map((c) => SUPERSCRIPT[c]).join(""));

  function make(tag, attributes, parent) {
    const node = document.createElementNS(SVG, tag);
    for (const [k, v] of Object.entries(attributes)) node.setAttribute(k, v);
    parent?.appendChild(node);
    return node;
  }

  function mountPlot({ element, props, watch }) {
    const texts = props.texts;
    const title = element.querySelector(".plot-title"), legend = element.querySelector(".plot-legend");
    const holder = element.querySelector(".plot-area"), empty = element.querySelector(".plot-empty");

    function draw() {
      const value = props.value, runs = (value?.runs || []).filter((r) => r.points.length);
      title.textContent = ns.language.format(texts, props.heading);
      empty.textContent = ns.language.format(texts, props.empty || "plot_empty");
      empty.hidden = runs.length > 0;
      legend.innerHTML = "";
      const colourOf = (run, i) => run.colour || COLOURS[i % COLOURS.length];
      const layerName = (entry) => ns.language.format(texts, entry.layer === entry.layers ? "gradient_output"
        : "gradient_layer", { layer: entry.layer });
      const entries = value?.legend || (value?.runs || []).map((run, i) => ({ label: run.label, colour: colourOf(run, i) }));
      for (const entry of entries) {
        const item = document.createElement("li");
        item.innerHTML = `<span class="swatch" style="background:${entry.colour}"></span>`;
        item.append(document.createTextNode(entry.layer ? layerName(entry) : entry.label));
        legend.appendChild(item);
      }
      holder.innerHTML = "";
      const panels = value?.panels || [null];
      const width = holder.clientWidth, font = parseFloat(getComputedStyle(element).fontSize) || 14;
      // (side by side, each panel loses its axis's labels and its lines' names: about 12 letters)
      const stacked = panels.length > 1 && width / panels.length - font * 12 < PANEL_AREA;
      if (stacked !== (holder.dataset.stacked === "1")) { // (its height follows, plot.css; then it is drawn again)
        holder.dataset.stacked = stacked ? "1" : "";
        return;
      }
      const height = holder.clientHeight;
      if (!runs.length || !width) return;
      const accuracy = value.y === "accuracy", log = value.scale === "log";
      const yOf = log ? (y) => Math.log10(y) : (y) => y; // (a log axis is drawn in log10 units)
      const xs = runs.flatMap((r) => r.points.map((p) => p[0])), ys = runs.flatMap((r) => r.points.map((p) => yOf(p[1])));
      const svg = make("svg", { width, height, viewBox: `0 0 ${width} ${height}`, role: "img" }, holder);
      const small = parseFloat(getComputedStyle(svg).fontSize) || font * 0.8; // the svg's text's size (plot.css)
      const named = runs.some((run) => run.layer && panels[0] !== null); // names at the lines' ends
      const ends = named ? Math.max(...runs.map((run) => { // the widest name, measured as drawn
        const probe = make("text", { class: "line-end" }, svg);
        probe.textContent = layerName(run);
        const length = probe.getComputedTextLength();
        probe.remove();
        return length;
      })) + font : 0;
      const across = stacked ? 1 : panels.length, down = stacked ? panels.length : 1;
      const panelWidth = width / across, panelHeight = height / down;
      const titled = panels.some(Boolean), titleHeight = titled ? font * 1.3 : 0;
      const left = font * (accuracy ? 3.6 : 3.2), bottom = font * 2.8, top = font * 0.6 + titleHeight, right = font + ends;
      const xTicks = fittingTicks(value.x_min ?? 0, Math.max(...xs), panelWidth - left - right, xLabel, font * AXIS_CHAR,
        value.x === "steps" ? 1 : 0); // (a step is whole)
      const yTicks = log ? logTicks(Math.min(...ys), Math.max(...ys))
        : accuracy ? ticks(Math.max(0, Math.min(...ys) - 0.02), Math.min(1, Math.max(...ys) + 0.01), 4)
          : ticks(0, Math.max(...ys), 4);
      const [x0, x1] = [xTicks[0], xTicks[xTicks.length - 1]], [y0, y1] = [yTicks[0], yTicks[yTicks.length - 1]];
      panels.forEach((panelName, panel) => {
        const ox = (stacked ? 0 : panel) * panelWidth, oy = (stacked ? panel : 0) * panelHeight;
        const w = panelWidth, h = panelHeight;
        const px = (x) => ox + left + (x - x0) / (x1 - x0 || 1) * (w - left - right);
        const py = (y) => oy + h - bottom - (y - y0) / (y1 - y0 || 1) * (h - top - bottom);
        const axes = make("g", { class: "axes" }, svg);
        if (titled) {
          make("text", { x: (ox + left + ox + w - right) / 2, y: oy + font, "text-anchor": "middle", class: "panel-title" },
            axes).textContent = panelName;
        }
        for (const t of xTicks) {
          make("line", { x1: px(t), x2: px(t), y1: oy + top, y2: oy + h - bottom, class: "grid" }, axes);
          make("text", { x: px(t), y: oy + h - bottom + font * 1.2, "text-anchor": "middle" }, axes).textContent = xLabel(t);
        }
        for (const t of yTicks) {
          make("line", { x1: ox + left, x2: ox + w - right, y1: py(t), y2: py(t), class: "grid" }, axes);
          make("text", { x: ox + left - font * 0.4, y: py(t) + font * 0.35, "text-anchor": "end" }, axes).textContent =
            log ? powerLabel(t) : accuracy ? `${+(t * 100).toFixed(1)}%` : t.toString();
        }
        make("text", { x: ox + (left + w - right) / 2, y: oy + h - font * 0.4, "text-anchor": "middle", class: "axis-title" },
          axes).textContent = ns.language.format(texts, value.x === "steps" ? "axis_steps" : "axis_epochs");
        const middle = oy + (top + h - bottom) / 2;
        make("text", { x: ox + font, y: middle, "text-anchor": "middle", class: "axis-title",
          transform: `rotate(-90 ${ox + font} ${middle})` }, axes).textContent =
          ns.language.format(texts, log ? "axis_gradient" : accuracy ? "axis_accuracy" : "axis_loss");
        const mine = (value.runs || []).map((run, i) => [run, i])
          .filter(([run]) => run.points.length && (run.panel ?? 0) === panel);
        for (const [run, i] of mine) {
          const colour = colourOf(run, i);
          const name = run.layer ? [run.label, layerName(run)].filter(Boolean).join(": ") : run.label;
          if (run.points.length === 1) {
            make("circle", { cx: px(run.points[0][0]), cy: py(yOf(run.points[0][1])), r: 3, fill: colour }, svg);
            continue;
          }
          const line = make("polyline", {
            points: run.points.map(([x, y]) => `${px(x).toFixed(1)},${py(yOf(y)).toFixed(1)}`).join(" "),
            fill: "none", stroke: colour, "stroke-width": run.layer ? 3 : 2, "stroke-linejoin": "round", class: "curve" }, svg);
          make("title", {}, line).textContent = name; // (what a pointer resting on the line is told)
        }
        if (!named) return;
        const last = mine.map(([run]) => run.points[run.points.length - 1]);
        const at = spread(last.map(([, y]) => py(yOf(y))), small * 1.15, oy + top, oy + h - bottom);
        const names = make("g", { class: "line-ends" }, svg);
        mine.forEach(([run, i], k) => {
          const [x, y] = [px(last[k][0]), py(yOf(last[k][1]))], colour = colourOf(run, i);
          if (Math.abs(at[k] - y) > 1) { // a dotted leader from the line's end to its name, apart from the line
            make("line", { x1: x + 3, y1: y, x2: x + font * 0.6, y2: at[k], stroke: colour, "stroke-width": 1,
              "stroke-dasharray": "2 2", opacity: 0.8, class: "leader" }, names);
          }
          make("text", { x: x + font * 0.7, y: at[k] + small * 0.35, style: `fill:${colour}`, class: "line-end" },
            names).textContent = layerName(run);
        });
      });
    }

    watch("value", draw);
    new ResizeObserver(draw).observe(holder);
    ns.language.onChange(draw);
    draw();
  }

  ns.plot = { ticks, fittingTicks, logTicks, powerLabel, spread, COLOURS };
  ns.mountPlot = mountPlot;
})(window.mnistDemo = window.mnistDemo || {});
