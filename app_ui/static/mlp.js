// The network's forward pass in the page: the MLP of mnist_model/model.py, no framework needed.
// Pure functions. A model payload (app_ui/components.py's model_payload) is JSON: the layer sizes, the activation
// between layers (mnist_model/model.py's ACTIVATIONS) and every layer's
// weight (out x in, row-major, as torch stores it) and bias, as one base64 string of float32 (or of
// float16, `dtype`, when every number is one exactly).
(function (ns) {
  "use strict";

  // What the forward pass must agree on with Python, from the page's config (configure()):
  // leaky ReLU's slope below 0 (mnist_model/model.py's LEAKY_SLOPE). Not a number until then.
  const settings = { leaky_slope: NaN };
  function configure(config) {
    settings.leaky_slope = config.leaky_slope;
  }

  // Each of mnist_model/model.py's ACTIVATIONS, as torch computes it.
  const ACTIVATIONS = {
    relu: (v) => Math.max(0, v),
    sigmoid: (v) => 1 / (1 + Math.exp(-v)),
    tanh: Math.tanh,
    leaky_relu: (v) => (v >= 0 ? v : settings.leaky_slope * v),
  };

  // The payload's layers: each of `shapes` ({rows: outputs, size: its weights' count, ...}) with its
  // weight `w` and bias `b` (rows numbers), read in order from the payload's float32s; an error
  // when the payload holds more or fewer numbers than the shapes need.
  function layersOf(payload, shapes) {
    const bytes = Uint8Array.from(atob(payload.data), (ch) => ch.charCodeAt(0));
    // little-endian, as every browser is
    const floats = payload.dtype === "float16" ? fromHalves(new Uint16Array(bytes.buffer)) : new Float32Array(bytes.buffer);
    let at = 0;
    const layers = shapes.map((shape) => {
      const w = floats.subarray(at, at + shape.size); at += shape.size;
      const b = floats.subarray(at, at + shape.rows); at += shape.rows;
      return { ...shape, w, b };
    });
    if (at !== floats.length) throw new Error(`model payload holds ${floats.length} numbers, its shapes need ${at}`);
    const activation = payload.activation || "relu"; // payloads from before the choice are ReLU networks
    if (!ACTIVATIONS[activation]) throw new Error(`unknown activation ${activation}`);
    return { activation, layers };
  }

  // IEEE half-precision numbers as float32s (each exactly: a half is a float32 too).
  function fromHalves(halves) {
    return Float32Array.from(halves, (h) => {
      const sign = h & 0x8000 ? -1 : 1, exponent = (h >> 10) & 0x1f, fraction = h & 0x3ff;
      if (exponent === 0) return sign * fraction * 2 ** -24; // zero, or subnormal
      if (exponent === 0x1f) return fraction ? NaN : sign * Infinity;
      return sign * (1 + fraction / 1024) * 2 ** (exponent - 15);
    });
  }

  // {sizes, activation, layers: [{w: Float32Array, b: Float32Array, rows, cols}]} from a payload.
  function decode(payload) {
    const sizes = payload.sizes;
    const shapes = sizes.slice(1).map((rows, i) => ({ rows, cols: sizes[i], size: rows * sizes[i] }));
    return { sizes, ...layersOf(payload, shapes) };
  }

  // Fully connected `layers` ({w, b, rows, cols}) on `x`, `activate` after each but the last: each
  // hidden layer's output is pushed onto `activations`; the last layer's (the scores) is returned.
  function dense(layers, x, activate, activations) {
    layers.forEach((layer, index) => {
      const last = index + 1 === layers.length;
      const out = new Float64Array(layer.rows);
      for (let r = 0; r < layer.rows; r++) {
        let sum = layer.b[r];
        const row = r * layer.cols;
        for (let c = 0; c < layer.cols; c++) sum += layer.w[row + c] * x[c];
        out[r] = last ? sum : activate(sum);
      }
      if (!last) activations.push(out);
      x = out;
    });
    return x;
  }

  // Everything the network computes for one input (784 numbers): every hidden layer's activations
  // after the activation, the ten scores before softmax and the ten probabilities after it.
  function forward(model, input) {
    const activations = [];
    const logits = dense(model.layers, input, ACTIVATIONS[model.activation], activations);
    return { activations, ...softmaxed(logits) };
  }

  // The ten scores and their softmax: {logits, probabilities}.
  function softmaxed(logits) {
    const top = Math.max(...logits);
    const exps = Array.from(logits, (v) => Math.exp(v - top));
    const total = exps.reduce((a, b) => a + b, 0);
    return { logits, probabilities: Float64Array.from(exps, (e) => e / total) };
  }

  ns.mlp = { decode, forward, layersOf, dense, softmaxed, ACTIVATIONS, settings, configure };
})(window.mnistDemo = window.mnistDemo || {});
