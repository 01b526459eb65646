// A canvas that takes strokes into the shared drawing (drawing.js) and shows it with the pad's brush:
// mouse, touch and pen, one stroke at a time on the page, in pad pixels whatever the canvas's displayed size
// and pixel density. The pad (pad.js) is one, and so is the pad before the page (early_pad.js).
(function (ns) {
  "use strict";

  // `canvas` shows and takes the drawing; `name` is its pad's (the drawing knows which pad began it).
  // Returns { busy(): a pointer is drawing here, detach(): it stops showing and taking strokes }.
  function attach(canvas, { size, radius, name }) {
    const { drawing } = ns;

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
      ns.ink.strokes(ctx, drawing.state.strokes, radius, getComputedStyle(canvas).color);
    }
    const unfollow = drawing.on("change", () => { if (!frame) frame = requestAnimationFrame(repaint); });
    const resized = new ResizeObserver(repaint);
    resized.observe(canvas);

    let active = null;
    const toPad = (event, box) => [
      (event.clientX - box.left) * size / box.width,
      (event.clientY - box.top) * size / box.height,
    ];
    const handlers = {
      pointerdown(event) {
        // (one stroke at a time: not while another pointer, here or on another surface, draws one)
        if (active !== null || drawing.state.stroking || (event.pointerType === "mouse" && event.button !== 0)) return;
        active = event.pointerId;
        try { canvas.setPointerCapture(event.pointerId); } catch { /* a synthetic pointer cannot be captured */ }
        drawing.beginStroke(toPad(event, canvas.getBoundingClientRect()), name);
        event.preventDefault();
      },
      pointermove(event) {
        if (event.pointerId !== active) return;
        const box = canvas.getBoundingClientRect();
        const events = event.getCoalescedEvents ? event.getCoalescedEvents() : [];
        drawing.extendStroke((events.length ? events : [event]).map((e) => toPad(e, box)));
      },
      pointerup: end,
      pointercancel: end,
    };
    function end(event) {
      if (event.pointerId !== active) return;
      active = null;
      drawing.endStroke();
    }
    for (const [type, handler] of Object.entries(handlers)) canvas.addEventListener(type, handler);

    return {
      busy: () => active !== null,
      detach() {
        unfollow();
        resized.disconnect();
        if (frame) cancelAnimationFrame(frame);
        for (const [type, handler] of Object.entries(handlers)) canvas.removeEventListener(type, handler);
      },
    };
  }

  ns.surface = { attach };
})(window.mnistDemo = window.mnistDemo || {});
