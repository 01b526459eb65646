// Explore's live view: every hidden layer's activations (after the network's activation function) as a heat map, and the ten
// scores before and after softmax, from the pipeline's forward pass (pipeline.js), every frame.
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
    pipeline.configure(props.config);
    const texts = props.texts;
    ns.language.translate(element, texts);
    const holder = element.querySelector(".layers");
    const logits = element.querySelector(".bars.logits"), probabilities = element.querySelector(".bars.probabilities");
    let figures = [];

    function build(info) {
      const hidden = info?.sizes ? info.sizes.slice(1, -1) : [];
      const maps = info?.maps || []; // a CNN's first stages are its convolutions' feature maps
      holder.innerHTML = hidden.map((units, i) => i < maps.length
        ? `<figure class="layer maps" data-units="${units}" data-channels="${maps[i][0]}" data-side="${maps[i][1]}">` +
          "<canvas></canvas><figcaption></figcaption></figure>"
        : `<figure class="layer" data-units="${units}"><canvas></canvas><figcaption></figcaption></figure>`).join("");
      figures = [...holder.querySelectorAll("figure")];
      element.querySelector(".maps-intro").hidden = !maps.length;
    }

    function paint({ input, forward }) {
      if (!element.getBoundingClientRect().width) return; // Explore is not open: nothing to show
      figures.forEach((figure, i) => {
        const values = forward ? forward.activations[i] : new Float64Array(Number(figure.dataset.units));
        const active = values.reduce((count, v) => count + (v > 0), 0);
        if (figure.dataset.channels) {
          const channels = Number(figure.dataset.channels), side = Number(figure.dataset.side);
          paintMaps(figure.querySelector("canvas"), values, channels, side, pipeline.state.config.palette);
          figure.querySelector("figcaption").textContent = ns.language.format(texts, "feature_maps",
            { layer: i + 1, maps: channels, side, active, cells: values.length });
          return;
        }
        paintLayer(figure.querySelector("canvas"), values, pipeline.state.config.palette);
        figure.querySelector("figcaption").textContent =
          ns.language.format(texts, "layer", { layer: i + 1, active, units: values.length });
      });
      ns.bars.paint(logits, forward?.logits || null, { signed: true });
      ns.bars.paint(probabilities, forward?.probabilities || null, { percent: true });
      element.querySelector(".live-layers").classList.toggle("empty", !input);
    }

    pipeline.on("model", (info) => { build(info); paint(pipeline.state.result); });
    pipeline.on("result", paint);
    new ResizeObserver(() => paint(pipeline.state.result)).observe(element);
    ns.language.onChange(() => paint(pipeline.state.result));
    build(pipeline.state.modelInfo);
    paint(pipeline.state.result);
  }

  ns.mountLayers = mountLayers;
  ns.layers = { heatColour, paintLayer, paintMaps };  // (tested against app_ui/visual.py's heat and as_grid)
})(window.mnistDemo = window.mnistDemo || {});
