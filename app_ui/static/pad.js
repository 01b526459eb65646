// One drawing pad: a canvas that takes mouse, touch and pen strokes into the shared drawing and shows
// it (surface.js), with Undo, Clear and Full screen, and hands the drawing to Python when needed.
// Mounted by DigitPad's js_on_load (app_ui/components.py).
(function (ns) {
  "use strict";

  function mountPad({ element, props, watch, trigger }) {
    const { drawing, pipeline } = ns;
    const canvas = element.querySelector("canvas.pad-surface");
    const name = element.closest(".block")?.id || null; // its elem_id: the drawing knows which pad began it
    ns.language.translate(element, props.texts);

    if (props.carries_model) {  // the pad that carries the visitor's model into the page
      if (props.model) pipeline.setModel(props.model);
      watch("model", () => pipeline.setModel(props.model));
    }

    // --- showing and taking the drawing (surface.js); a pad before the page had taken it so far
    ns.earlyPad?.close(name);
    ns.surface.attach(canvas, { size: ns.config.pad_size, radius: ns.config.brush_radius, name });

    // --- the toolbar
    element.addEventListener("click", (event) => {
      const action = event.target.closest("button[data-action]")?.dataset.action;
      if (action === "undo") drawing.undo();
      else if (action === "clear") drawing.clear();
      else if (action === "fullscreen") {
        const area = element.closest(props.fullscreen_target) || element;
        (document.fullscreenElement ? document.exitFullscreen() : area.requestFullscreen?.())?.catch?.(() => {});
      }
    });

    // --- handing the drawing to Python: only when it is at rest, shown, new to Python, and
    // something there needs it (a view the server computes, or a model too big for the page).
    // A new value is all it takes: Gradio sends the pad's change event for it. Never mid-stroke.
    let handed = null;
    function handOver() {
      const shown = canvas.getBoundingClientRect().width > 0;
      const needed = props.send === "always" || (props.send === "server-model" && pipeline.state.modelInfo?.server);
      if (!shown || !needed || drawing.state.stroking) return;
      const picture = pipeline.picture();
      if (picture === handed) return;
      handed = picture;
      // the same picture for a new model: Gradio sends no change event for an unchanged value
      if (props.value === picture) trigger("change"); else props.value = picture;
    }
    drawing.on("rest", handOver);
    pipeline.on("model", () => { handed = null; handOver(); }); // a new model: the server's answer is stale
    new ResizeObserver(handOver).observe(canvas); // shown again (its tab opened): it may have news
  }

  ns.mountPad = mountPad;
})(window.mnistDemo = window.mnistDemo || {});
