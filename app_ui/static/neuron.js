// The neuron: one hidden unit of the page's model, live while drawing. Its weighted sum of its inputs
// (w·x), its bias (b), the sum the activation function is given (z = w·x + b), the function's curve
// with the point where the unit sits now, and its output, from the pipeline's forward pass
// (pipeline.js, mlp.js) on every frame. Which unit: a click on a cell of any hidden layer (layers.js)
// or on a first-layer tile (weights.js) picks it. The units that never switch on over MNIST's test
// set (dead units) come from Python (app_ui/explore_tab.py, mnist_model/explain.py's dead_units);
// the layer heat maps mark them. A slider asks what if the unit's bias were larger or smaller: the
// view shows the sum, the point on the curve and the output that bias would give, and nothing else
// changes (the network, its answer and anything saved keep the unit's own bias). The curve's range
// grows with the sum while one unit is shown, and never shrinks back (it seemed to jump).
(function (ns) {
  "use strict";

  const listeners = new Set();
  const state = {
    picked: { layer: 0, unit: 0 }, // the unit shown
    dead: null,                    // Python's dead units for the active model: {sizes, activation, units, images}
    shown: null,                   // the unit as the network has it now (explain's result), for tests and the curious
    shift: 0,                      // what if its bias were this much larger: the view's alone, never the network's
    reach: 0,                      // the curve's half-width: it only grows while one unit is shown (no jumping)
    labels: [],                    // the curve's words as drawn last (curveLabels), for tests
  };

  function on(fn) {
    listeners.add(fn);
    return () => listeners.delete(fn);
  }
  function changed() {
    for (const fn of listeners) {
      try { fn(state); } catch (error) { console.error("mnistDemo.neuron listener:", error); }
    }
  }

  function pick(layer, unit) {
    state.picked = { layer, unit };
    state.shift = 0;
    state.reach = 0;
    changed();
  }

  // `shown` (explain's) with its bias `shift` larger: the sum and the output that bias would give. Pure.
  function whatIf(shown, shift) {
    const sum = shown.sum + shift;
    return { ...shown, bias: shown.bias + shift, sum, output: curve(shown.activation, [sum])[0], shift };
  }

  function setDead(dead) {
    state.dead = dead || null;
    changed();
  }

  // Python's dead units of hidden layer `layer` as a Set, when they belong to the model the page runs
  // (same layer sizes) and the network's units can die (ReLU); else null.
  function deadIn(layer) {
    const dead = state.dead, sizes = ns.pipeline.state.modelInfo?.sizes;
    if (!dead?.units || dead.activation !== "relu" || !sizes) return null;
    if (dead.sizes.join() !== sizes.slice(1, -1).join()) return null;
    return new Set(dead.units[layer] || []);
  }

  // One unit of hidden layer `layer` for one input (784 numbers) and the model's forward pass of it:
  // {layer, unit, weighted: w·x, bias: b, sum: w·x + b, output, activation}. Pure.
  function explain(model, input, forward, layer, unit) {
    const weights = model.layers[layer], x = layer === 0 ? input : forward.activations[layer - 1];
    let weighted = 0;
    const row = unit * weights.cols;
    for (let c = 0; c < weights.cols; c++) weighted += weights.w[row + c] * x[c];
    const bias = weights.b[unit];
    return { layer, unit, weighted, bias, sum: weighted + bias, output: forward.activations[layer][unit],
             activation: model.activation };
  }

  // The sums the curve is drawn over: [-reach, reach], wide enough for `sum` to sit well inside. Pure.
  function reach(sum) {
    return Math.max(4, Math.ceil(Math.abs(sum) * 1.25));
  }

  // The activation function at each of `sums`, as the page's forward pass computes it. Pure.
  function curve(activation, sums) {
    const f = ns.mlp.ACTIVATIONS[activation];
    return Array.from(sums, (z) => f(z));
  }

  // The curve's slope below 0 where it is a straight line, written out (leaky ReLU's 0.01 cannot be
  // told from ReLU's 0 by eye); null for the curved ones.
  const slopeBelow = (activation) => ({ relu: 0, leaky_relu: ns.mlp.settings.leaky_slope })[activation] ?? null;

  // The curve's words and where they go: [{text, x, y, align}], for sums over [-r, r] and outputs over
  // [low, high] drawn by X and Y, text `size` px high; `slope(s)` words the slope below 0. A value
  // that would sit on the z axis is left out (leaky ReLU's -0.04 was written over it). Pure.
  function curveLabels(activation, r, low, high, X, Y, size, slope) {
    const value = (v) => (Math.abs(v) >= 10 ? v.toFixed(0) : String(+v.toFixed(2)));
    const labels = [
      { text: String(-r), x: X(-r), y: Y(0) + size + 2, align: "left" },
      { text: String(r), x: X(r), y: Y(0) + size + 2, align: "right" },
      { text: value(high), x: X(0) - 4, y: Y(high) + size * 0.8, align: "right" },
      { text: "z", x: X(r), y: Y(0) - 4, align: "right" }, // the axes' names: the sum z along, the output f(z) up
      { text: "f(z)", x: X(0) + 4, y: Y(high) + size * 0.8, align: "left" },
    ];
    if (low < 0 && Y(low) - Y(0) >= 1.2 * size) {
      labels.push({ text: value(low), x: X(0) - 4, y: Y(low) + size * 0.8, align: "right" });
    }
    const below = slopeBelow(activation);
    if (below !== null) labels.push({ text: slope(below), x: X(-r / 2), y: Y(0) - size * 0.6, align: "center" });
    return labels;
  }

  // The curve of `activation` over [-reach, reach], the axes, and the unit's point (z, f(z)).
  function paintCurve(canvas, activation, point, r, colours, slope) {
    const ratio = window.devicePixelRatio || 1;
    const width = canvas.clientWidth, height = canvas.clientHeight;
    if (!width || !height) return;
    canvas.width = Math.round(width * ratio); canvas.height = Math.round(height * ratio);
    const ctx = canvas.getContext("2d");
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.clearRect(0, 0, width, height);
    const steps = 200;
    const zs = Array.from({ length: steps + 1 }, (_, i) => -r + (2 * r * i) / steps);
    const ys = curve(activation, zs);
    const low = Math.min(0, ...ys), high = Math.max(0, ...ys), span = high - low || 1;
    // its text at the canvas's own font size (neuron.css: larger in projector mode), its margins with it
    const size = parseFloat(getComputedStyle(canvas).fontSize) || 12, pad = Math.round(1.5 * size);
    const X = (z) => pad + ((z + r) / (2 * r)) * (width - 2 * pad);
    const Y = (y) => height - pad - ((y - low) / span) * (height - 2 * pad);
    ctx.font = `${size}px sans-serif`;
    ctx.lineWidth = 1; ctx.strokeStyle = colours.axis; ctx.fillStyle = colours.text;
    ctx.beginPath(); ctx.moveTo(X(-r), Y(0)); ctx.lineTo(X(r), Y(0)); ctx.moveTo(X(0), Y(low)); ctx.lineTo(X(0), Y(high));
    ctx.stroke();
    state.labels = curveLabels(activation, r, low, high, X, Y, size, slope);
    for (const label of state.labels) {
      ctx.textAlign = label.align;
      ctx.fillText(label.text, label.x, label.y);
    }
    ctx.lineWidth = 2.5; ctx.strokeStyle = colours.curve;
    ctx.beginPath();
    zs.forEach((z, i) => (i ? ctx.lineTo(X(z), Y(ys[i])) : ctx.moveTo(X(z), Y(ys[i]))));
    ctx.stroke();
    if (!point) return;
    const px = X(point.sum), py = Y(curve(activation, [point.sum])[0]);
    ctx.setLineDash([4, 3]); ctx.lineWidth = 1; ctx.strokeStyle = colours.point;
    ctx.beginPath(); ctx.moveTo(px, Y(0)); ctx.lineTo(px, py); ctx.lineTo(X(0), py); ctx.stroke();
    ctx.setLineDash([]);
    ctx.fillStyle = colours.point;
    ctx.beginPath(); ctx.arc(px, py, 6, 0, 2 * Math.PI); ctx.fill();
  }

  const fixed = (v) => (Math.abs(v) < 5e-4 ? 0 : v).toFixed(3);

  function mountNeuron({ element, props, watch }) {
    const { pipeline } = ns;
    const texts = props.texts;
    ns.language.translate(element, texts);
    const $ = (selector) => element.querySelector(selector);
    const canvas = $("canvas.neuron-curve"), shift = $("input.neuron-shift");
    const say = (key, values) => ns.language.format(texts, key, values);

    // the dead units' list: per layer, each unit a button that picks it
    function paintDead() {
      const dead = state.dead, box = $(".neuron-dead");
      const sizes = pipeline.state.modelInfo?.sizes;
      if (!dead || !sizes || (dead.sizes && dead.sizes.join() !== sizes.slice(1, -1).join())) {
        box.innerHTML = "";
        return;
      }
      if (dead.missing) {
        box.innerHTML = `<p>${say("dead_no_data")}</p>`;
        return;
      }
      const images = dead.images.toLocaleString();
      if (!dead.units.some((units) => units.length)) { // (no list of nobody, no note on what they mean)
        box.innerHTML = `<p class="neuron-dead-title">${say("dead_nowhere", { images })}</p>`;
        return;
      }
      const rows = dead.units.map((units, i) => {
        const where = { layer: i + 1, count: units.length, units: dead.sizes[i] };
        if (!units.length) return `<li>${say("dead_none", where)}</li>`;
        const buttons = units.map((u) => `<button type="button" data-layer="${i}" data-unit="${u}">${u}</button>`);
        return `<li>${say("dead_layer", where)} ${buttons.join(" ")}</li>`;
      }).join("");
      box.innerHTML = `<p class="neuron-dead-title">${say("dead_title", { images })}</p>`
        + `<ul>${rows}</ul><p class="neuron-dead-means">${say(`dead_means_${dead.activation}`)}</p>`;
    }

    function paint() {
      if (!element.getBoundingClientRect().width) return; // Explore is not open: nothing to show
      const cnn = pipeline.state.model?.architecture === "cnn"; // its units are feature maps' cells: not shown here
      const model = cnn ? null : pipeline.state.model, { input, forward } = pipeline.state.result;
      let { layer, unit } = state.picked;
      const hidden = model ? model.layers.length - 1 : 0;
      if (model && (layer >= hidden || unit >= model.layers[layer].rows)) {
        pick(0, 0); // the model changed under the pick
        return;
      }
      const real = model && forward ? explain(model, input, forward, layer, unit) : null;
      state.shown = real;
      const shown = real && state.shift ? whatIf(real, state.shift) : real; // what the view shows
      element.querySelector(".neuron").classList.toggle("what-if", !!state.shift);
      shift.value = String(state.shift);
      $(".neuron-shift-reset").hidden = !state.shift;
      $(".neuron-shift-said").textContent = state.shift && model ? say("neuron_whatif_shift",
        { bias: fixed(model.layers[layer].b[unit]), sign: state.shift > 0 ? "+" : "−", shift: Math.abs(state.shift).toFixed(1) }) : "";
      $(".neuron-title").textContent = model ? say("neuron_title", { layer: layer + 1, unit }) : "";
      const dead = deadIn(layer);
      $(".neuron-badge").hidden = !dead?.has(unit);
      for (const name of ["weighted", "bias", "sum", "output"]) {
        const value = name === "bias" && model ? model.layers[layer].b[unit] + state.shift : shown?.[name];
        $(`.neuron-${name}`).textContent = value === undefined ? "–" : fixed(value);
      }
      const activation = model?.activation || "relu";
      $(".neuron-function").textContent = say(`neuron_${activation}`);
      $(".neuron-note").textContent = cnn ? say("neuron_cnn")
        : !model ? say(pipeline.state.modelInfo?.server ? "neuron_server" : "neuron_none")
        : !forward ? say("neuron_draw") : "";
      const style = getComputedStyle(element);
      const accent = style.getPropertyValue("--color-accent").trim() || "#f97316";
      state.reach = Math.max(state.reach, reach(shown ? shown.sum : 0));
      paintCurve(canvas, activation, shown, state.reach, { axis: "rgba(128,128,128,.7)", text: style.color,
                                                            curve: style.color, point: accent },
                 (slope) => say("neuron_slope", { slope }));
      paintDead();
    }

    element.addEventListener("click", (event) => {
      const button = event.target.closest(".neuron-dead button");
      if (button) pick(Number(button.dataset.layer), Number(button.dataset.unit));
    });
    shift.addEventListener("input", () => { state.shift = Number(shift.value); paint(); });
    $(".neuron-shift-reset").addEventListener("click", () => { state.shift = 0; paint(); });
    watch("dead", () => setDead(props.dead));
    pipeline.on("result", paint);
    pipeline.on("model", () => { state.shift = 0; state.reach = 0; paint(); });
    on(paint);
    new ResizeObserver(paint).observe(element);
    ns.language.onChange(paint);
    if (props.dead) setDead(props.dead); else paint();
  }

  ns.mountNeuron = mountNeuron;
  ns.neuron = { state, on, pick, setDead, deadIn, explain, whatIf, reach, curve, curveLabels };
})(window.mnistDemo = window.mnistDemo || {});
