// What the network makes of the drawing, once an animation frame at most: the strokes are inked on
// a pad-sized canvas with the pen fitted to the digit (the picture Python would be given), that
// picture is preprocessed (preprocess.js) and run through the visitor's model (mlp.js, or cnn.js for
// the small CNN), and every
// subscriber gets the result: answers and layer views update. Nothing here talks to the server.
(function (ns) {
  "use strict";

  // result: a new result for the drawing; model: a new model
  const listeners = { result: new Set(), model: new Set() };
  const state = {
    model: null,     // the decoded model, or null while there is none in the page
    modelInfo: null, // the payload's description: {sizes, server?: true}
    result: { input: null, forward: null }, // the drawing's 28 x 28 input and forward pass
  };
  let frame = 0;
  let canvas = null; // offscreen: the drawing as the network is given it

  function on(kind, fn) {
    listeners[kind].add(fn);
    return () => listeners[kind].delete(fn);
  }
  function emit(kind, value) {
    for (const fn of listeners[kind]) {
      try { fn(value); } catch (error) { console.error(`mnistDemo.pipeline ${kind} listener:`, error); }
    }
  }

  // The page's HTML starts it, once (components.before_the_app): from then on it follows the drawing.
  function start() {
    canvas = document.createElement("canvas");
    canvas.width = canvas.height = ns.config.pad_size;
    ns.drawing.on("change", changed);
    changed(); // (a drawing made on the pad before the page: early_pad.js)
  }

  function changed() {
    if (!frame) frame = requestAnimationFrame(compute);
  }

  // The drawing inked as the network is given it, and its RGBA pixels.
  function inked() {
    const c = ns.config, strokes = ns.drawing.state.strokes;
    const ctx = canvas.getContext("2d", { willReadFrequently: true });
    ctx.clearRect(0, 0, c.pad_size, c.pad_size);
    if (strokes.length) ns.ink.strokes(ctx, strokes, ns.ink.fittedRadius(strokes, c), "#000");
    return ctx.getImageData(0, 0, c.pad_size, c.pad_size).data;
  }

  function compute() {
    frame = 0;
    const c = ns.config;
    const input = ns.drawing.state.strokes.length
      ? ns.preprocess.toMnist(ns.preprocess.alpha(inked()), c.pad_size, c.pad_size, c) : null;
    const forward = input && state.model ? network(state.modelInfo).forward(state.model, input) : null;
    state.result = { input, forward };
    emit("result", state.result);
  }

  // The drawing as Python takes it: a PNG of the pad, transparent but for black ink; null if empty.
  function picture() {
    if (!ns.drawing.state.strokes.length) return null;
    if (frame) { cancelAnimationFrame(frame); compute(); } // else the canvas holds the drawing already
    return canvas.toDataURL("image/png");
  }

  // The forward pass of a payload's network: the MLP's (payloads from before the CNN name none), or the CNN's.
  function network(payload) {
    return payload && payload.architecture === "cnn" ? ns.cnn : ns.mlp;
  }

  // The model the page's HTML brought (components.before_the_app), {digest, model}: a payload without
  // its weights names it by its digest (components.model_payload's `page_holds`)
  let held = null;

  function setModel(payload) {
    const model = !payload ? null : payload.data ? network(payload).decode(payload)
      : payload.digest && payload.digest === held?.digest ? held.model : null;
    if (payload && !payload.server && !model) console.error("mnistDemo.pipeline: a model payload without its weights");
    state.modelInfo = payload || null;
    state.model = model;
    emit("model", state.modelInfo);
    changed();
  }

  // The page's HTML's model: set, and kept for the payloads that name it.
  function hold(payload) {
    setModel(payload);
    held = { digest: payload.digest, model: state.model };
  }

  // The digest of the model the page holds without being sent it again ("" if none): what the page's
  // load tells the server (app_ui/assets.py's HELD_JS).
  function holds() {
    return held?.digest || "";
  }

  ns.pipeline = { state, on, start, picture, setModel, hold, holds };
})(window.mnistDemo = window.mnistDemo || {});
