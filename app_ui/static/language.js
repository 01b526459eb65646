// The page's language, as Gradio shows it (the browser's, or the one picked in Settings): our own
// components translate their texts with it, and a hidden textbox (#page-language) carries it to the
// server for the messages made there. Gradio itself writes the language's code into a hidden
// element (#page-language-code, an I18n text of app.py): that is what is read, nothing of Gradio's own.
(function (ns) {
  "use strict";

  const LANGUAGES = ["en", "zh-CN"];
  let current = "en";
  let following = false;
  const subscribers = new Set();

  function read() {
    const code = document.querySelector("#page-language-code")?.textContent.trim();
    return LANGUAGES.includes(code) ? code : null;
  }

  function sync() {
    const language = read();
    if (language && language !== current) {
      current = language;
      subscribers.forEach((fn) => fn(language));
    }
    const box = document.querySelector("#page-language textarea, #page-language input");
    if (box && box.value !== current) {
      box.value = current;
      box.dispatchEvent(new Event("input", { bubbles: true }));
    }
  }

  // Start following (once; every component's mount calls this).
  function follow() {
    if (following) return current;
    following = true;
    new MutationObserver(sync).observe(document.body, { subtree: true, childList: true, characterData: true });
    sync();
    return current;
  }

  // Fill every [data-text="key"] inside `element` from texts[language][key], now and on every change.
  function translate(element, texts) {
    const apply = (language) => {
      for (const node of element.querySelectorAll("[data-text]")) {
        node.textContent = (texts[language] || texts.en)[node.dataset.text] ?? node.textContent;
      }
      for (const node of element.querySelectorAll("[data-title]")) {
        node.title = (texts[language] || texts.en)[node.dataset.title] ?? node.title;
      }
    };
    apply(current);
    subscribers.add(apply);
  }

  // texts[language][key] with {name} placeholders filled from `values`.
  function format(texts, key, values = {}) {
    const template = (texts[current] || texts.en)[key] || "";
    return template.replace(/\{(\w+)\}/g, (whole, name) => (name in values ? values[name] : whole));
  }

  ns.language = { follow, translate, format, current: () => current, onChange: (fn) => subscribers.add(fn) };
})(window.mnistDemo = window.mnistDemo || {});
