// What Gradio announces to screen readers (a live region no one sees, its status tracker's) while an
// event waits and when it ends, in the page's language: "In queue: 1 of 2", which Gradio 6.31 has in
// English only, and "common.complete", a key it has no words for. Each is rewritten as soon as Gradio
// writes it, before a screen reader reads it. This script is inlined in the page's head (assets.HEAD):
// it runs before Gradio's first event, the page's load, which a busy server answers before the page's
// other scripts have arrived (those announcements were in English).
(function (ns) {
  "use strict";

  // The element's words become `words`: its first text node that has any (the node Gradio's own
  // later updates write to), the others emptied. Nothing is written when they already are.
  function say(node, words) {
    if (!node || words === undefined) return;
    const texts = Array.from(node.childNodes).filter((n) => n.nodeType === Node.TEXT_NODE && n.nodeValue.trim());
    if (!texts.length) { if (node.textContent !== words) node.textContent = words; return; }
    if (texts[0].nodeValue.trim() !== words) texts[0].nodeValue = words;
    for (const extra of texts.slice(1)) extra.nodeValue = "";
  }

  // words: {language: {queue_position, event_done}} (texts.py's)
  function rewordAnnouncements(words) {
    // the page's language, where Gradio writes it (app.py's #page-language-code, as language.js reads it)
    const language = () => document.querySelector("#page-language-code")?.textContent.trim();
    function reword() {
      const word = words[language()] || words.en;
      for (const region of document.querySelectorAll(".sr-only[role='status']")) {
        const said = region.textContent.trim();
        const queued = said.match(/^In queue: (\d+) of (\d+)$/);
        if (queued) say(region, word.queue_position.replace("{position}", queued[1]).replace("{size}", queued[2]));
        else if (said === "common.complete") say(region, word.event_done);
      }
    }
    new MutationObserver(reword)
      .observe(document.documentElement, { subtree: true, childList: true, characterData: true });
  }

  ns.say = say;
  ns.rewordAnnouncements = rewordAnnouncements;
})(window.mnistDemo = window.mnistDemo || {});
