// The pad before the page. On a class's share of a school's Wi-Fi (0.5 Mbit/s) Gradio's own scripts
// take some 5 s to come, and the page's pad comes with them; until it does, this pad stands where the
// page will be and takes the strokes into the shared drawing (drawing.js), so that the page's pad
// shows them and the network answers them when it comes: nothing drawn is lost. Inlined in the page's
// HTML with drawing.js, ink.js and surface.js (components.before_the_app). It shows only when the page is
// slow to come (never on a page that mounts its pad at once), and never on a class's link (whose pad
// asks for one digit at a time: a drawing made before the question would be filed under it).
(function (ns) {
  "use strict";

  let shown = null; // { element, surface } while it is on the page
  let closing = false;

  // The page's language before the page's scripts can say it: the one picked in Settings (language.js
  // remembers it), else the browser's own, as Gradio takes it.
  function language() {
    const { languages, language_key: key } = ns.config;
    let picked = null;
    try { picked = localStorage.getItem(key); } catch { /* no storage */ }
    if (languages.includes(picked)) return picked;
    return /^zh\b/i.test(navigator.language || "") ? "zh-CN" : "en";
  }

  // Shown `delay` ms after the navigation began, unless the page's pad has come by then.
  // `name`: the page's pad (the drawing is its); `texts`: by language.
  function open({ name, texts, delay }) {
    if (new URLSearchParams(location.search).get("class")) return;
    const show = () => {
      // (a page already on the screen, its pad yet to mount, gets no pad above it)
      if (closing || shown || document.querySelector("gradio-app")?.childElementCount) return;
      const element = document.createElement("div");
      element.id = "early-pad";
      element.innerHTML = '<p class="early-pad-hint"></p><canvas class="early-pad-surface"></canvas>';
      const words = texts[language()];
      element.querySelector("p").textContent = words.early_pad;
      const canvas = element.querySelector("canvas");
      canvas.setAttribute("role", "img");
      canvas.setAttribute("aria-label", words.pad_hint);
      document.body.prepend(element);
      shown = { element, surface: ns.surface.attach(canvas, { size: ns.config.pad_size, radius: ns.config.brush_radius, name }) };
    };
    setTimeout(show, Math.max(0, delay - performance.now()));
  }

  // The page's pad has come: this one goes, once no finger is on it (its stroke ends here first).
  function close() {
    closing = true;
    if (!shown) return;
    if (shown.surface.busy()) { const off = ns.drawing.on("rest", () => { off(); close(); }); return; }
    shown.surface.detach();
    shown.element.remove();
    shown = null;
  }

  ns.earlyPad = { open, close };
})(window.mnistDemo = window.mnistDemo || {});
