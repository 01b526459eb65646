// The network's forward pass in the page: the MLP of mnist_model/model.py, no framework needed.
// Pure functions. A model payload (app_ui/components.py's model_payload) is JSON: the layer sizes, the activation
// between layers (mnist_model/model.py's ACTIVATIONS) and every layer's
// weight (out x in, row-major, as torch stores it) and bias, as one base64 string of float32.
(function (ns) {
  "use strict";

  const LEAKY_SLOPE = 0.01; // mnist_model/model.py's
  // Each of mnist_model/model.py's ACTIVATIONS, as torch computes it.
  const ACTIVATIONS = {
    relu: (v) => Math.max(0, v),
    sigmoid: (v) => 1 / (1 + Math.exp(-v)),
    tanh: Math.tanh,
    leaky_relu: (v) => (v >= 0 ? v : LEAKY_SLOPE * v),
  };

  // {sizes, activation, layers: [{w: Float32Array, b: Float32Array, rows, cols}]} from a payload.
  function decode(payload) {
    const bytes = Uint8Array.from(atob(payload.data), (ch) => ch.charCodeAt(0));
    const floats = new Float32Array(bytes.buffer); // little-endian, as every browser is
    const sizes = payload.sizes;
    const layers = [];
    let at = 0;
    for (let i = 0; i + 1 < sizes.length; i++) {
      const cols = sizes[i], rows = sizes[i + 1];
      const w = floats.subarray(at, at + rows * cols); at += rows * cols;
      const b = floats.subarray(at, at + rows); at += rows;
      layers.push({ w, b, rows, cols });
    }
    if (at !== floats.length) throw new Error(`model payload holds ${floats.length} numbers, its sizes need ${at}`);
    const activation = payload.activation || "relu"; // payloads from before the choice are ReLU networks
    if (!ACTIVATIONS[activation]) throw new Error(`unknown activation ${activation}`);
    return { sizes, activation, layers };
  }

  // Everything the network computes for one input (784 numbers): every hidden layer's activations
  // after the activation, the ten scores before softmax and the ten probabilities after it.
  function forward(model, input) {
    const activations = [];
    const activate = ACTIVATIONS[model.activation];
    let x = input;
    model.layers.forEach((layer, index) => {
      const out = new Float64Array(layer.rows);
      for (let r = 0; r < layer.rows; r++) {
        let sum = layer.b[r];
        const row = r * layer.cols;
        for (let c = 0; c < layer.cols; c++) sum += layer.w[row + c] * x[c];
        out[r] = index + 1 < model.layers.length ? activate(sum) : sum;
      }
      if (index + 1 < model.layers.length) activations.push(out);
      x = out;
    });
    const logits = x;
    const top = Math.max(...logits);
    const exps = Array.from(logits, (v) => Math.exp(v - top));
    const total = exps.reduce((a, b) => a + b, 0);
    return { activations, logits, probabilities: Float64Array.from(exps, (e) => e / total) };
  }

  ns.mlp = { decode, forward, activations: ACTIVATIONS };
})(window.mnistDemo = window.mnistDemo || {});
