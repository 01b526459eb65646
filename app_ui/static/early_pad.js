// The pad before the page. On a class's share of a school's Wi-Fi (0.5 Mbit/s) Gradio's own scripts
// take some 5 s to come, and the page's pad comes with them; until it does, this pad stands where the
// page will be, takes the strokes into the shared drawing (drawing.js) as that pad's, so that the
// page's pad shows them when it comes: nothing drawn is lost. Inlined in the page's HTML with the
// shared drawing, inking, a pad's surface and the pipeline (components.before_the_app). It shows only
// when the page is slow to come (never on a page that mounts its pad at once).
// Two kinds: the Draw tab's stand-in says the network's answer (the pipeline runs already, with the
// model the page's HTML brought); a class's link stands in for the Teach tab's pad and says, as its
// prompt, the digit the Teach tab asks for first (the one its first Add stores), and no answer.
(function (ns) {
  "use strict";

  let shown = null; // { element, surface, off } while it is on the page
  let closing = false;
  let pad = null; // the page's pad this one stands for (its elem_id)

  // The page's language before the page's scripts can say it: the one picked in Settings (language.js
  // remembers it), else the browser's own, as Gradio takes it.
  function language() {
    const { languages, language_key: key } = ns.config;
    let picked = null;
    try { picked = localStorage.getItem(key); } catch { /* no storage */ }
    if (languages.includes(picked)) return picked;
    return /^zh\b/i.test(navigator.language || "") ? "zh-CN" : "en";
  }

  // The network's answer to the drawing, as the page's answer says it: the digit (or "not a digit")
  // and its probability; nothing while the pad is empty or the page has no model yet.
  function answer(words) {
    const probabilities = ns.pipeline.state.result.forward?.probabilities;
    if (!probabilities) return "";
    const best = probabilities.indexOf(Math.max(...probabilities));
    const percent = `${Math.round(probabilities[best] * 100)}%`;
    return `${best === ns.config.not_a_digit ? words.not_a_digit : best} (${percent})`;
  }

  // Shown `delay` ms after the navigation began, unless the page's pad has come by then (in the body,
  // once the HTML has one: it comes in the head). `name`: the page's pad (the drawing is its);
  // `texts`: by language, its `early_pad` the words above the pad; `answers`: whether it says the
  // network's answer below it (a class's link: no, its words ask for a digit, and below it
  // `early_pad_add` says that the Teach tab's Add comes with the page).
  function open({ name, texts, delay, answers = true }) {
    pad = name;
    const show = () => {
      // (a page already on the screen, its pad yet to mount, gets no pad above it)
      if (closing || shown || document.querySelector("gradio-app")?.childElementCount) return;
      if (!document.body) { setTimeout(show, 50); return; }
      const element = document.createElement("div");
      element.id = "early-pad";
      element.innerHTML = '<p class="early-pad-hint"></p><canvas class="early-pad-surface"></canvas>'
        + '<p class="early-pad-answer" aria-live="polite"></p>';
      const words = texts[language()];
      const hint = element.querySelector(".early-pad-hint");
      hint.textContent = words.early_pad;
      hint.classList.toggle("early-pad-ask", !answers);
      const said = element.querySelector(".early-pad-answer");
      const canvas = element.querySelector("canvas");
      canvas.setAttribute("role", "img");
      canvas.setAttribute("aria-label", words.pad_hint);
      document.body.prepend(element);
      said.classList.toggle("early-pad-later", !answers);
      const say = () => { said.textContent = answers ? answer(words) : words.early_pad_add; };
      shown = { element, surface: ns.surface.attach(canvas, { size: ns.config.pad_size, radius: ns.config.brush_radius, name }),
                off: ns.pipeline.on("result", say) };
      say();
    };
    setTimeout(show, Math.max(0, delay - performance.now()));
  }

  // The page's pad `name` has come: if this one stands for it, it goes, once no finger is on it (its
  // stroke ends here first). (Another pad may come first: a class's link shows the Draw tab before it
  // opens the Teach tab.)
  function close(name) {
    if (name !== pad) return;
    closing = true;
    if (!shown) return;
    if (shown.surface.busy()) { const off = ns.drawing.on("rest", () => { off(); close(name); }); return; }
    shown.surface.detach();
    shown.off();
    shown.element.remove();
    shown = null;
  }

  ns.earlyPad = { open, close };
})(window.mnistDemo = window.mnistDemo || {});
