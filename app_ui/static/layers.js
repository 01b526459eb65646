// Explore's live view: every hidden layer's activations (after the network's activation function) as a heat map, and the ten
// scores before and after softmax, from the pipeline's forward pass (pipeline.js), every frame. A click on a
// cell picks that unit for the neuron's view (neuron.js); dead units (neuron.js's, from Python) are marked.
(function (ns) {
  "use strict";

  // Non-negative values as the heat colour map of app_ui/visual.py: palette stops from Python,
  // scaled so the largest value is the brightest; exact zeros stay black.
  function heatColour(value, top, palette) {
    if (!(value > 0)) return [0, 0, 0];
    const position = Math.min(1, value / top) * (palette.length - 1);
    const low = Math.min(Math.floor(position), palette.length - 2), frac = position - low;
    return palette[low].map((c, k) => Math.round(c * (1 - frac) + palette[low + 1][k] * frac));
  }

  const DEAD = [45, 85, 120]; // a dead unit's cell: blue-grey, a colour the heat map never takes (neuron.css's)

  // One layer's units as a near-square grid of cells (visual.as_grid): cells past the last unit grey,
  // the units in `dead` (a Set, or null) blue-grey.
  function paintLayer(canvas, values, palette, dead = null) {
    const n = values.length, cols = Math.ceil(Math.sqrt(n)), rows = Math.ceil(n / cols);
    if (canvas.width !== cols || canvas.height !== rows) { canvas.width = cols; canvas.height = rows; }
    const ctx = canvas.getContext("2d");
    const image = ctx.createImageData(cols, rows);
    const top = Math.max(...values) || 1;
    for (let i = 0; i < rows * cols; i++) {
      const rgb = i >= n ? [90, 90, 90] : dead?.has(i) ? DEAD : heatColour(values[i], top, palette);
      image.data.set([...rgb, 255], 4 * i);
    }
    ctx.putImageData(image, 0, 0);
  }

  // A convolution's feature maps (`channels` maps of side x side, channel-major, as cnn.js gives them)
  // as a near-square grid of small heat maps, one colour scale for all, a grey pixel between maps.
  function paintMaps(canvas, values, channels, side, palette) {
    const cols = Math.ceil(Math.sqrt(channels)), rows = Math.ceil(channels / cols);
    const width = cols * (side + 1) - 1, height = rows * (side + 1) - 1;
    if (canvas.width !== width || canvas.height !== height) { canvas.width = width; canvas.height = height; }
    const ctx = canvas.getContext("2d");
    const image = ctx.createImageData(width, height);
    for (let i = 0; i < width * height; i++) image.data.set([90, 90, 90, 255], 4 * i);
    const top = Math.max(...values) || 1;
    for (let c = 0; c < channels; c++) {
      const x0 = (c % cols) * (side + 1), y0 = Math.floor(c / cols) * (side + 1);
      for (let i = 0; i < side; i++) {
        for (let j = 0; j < side; j++) {
          const rgb = heatColour(values[c * side * side + i * side + j], top, palette);
          image.data.set([...rgb, 255], 4 * ((y0 + i) * width + x0 + j));
        }
      }
    }
    ctx.putImageData(image, 0, 0);
  }

  function mountLayers({ element, props }) {
    const { pipeline } = ns;
    const texts = props.texts;
    ns.language.translate(element, texts);
    const holder = element.querySelector(".layers"), meaning = element.querySelector(".heading .meaning");
    const logits = element.querySelector(".bars.logits"), probabilities = element.querySelector(".bars.probabilities");
    let figures = [];

    function build(info) {
      const hidden = info?.sizes ? info.sizes.slice(1, -1) : [];
      const maps = info?.maps || []; // a CNN's first stages are its convolutions' feature maps
      holder.innerHTML = hidden.map((units, i) => i < maps.length
        ? `<figure class="layer maps" data-units="${units}" data-channels="${maps[i][0]}" data-side="${maps[i][1]}">` +
          "<canvas></canvas><figcaption></figcaption></figure>"
        : `<figure class="layer" data-units="${units}"><div class="cells"><canvas></canvas><div class="picked" hidden>`
          + '</div></div><figcaption><span class="active"></span><span class="dead"></span></figcaption></figure>')
        .join("");
      figures = [...holder.querySelectorAll("figure")];
      element.querySelector(".maps-intro").hidden = !maps.length;
      if (maps.length) return; // the neuron view shows an MLP's units (a CNN's are its feature maps' cells)
      figures.forEach((figure, i) => figure.querySelector("canvas").addEventListener("click", (event) => {
        const canvas = event.currentTarget, units = Number(figure.dataset.units);
        const col = Math.floor((event.offsetX / canvas.clientWidth) * canvas.width);
        const unit = Math.floor((event.offsetY / canvas.clientHeight) * canvas.height) * canvas.width + col;
        if (unit < units) ns.neuron.pick(i, unit);
      }));
    }

    // the neuron's unit, outlined in its layer
    function mark(figure, i) {
      const canvas = figure.querySelector("canvas"), marker = figure.querySelector(".picked");
      const { layer, unit } = ns.neuron.state.picked;
      marker.hidden = layer !== i || unit >= Number(figure.dataset.units) || !canvas.clientWidth
        || !!pipeline.state.modelInfo?.maps?.length; // (a CNN's units are not the neuron view's)
      if (marker.hidden) return;
      const size = canvas.clientWidth / canvas.width;
      Object.assign(marker.style, { left: `${(unit % canvas.width) * size - 2}px`,
                                    top: `${Math.floor(unit / canvas.width) * size - 2}px`,
                                    width: `${size + 4}px`, height: `${size + 4}px` });
    }

    function paint({ input, forward }) {
      if (!element.getBoundingClientRect().width) return; // Explore is not open: nothing to show
      // what the cells mean, and which units count, as the active model's activation function says:
      // ReLU's switched-off units are its zeros; a sigmoid switches none off (its outputs are all
      // above 0: those above one half count); leaky ReLU's and tanh's pass below zero
      const activation = pipeline.state.modelInfo?.activation in ns.mlp.ACTIVATIONS  // (each has texts cells_*, layer_*)
        ? pipeline.state.modelInfo.activation : "relu";
      const above = activation === "sigmoid" ? 0.5 : 0;
      meaning.textContent = ns.language.format(texts, `cells_${activation}`);
      figures.forEach((figure, i) => {
        const values = forward ? forward.activations[i] : new Float64Array(Number(figure.dataset.units));
        const active = values.reduce((count, v) => count + (v > above), 0);
        if (figure.dataset.channels) {
          const channels = Number(figure.dataset.channels), side = Number(figure.dataset.side);
          paintMaps(figure.querySelector("canvas"), values, channels, side, ns.config.palette);
          figure.querySelector("figcaption").textContent = ns.language.format(texts, "feature_maps",
            { layer: i + 1, maps: channels, side, active, cells: values.length });
          return;
        }
        const dead = ns.neuron.deadIn(i);
        paintLayer(figure.querySelector("canvas"), values, ns.config.palette, dead);
        mark(figure, i);
        figure.querySelector("figcaption .active").textContent = ns.language.format(
          texts, activation === "relu" ? "layer" : `layer_${activation}`, { layer: i + 1, active, units: values.length });
        figure.querySelector("figcaption .dead").textContent =
          dead?.size ? ns.language.format(texts, "layer_dead", { dead: dead.size }) : "";
      });
      const answers = pipeline.state.modelInfo?.sizes?.at(-1) ?? 10; // (bars without values: the model's)
      ns.bars.paint(logits, forward?.logits || null, { signed: true, answers });
      ns.bars.paint(probabilities, forward?.probabilities || null, { percent: true, answers });
      element.querySelector(".live-layers").classList.toggle("empty", !input);
    }

    pipeline.on("model", (info) => { build(info); paint(pipeline.state.result); });
    pipeline.on("result", paint);
    ns.neuron.on(() => paint(pipeline.state.result));
    new ResizeObserver(() => paint(pipeline.state.result)).observe(element);
    ns.language.onChange(() => paint(pipeline.state.result));
    build(pipeline.state.modelInfo);
    paint(pipeline.state.result);
  }

  ns.mountLayers = mountLayers;
  ns.layers = { heatColour, paintLayer, paintMaps };  // (tested against app_ui/visual.py's heat and as_grid)
})(window.mnistDemo = window.mnistDemo || {});
