// The drawing every pad on the page shares: its strokes, and who hears when they change. Pads add
// strokes here; the pipeline (pipeline.js) and every pad's view follow. Nothing here draws or computes.
(function (ns) {
  "use strict";

  // change: the strokes changed (every pointer move); rest: a stroke ended, or Undo / Clear
  const listeners = { change: new Set(), rest: new Set() };
  const state = { strokes: [] }; // each an array of [x, y] in pad pixels

  function on(kind, fn) {
    listeners[kind].add(fn);
    return () => listeners[kind].delete(fn);
  }

  function emit(kind) {
    for (const fn of listeners[kind]) {
      try { fn(state.strokes); } catch (error) { console.error(`mnistDemo.drawing ${kind} listener:`, error); }
    }
  }

  function beginStroke(point) { state.strokes.push([point]); emit("change"); }
  function extendStroke(points) {
    if (!state.strokes.length) return;
    state.strokes[state.strokes.length - 1].push(...points);
    emit("change");
  }
  function endStroke() { emit("rest"); }
  function undo() { state.strokes.pop(); emit("change"); emit("rest"); }
  function clear() { state.strokes = []; emit("change"); emit("rest"); }

  ns.drawing = { state, on, beginStroke, extendStroke, endStroke, undo, clear };
})(window.mnistDemo = window.mnistDemo || {});
