// The page's language, as Gradio shows it (the browser's, or the one picked in Settings): our own
// components translate their texts with it, and a hidden textbox (#page-language) carries it to the
// server for the messages made there.
(function (ns) {
  "use strict";

  let marker = null; // the Draw tab's title in Chinese: present in the tab bar when Gradio shows Chinese
  let current = "en";
  const subscribers = new Set();

  function detect() {
    return [...document.querySelectorAll('button[role="tab"]')].some((tab) => tab.textContent.trim() === marker)
      ? "zh-CN" : "en";
  }

  function sync() {
    const language = detect();
    if (language !== current) {
      current = language;
      subscribers.forEach((fn) => fn(language));
    }
    const box = document.querySelector("#page-language textarea, #page-language input");
    if (box && box.value !== current) {
      box.value = current;
      box.dispatchEvent(new Event("input", { bubbles: true }));
    }
  }

  // Start following (once; every component's mount calls this) with the Chinese title of the Draw tab.
  function follow(chineseDrawTab) {
    if (marker !== null) return current;
    marker = chineseDrawTab;
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
  function format(texts, key, values) {
    const template = (texts[current] || texts.en)[key] || "";
    return template.replace(/\{(\w+)\}/g, (whole, name) => (name in values ? values[name] : whole));
  }

  ns.language = { follow, translate, format, current: () => current, onChange: (fn) => subscribers.add(fn) };
})(window.DigitPad = window.DigitPad || {});
