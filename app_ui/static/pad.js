// One drawing pad: a canvas that takes mouse, touch and pen strokes (one pointer at a time) into the
// shared drawing (drawing.js) and shows it with the pad's brush, with Undo, Clear and Full screen.
// Mounted by DigitPad's js_on_load (app_ui/components.py).
(function (ns) {
  "use strict";

  function mountPad({ element, props, watch, trigger }) {
    const { drawing, pipeline } = ns;
    pipeline.configure(props.config);
    const size = props.config.pad_size;
    const canvas = element.querySelector("canvas.pad-surface");
    const name = element.closest(".block")?.id || null; // its elem_id: the drawing knows which pad began it
    ns.language.translate(element, props.texts);

    if (props.carries_model) {  // the pad that carries the visitor's model into the page
      if (props.model) pipeline.setModel(props.model);
      watch("model", () => pipeline.setModel(props.model));
    }

    // --- showing the drawing: the same strokes, at the canvas's displayed size and pixel density
    let frame = 0;
    function repaint() {
      frame = 0;
      const box = canvas.getBoundingClientRect();
      if (!box.width) return; // not shown (another tab): repainted when it is
      const ratio = window.devicePixelRatio || 1;
      const width = Math.round(box.width * ratio), height = Math.round(box.height * ratio);
      if (canvas.width !== width || canvas.height !== height) { canvas.width = width; canvas.height = height; }
      const ctx = canvas.getContext("2d");
      ctx.setTransform(1, 0, 0, 1, 0, 0);
      ctx.clearRect(0, 0, width, height);
      ctx.setTransform(width / size, 0, 0, height / size, 0, 0);
      ns.ink.strokes(ctx, drawing.state.strokes, props.config.brush_radius, getComputedStyle(canvas).color);
    }
    drawing.on("change", () => { if (!frame) frame = requestAnimationFrame(repaint); });
    new ResizeObserver(repaint).observe(canvas);

    // --- taking strokes: pointer events for mouse, touch and pen, one pointer at a time
    let active = null;
    const toPad = (event, box) => [
      (event.clientX - box.left) * size / box.width,
      (event.clientY - box.top) * size / box.height,
    ];
    canvas.addEventListener("pointerdown", (event) => {
      if (active !== null || (event.pointerType === "mouse" && event.button !== 0)) return;
      active = event.pointerId;
      try { canvas.setPointerCapture(event.pointerId); } catch { /* a synthetic pointer cannot be captured */ }
      drawing.beginStroke(toPad(event, canvas.getBoundingClientRect()), name);
      event.preventDefault();
    });
    canvas.addEventListener("pointermove", (event) => {
      if (event.pointerId !== active) return;
      const box = canvas.getBoundingClientRect();
      const events = event.getCoalescedEvents ? event.getCoalescedEvents() : [];
      drawing.extendStroke((events.length ? events : [event]).map((e) => toPad(e, box)));
    });
    const end = (event) => {
      if (event.pointerId !== active) return;
      active = null;
      drawing.endStroke();
    };
    canvas.addEventListener("pointerup", end);
    canvas.addEventListener("pointercancel", end);

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
      if (!shown || !needed || active !== null) return;
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
