// The drawing every pad on the page shares: its strokes, and who hears when they change. Pads add
// strokes here; the pipeline (pipeline.js) and every pad's view follow. Nothing here draws or computes.
// It knows which pad began it: a pad that opens for another purpose (the Teach tab's, whose drawing
// is stored with the digit asked for) does not take over a drawing made elsewhere.
(function (ns) {
  "use strict";

  // change: the strokes changed (every pointer move); rest: a stroke ended, or Undo / Clear
  const listeners = { change: new Set(), rest: new Set() };
  // strokes: each an array of [x, y] in pad pixels; pad: who began them; stroking: a stroke is being drawn
  const state = { strokes: [], pad: null, stroking: false };

  function on(kind, fn) {
    listeners[kind].add(fn);
    return () => listeners[kind].delete(fn);
  }

  function emit(kind) {
    for (const fn of listeners[kind]) {
      try { fn(state.strokes); } catch (error) { console.error(`mnistDemo.drawing ${kind} listener:`, error); }
    }
  }

  function beginStroke(point, pad = null) {
    if (!state.strokes.length) state.pad = pad;
    state.stroking = true;
    state.strokes.push([point]);
    emit("change");
  }
  function extendStroke(points) {
    if (!state.strokes.length) return;
    state.strokes[state.strokes.length - 1].push(...points);
    emit("change");
  }
  function endStroke() { state.stroking = false; emit("rest"); }
  function undo() { state.strokes.pop(); emit("change"); emit("rest"); }
  function clear() { state.strokes = []; emit("change"); emit("rest"); }
  // `pad` opens: a drawing another pad began is cleared (it was drawn for something else)
  function claim(pad) { if (state.strokes.length && state.pad !== pad) clear(); }

  ns.drawing = { state, on, beginStroke, extendStroke, endStroke, undo, clear, claim };
})(window.mnistDemo = window.mnistDemo || {});
