// MNIST's preprocessing in the page, step for step as mnist_model/preprocess.py (`from_ink`):
//   ink map -> crop to the ink's bounding box -> fit the longer side into 20 px (area averaging,
//   aspect ratio kept) -> centre of mass to the centre of 28 x 28.
// Pure functions of their arguments; the constants come from Python (mnistDemo.config).
(function (ns) {
  "use strict";

  // Halves up, like Python's preprocess._round.
  const round = (value) => Math.floor(value + 0.5);

  // For each output pixel, the first input index it covers and the weights of the inputs it covers:
  // the share of each input pixel inside its footprint, divided by the footprint's width
  // (preprocess.area_weights).
  function areaWeights(sizeIn, sizeOut) {
    const step = sizeIn / sizeOut;
    const rows = [];
    for (let j = 0; j < sizeOut; j++) {
      const lo = j * step, hi = (j + 1) * step;
      const first = Math.floor(lo), last = Math.min(sizeIn, Math.ceil(hi));
      const weights = new Float64Array(last - first);
      for (let i = first; i < last; i++) {
        weights[i - first] = Math.max(0, Math.min(hi, i + 1) - Math.max(lo, i)) / step;
      }
      rows.push({ first, weights });
    }
    return rows;
  }

  // The ink's bounding box (inclusive start, exclusive end), or null if no pixel passes the threshold.
  function inkBox(ink, width, height, threshold) {
    let top = height, bottom = -1, left = width, right = -1;
    for (let y = 0; y < height; y++) {
      const row = y * width;
      for (let x = 0; x < width; x++) {
        if (ink[row + x] > threshold) {
          if (y < top) top = y;
          bottom = y;
          if (x < left) left = x;
          if (x > right) right = x;
        }
      }
    }
    return bottom < 0 ? null : { top, bottom: bottom + 1, left, right: right + 1 };
  }

  // Scale the crop (Float64Array, h x w, values in [0, 1]) so its longer side is `box` pixels.
  function fit(crop, w, h, box) {
    const factor = box / Math.max(h, w);
    const outW = Math.max(1, round(w * factor)), outH = Math.max(1, round(h * factor));
    if (outW === w && outH === h) return { pixels: crop, w, h };
    const across = areaWeights(w, outW), down = areaWeights(h, outH);
    const rows = new Float64Array(h * outW); // first along x, then along y
    for (let y = 0; y < h; y++) {
      for (let j = 0; j < outW; j++) {
        const { first, weights } = across[j];
        let sum = 0;
        for (let k = 0; k < weights.length; k++) sum += weights[k] * crop[y * w + first + k];
        rows[y * outW + j] = sum;
      }
    }
    const out = new Float64Array(outH * outW);
    for (let i = 0; i < outH; i++) {
      const { first, weights } = down[i];
      for (let j = 0; j < outW; j++) {
        let sum = 0;
        for (let k = 0; k < weights.length; k++) sum += weights[k] * rows[(first + k) * outW + j];
        out[i * outW + j] = Math.min(1, Math.max(0, sum));
      }
    }
    return { pixels: out, w: outW, h: outH };
  }

  // Place the fitted digit in the field with its centre of mass at the centre (whole-pixel shift).
  function centre(digit, c) {
    const { pixels, w, h } = digit;
    let mass = 0, my = 0, mx = 0;
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const v = pixels[y * w + x];
        mass += v; my += v * y; mx += v * x;
      }
    }
    const comY = mass > 0 ? my / mass : (h - 1) / 2, comX = mass > 0 ? mx / mass : (w - 1) / 2;
    const clamp = (v, hi) => Math.min(Math.max(v, 0), hi);
    const top = clamp(round(c.centre[0] - comY), c.field - h), left = clamp(round(c.centre[1] - comX), c.field - w);
    const field = new Float32Array(c.field * c.field);
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) field[(top + y) * c.field + left + x] = pixels[y * w + x];
    }
    return field;
  }

  // The network's 28 x 28 input (Float32Array, row-major, white digit on black) from an ink map
  // (0..255 per pixel, width x height, row-major), or null when there is no digit.
  function toMnist(ink, width, height, c) {
    const box = inkBox(ink, width, height, c.ink_threshold * 255);
    if (box === null) return null;
    const h = box.bottom - box.top, w = box.right - box.left;
    if (Math.max(h, w) < Math.max(c.blank_min_pixels, c.blank_extent * Math.max(width, height))) return null;
    const crop = new Float64Array(h * w);
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) crop[y * w + x] = ink[(box.top + y) * width + box.left + x] / 255;
    }
    return centre(fit(crop, w, h, c.box), c);
  }

  // The alpha channel of RGBA pixels (an ImageData's data): the pad's ink.
  function alpha(rgba) {
    const out = new Uint8ClampedArray(rgba.length / 4);
    for (let i = 0; i < out.length; i++) out[i] = rgba[4 * i + 3];
    return out;
  }

  ns.preprocess = { areaWeights, toMnist, alpha };
})(window.mnistDemo = window.mnistDemo || {});
