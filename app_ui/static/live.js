// The drawing and what the network makes of it, shared by every pad and view on the page.
//
// Pads add strokes; at most once per animation frame the drawing is inked on a PAD_SIZE canvas
// (the picture Python would be given), preprocessed (preprocess.js) and run through the visitor's
// model (mlp.js), and every subscriber gets the result: pads repaint, answers and layer views
// update. Nothing here talks to the server.
(function (ns) {
  "use strict";

  // result: every frame the drawing changed; rest: a stroke ended, or Undo / Clear; model: a new model
  const listeners = { result: new Set(), rest: new Set(), model: new Set() };
  const state = {
    config: null,   // from Python: pad size, brush radius, preprocessing constants, colour map
    strokes: [],    // each an array of [x, y] in pad pixels
    model: null,    // the decoded model, or null while there is none in the page
    modelInfo: null, // the payload's description: {sizes, server?: true}
    result: { input: null, forward: null }, // the latest drawing's 28 x 28 input and forward pass
  };
  let frame = 0;
  let ink = null; // the offscreen canvas the drawing is inked on, as the pad draws it

  function on(kind, fn) {
    listeners[kind].add(fn);
    return () => listeners[kind].delete(fn);
  }
  function emit(kind, value) {
    for (const fn of listeners[kind]) {
      try { fn(value); } catch (error) { console.error(`DigitPad ${kind} listener:`, error); }
    }
  }

  // Every component's mount calls this with the same config from Python; the first call counts.
  function configure(config) {
    ns.language.follow(config.language_marker);
    if (state.config) return;
    state.config = config;
    ink = document.createElement("canvas");
    ink.width = ink.height = config.pad_size;
  }

  // Draw `strokes` on a 2D context whose units are pad pixels: round pen of the brush's radius.
  function inkStrokes(ctx, strokes, radius, colour) {
    ctx.lineCap = "round";
    ctx.lineJoin = "round";
    ctx.lineWidth = 2 * radius;
    ctx.strokeStyle = ctx.fillStyle = colour;
    for (const stroke of strokes) {
      if (stroke.length === 1) {
        ctx.beginPath();
        ctx.arc(stroke[0][0], stroke[0][1], radius, 0, 2 * Math.PI);
        ctx.fill();
        continue;
      }
      ctx.beginPath();
      ctx.moveTo(stroke[0][0], stroke[0][1]);
      for (let i = 1; i < stroke.length; i++) ctx.lineTo(stroke[i][0], stroke[i][1]);
      ctx.stroke();
    }
  }

  function changed() {
    if (!frame) frame = requestAnimationFrame(compute);
  }

  function compute() {
    frame = 0;
    const c = state.config;
    const ctx = ink.getContext("2d", { willReadFrequently: true });
    ctx.clearRect(0, 0, c.pad_size, c.pad_size);
    inkStrokes(ctx, state.strokes, c.brush_radius, "#000");
    const pixels = ctx.getImageData(0, 0, c.pad_size, c.pad_size).data;
    const input = state.strokes.length ? ns.preprocess.toMnist(ns.preprocess.alpha(pixels), c.pad_size, c.pad_size, c) : null;
    const forward = input && state.model ? ns.mlp.forward(state.model, input) : null;
    state.result = { input, forward };
    emit("result", state.result);
  }

  function beginStroke(point) { state.strokes.push([point]); changed(); }
  function extendStroke(points) {
    if (!state.strokes.length) return;
    state.strokes[state.strokes.length - 1].push(...points);
    changed();
  }
  function endStroke() { emit("rest", state.strokes); }
  function undo() { state.strokes.pop(); changed(); emit("rest", state.strokes); }
  function clear() { state.strokes = []; changed(); emit("rest", state.strokes); }

  // The drawing as Python takes it: a PNG of the pad, transparent but for black ink; null if empty.
  function picture() {
    if (!state.strokes.length) return null;
    if (frame) { cancelAnimationFrame(frame); compute(); }
    return ink.toDataURL("image/png");
  }

  function setModel(payload) {
    state.modelInfo = payload || null;
    state.model = payload && payload.data ? ns.mlp.decode(payload) : null;
    emit("model", state.modelInfo);
    changed();
  }

  ns.live = { state, on, configure, inkStrokes, beginStroke, extendStroke, endStroke, undo, clear, picture, setModel };
})(window.DigitPad = window.DigitPad || {});
