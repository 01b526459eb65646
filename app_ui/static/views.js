// What the page shows of the network's work: the answer (the digit, ten probabilities, the 28 x 28
// input) and, on Explore, every hidden layer's activations and the scores before and after softmax.
// Both repaint from the shared drawing's result (live.js) every frame it changes, and the answer
// also shows what Python sends it (an uploaded photo, or a model too big for the page).
(function (ns) {
  "use strict";

  const DIGITS = [...Array(10).keys()];

  // --- drawing helpers ---------------------------------------------------------------------------

  // Values in [0, 1] (784 of them) as grey pixels on a 28 x 28 canvas.
  function paintInput(canvas, input) {
    const ctx = canvas.getContext("2d");
    const image = ctx.createImageData(28, 28);
    for (let i = 0; i < 784; i++) {
      const v = Math.round(Math.min(1, Math.max(0, input ? input[i] : 0)) * 255);
      image.data.set([v, v, v, 255], 4 * i);
    }
    ctx.putImageData(image, 0, 0);
  }

  // Non-negative values as the heat colour map of mnist_model/visual.py: palette stops from Python,
  // scaled so the largest value is the brightest; exact zeros stay black.
  function heatColour(value, top, palette) {
    if (!(value > 0)) return [0, 0, 0];
    const position = Math.min(1, value / top) * (palette.length - 1);
    const low = Math.min(Math.floor(position), palette.length - 2), frac = position - low;
    return palette[low].map((c, k) => Math.round(c * (1 - frac) + palette[low + 1][k] * frac));
  }

  // One layer's units as a near-square grid of cells (visual.as_grid): cells past the last unit grey.
  function paintLayer(canvas, values, palette) {
    const n = values.length, cols = Math.ceil(Math.sqrt(n)), rows = Math.ceil(n / cols);
    if (canvas.width !== cols || canvas.height !== rows) { canvas.width = cols; canvas.height = rows; }
    const ctx = canvas.getContext("2d");
    const image = ctx.createImageData(cols, rows);
    const top = Math.max(...values) || 1;
    for (let i = 0; i < rows * cols; i++) {
      const rgb = i < n ? heatColour(values[i], top, palette) : [90, 90, 90];
      image.data.set([...rgb, 255], 4 * i);
    }
    ctx.putImageData(image, 0, 0);
  }

  // Ten bars in `chart` (made on first use): heights scaled to the largest |value|, negative ones
  // hanging below the axis when `signed`; the largest value highlighted.
  function paintBars(chart, values, { signed = false, percent = false } = {}) {
    if (!chart.children.length) {
      chart.innerHTML = DIGITS.map((d) =>
        `<div class="bar"><span class="value"></span><span class="track"><span class="fill"></span></span><span class="label">${d}</span></div>`,
      ).join("");
    }
    const limit = values ? Math.max(...Array.from(values, Math.abs)) || 1 : 1;
    const best = values ? Array.from(values).indexOf(Math.max(...values)) : -1;
    chart.classList.toggle("signed", signed);
    DIGITS.forEach((d) => {
      const bar = chart.children[d], v = values ? values[d] : 0;
      const fill = bar.querySelector(".fill");
      fill.style.height = `${(Math.abs(v) / limit) * (signed ? 50 : 100)}%`;
      fill.classList.toggle("negative", v < 0);
      bar.classList.toggle("best", d === best);
      bar.querySelector(".value").textContent = !values ? "" : percent ? `${Math.round(v * 100)}%` : v.toFixed(1);
    });
  }

  // --- the answer --------------------------------------------------------------------------------

  function mountAnswer({ element, props, watch }) {
    const live = ns.live;
    live.configure(props.config);
    const texts = props.texts;
    ns.language.translate(element, texts);
    const prompt = element.querySelector(".prompt"), digit = element.querySelector(".digit");
    const caption = element.querySelector(".caption"), note = element.querySelector(".note");
    const chart = element.querySelector(".bars"), canvas = element.querySelector("canvas.input");

    // answer: {input: 784 numbers, probabilities: 10 numbers} (either may be missing), or null
    function paint(answer) {
      const probabilities = answer?.probabilities || null;
      const best = probabilities ? Array.from(probabilities).indexOf(Math.max(...probabilities)) : null;
      prompt.hidden = !!answer?.input;
      digit.hidden = caption.hidden = best === null;
      digit.textContent = best === null ? "" : String(best);
      caption.textContent = best === null ? "" : `${Math.round(probabilities[best] * 100)}%`;
      element.querySelector(".answer").classList.toggle("empty", !answer?.input);
      paintBars(chart, probabilities, { percent: true });
      paintInput(canvas, answer?.input);
    }

    // from Python: the input as 28 rows of 28
    const fromPython = () => paint(props.value?.input ? { ...props.value, input: props.value.input.flat() } : null);
    watch("value", fromPython);
    if (props.live) {
      live.on("result", ({ input, forward }) => {
        if (live.state.modelInfo?.server) {  // the server answers after each stroke; show the input meanwhile
          if (!input) paint(null); else paint({ input, probabilities: null });
        } else paint(input ? { input, probabilities: forward?.probabilities } : null);
      });
      live.on("model", (info) => { note.hidden = !info?.server; });
    }
    if (props.value?.input) fromPython(); else paint(null);
  }

  // --- Explore's live layers -------------------------------------------------------------------

  function mountLayers({ element, props }) {
    const live = ns.live;
    live.configure(props.config);
    const texts = props.texts;
    ns.language.translate(element, texts);
    const holder = element.querySelector(".layers");
    const logits = element.querySelector(".bars.logits"), probabilities = element.querySelector(".bars.probabilities");
    let figures = [];

    function build(info) {
      const hidden = info?.sizes ? info.sizes.slice(1, -1) : [];
      holder.innerHTML = hidden.map((units, i) =>
        `<figure class="layer" data-units="${units}"><canvas></canvas><figcaption></figcaption></figure>`).join("");
      figures = [...holder.querySelectorAll("figure")];
    }

    function paint({ input, forward }) {
      if (!element.getBoundingClientRect().width) return; // Explore is not open: nothing to show
      figures.forEach((figure, i) => {
        const values = forward ? forward.activations[i] : new Float64Array(Number(figure.dataset.units));
        paintLayer(figure.querySelector("canvas"), values, live.state.config.palette);
        const active = values.reduce((count, v) => count + (v > 0), 0);
        figure.querySelector("figcaption").textContent =
          ns.language.format(texts, "layer", { layer: i + 1, active, units: values.length });
      });
      paintBars(logits, forward?.logits || null, { signed: true });
      paintBars(probabilities, forward?.probabilities || null, { percent: true });
      element.querySelector(".live-layers").classList.toggle("empty", !input);
    }

    live.on("model", (info) => { build(info); paint(live.state.result); });
    live.on("result", paint);
    new ResizeObserver(() => paint(live.state.result)).observe(element);
    ns.language.onChange(() => paint(live.state.result));
    build(live.state.modelInfo);
    paint(live.state.result);
  }

  ns.mountAnswer = mountAnswer;
  ns.mountLayers = mountLayers;
})(window.DigitPad = window.DigitPad || {});
