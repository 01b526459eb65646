// The small CNN's forward pass in the page (mnist_model/model.py's CNN), beside mlp.js's MLP.
// Pure functions. Its payload (app_ui/components.py's model_payload) names architecture "cnn" and
// gives the feature maps' shapes (`maps`: [channels, side] as each convolution's activation outputs
// them), the filters' size (`kernel`), the pooling (`pool`) and every layer's weight and bias as one
// base64 string (as mlp.js reads it), in torch's order: conv 1, conv 2 (out x in x k x k), then the two
// linear layers (out x in).
(function (ns) {
  "use strict";

  // {activation, maps, kernel, pool, layers: [{w, b, ...}]} from a payload: the convolutions
  // ({kind: "conv", rows: maps out, in: maps in}), then the linear layers ({kind: "linear", rows, cols}).
  function decode(payload) {
    const k = payload.kernel, pool = payload.pool, maps = payload.maps;
    const shapes = [];
    let channels = 1, side = 28;
    for (const [out] of maps) {
      shapes.push({ kind: "conv", rows: out, in: channels, size: out * channels * k * k });
      channels = out;
      side = Math.floor((side - k + 1) / pool);
    }
    let inputs = channels * side * side;
    for (const rows of payload.sizes.slice(-2)) { // the hidden linear layer, then the ten scores
      shapes.push({ kind: "linear", rows, cols: inputs, size: rows * inputs });
      inputs = rows;
    }
    return { architecture: "cnn", maps, kernel: k, pool, ...ns.mlp.layersOf(payload, shapes) };
  }

  // A valid convolution (no padding, stride 1) of `x` (inC maps of side x side) with the layer's
  // filters, the activation applied: outC maps of (side - k + 1) squared, channel-major.
  function convolve(layer, x, side, k, activate) {
    const outSide = side - k + 1, area = outSide * outSide;
    const out = new Float64Array(layer.rows * area);
    for (let o = 0; o < layer.rows; o++) {
      for (let i = 0; i < outSide; i++) {
        for (let j = 0; j < outSide; j++) {
          let sum = layer.b[o];
          for (let c = 0; c < layer.in; c++) {
            const filter = (o * layer.in + c) * k * k, plane = c * side * side;
            for (let u = 0; u < k; u++) {
              const row = plane + (i + u) * side + j, taps = filter + u * k;
              for (let v = 0; v < k; v++) sum += layer.w[taps + v] * x[row + v];
            }
          }
          out[o * area + i * outSide + j] = activate(sum);
        }
      }
    }
    return out;
  }

  // pool x pool max pooling of `channels` maps of side x side (torch's MaxPool2d: floor of the side).
  function maxPool(x, channels, side, pool) {
    const outSide = Math.floor(side / pool), out = new Float64Array(channels * outSide * outSide);
    for (let c = 0; c < channels; c++) {
      for (let i = 0; i < outSide; i++) {
        for (let j = 0; j < outSide; j++) {
          let top = -Infinity;
          for (let u = 0; u < pool; u++) {
            const row = c * side * side + (i * pool + u) * side + j * pool;
            for (let v = 0; v < pool; v++) top = Math.max(top, x[row + v]);
          }
          out[c * outSide * outSide + i * outSide + j] = top;
        }
      }
    }
    return out;
  }

  // Everything the CNN computes for one input (784 numbers), as mlp.forward gives it: `activations`
  // holds each convolution's feature maps (after the activation, before pooling; flat, channel-major)
  // and the hidden linear layer's units, as forward hooks on torch's activation modules see them.
  function forward(model, input) {
    const activate = ns.mlp.ACTIVATIONS[model.activation];
    const activations = [];
    let x = Float64Array.from(input), side = 28;
    for (const layer of model.layers.filter((l) => l.kind === "conv")) {
      const maps = convolve(layer, x, side, model.kernel, activate);
      activations.push(maps);
      side = side - model.kernel + 1;
      x = maxPool(maps, layer.rows, side, model.pool);
      side = Math.floor(side / model.pool);
    }
    const logits = ns.mlp.dense(model.layers.filter((l) => l.kind === "linear"), x, activate, activations);
    return { activations, ...ns.mlp.softmaxed(logits) };
  }

  ns.cnn = { decode, forward };
})(window.mnistDemo = window.mnistDemo || {});
