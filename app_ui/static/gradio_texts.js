// Gradio's own words that do not follow the language picked in Settings once the page is open
// (Gradio 6.31): the names of the tabs not selected, the upload boxes' texts, the toasts' titles
// and the page's title (gr.Blocks takes one, in English),
// which are always "Error" whatever title a gr.Error gives. They are written here from texts.py's, in
// the page's language (language.js), when it changes and whenever Gradio draws them again (with
// announcements.js's `say`; that script, inlined in the page's head, rewords what Gradio announces to
// screen readers). Mounted by components.GradioTexts (hidden, once on the page).
(function (ns) {
  "use strict";

  function mountGradioTexts({ props }) {
    const say = ns.say;
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
      if (document.title !== word("page_title")) document.title = word("page_title"); // the browser tab's
    }

    let frame = 0;
    const soon = () => { if (!frame) frame = requestAnimationFrame(() => { frame = 0; apply(); }); };
    new MutationObserver(soon)
      .observe(document.body, { subtree: true, childList: true, characterData: true });
    ns.language.onChange(soon);
    apply();
  }

  ns.mountGradioTexts = mountGradioTexts;
})(window.mnistDemo = window.mnistDemo || {});
