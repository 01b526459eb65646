// Gradio's own words that do not follow the language picked in Settings once the page is open
// (Gradio 6.31): the names of the tabs not selected, the upload boxes' texts, and the toasts' titles,
// which are always "Error" whatever title a gr.Error gives. They are written here from texts.py's, in
// the page's language (language.js), when it changes and whenever Gradio draws them again. So is what
// Gradio announces to screen readers (a live region no one sees) while an event waits and when it
// ends: "In queue: 1 of 2", which it has in English only, and "common.complete", a key it has no
// words for; those are rewritten as soon as Gradio writes them, before a screen reader reads them.
// Mounted by components.GradioTexts (hidden, once on the page).
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

  function mountGradioTexts({ props }) {
    const word = (key) => (props.texts[ns.language.current()] || props.texts.en)[key];

    function apply() {
      for (const tab of document.querySelectorAll("button[role='tab'][data-tab-id]")) {
        say(tab, word(`tab_${tab.dataset.tabId}`));
      }
      // "Drop Image Here - or - Click to Upload": two text nodes around the "or"
      for (const box of document.querySelectorAll("[data-testid='upload-text']")) {
        const [drop, click] = Array.from(box.childNodes).filter((n) => n.nodeType === Node.TEXT_NODE && n.nodeValue.trim());
        const image = box.closest("[data-testid='image']") !== null;
        const dropWords = word(image ? "upload_drop" : "upload_drop_file");
        if (drop && drop.nodeValue.trim() !== dropWords) drop.nodeValue = `${dropWords} `;
        if (click && click.nodeValue.trim() !== word("upload_click")) click.nodeValue = ` ${word("upload_click")}`;
        say(box.querySelector(".or"), word("upload_or"));
      }
      for (const title of document.querySelectorAll(".toast-title.error")) say(title, word("error_title"));
    }

    // Gradio's announcement, in the page's language (it writes it into the status live region's one text node)
    function announce() {
      for (const region of document.querySelectorAll(".sr-only[role='status']")) {
        const said = region.textContent.trim();
        const queued = said.match(/^In queue: (\d+) of (\d+)$/);
        if (queued) say(region, word("queue_position").replace("{position}", queued[1]).replace("{size}", queued[2]));
        else if (said === "common.complete") say(region, word("event_done"));
      }
    }

    let frame = 0;
    const soon = () => { if (!frame) frame = requestAnimationFrame(() => { frame = 0; apply(); }); };
    new MutationObserver(() => { announce(); soon(); })
      .observe(document.body, { subtree: true, childList: true, characterData: true });
    ns.language.onChange(soon);
    apply();
  }

  ns.mountGradioTexts = mountGradioTexts;
})(window.mnistDemo = window.mnistDemo || {});
