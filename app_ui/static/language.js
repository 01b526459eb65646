// The page's language, as Gradio shows it (the browser's, or the one picked in Settings): our own
// components translate their texts with it, and a hidden textbox (#page-language) carries it to the
// server for the messages made there. Gradio itself writes the language's code into a hidden
// element (#page-language-code, an I18n text of app.py): that is what is read, nothing of Gradio's own.
// A language picked in Settings is remembered by the browser and given back to Gradio when the page
// opens again (Gradio itself forgets it: a reload went back to the browser's language).
(function (ns) {
  "use strict";

  const LANGUAGES = ns.config.languages;
  const STORE = ns.config.language_key; // localStorage: the language picked in Settings
  let current = "en";
  let following = false;
  let seen = false; // the page has shown a language: a change after that is the visitor's pick
  const subscribers = new Set();

  function remembered() {
    try { return LANGUAGES.find((language) => language === localStorage.getItem(STORE)) || null; } catch { return null; }
  }

  function remember(language) {
    try { localStorage.setItem(STORE, language); } catch { /* no storage (a private window): not remembered */ }
  }

  // Gradio's language becomes `language`, as its Settings make it: by calling changeLocale of its
  // core module, which the page has loaded (app_ui/gradio_internals.py, 5; checked on upgrades by
  // tests/app/test_gradio_internals.py).
  async function tellGradio(language) {
    const core = performance.getEntriesByType("resource").map((entry) => entry.name)
      .find((name) => /\/assets\/core-[\w-]+\.js$/.test(name));
    try {
      (await import(core)).changeLocale(language);
    } catch (error) {
      console.warn("mnistDemo.language: Gradio's language could not be set", error);
    }
  }

  function read() {
    const code = document.querySelector("#page-language-code")?.textContent.trim();
    return LANGUAGES.includes(code) ? code : null;
  }

  function sync() {
    const language = read();
    if (language && seen && language !== current) remember(language);
    if (language) seen = true;
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

  // Start following (once: the page's start-up, start.js, does).
  function follow() {
    if (following) return current;
    following = true;
    new MutationObserver(sync).observe(document.body, { subtree: true, childList: true, characterData: true });
    sync();
    const picked = remembered();
    if (picked && picked !== read()) tellGradio(picked);
    return current;
  }

  // The language the page is about to show: the one picked in Settings before, else the shown one.
  const wanted = () => remembered() || read() || current;

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

  ns.language = { follow, translate, format, wanted, current: () => current, onChange: (fn) => subscribers.add(fn) };
})(window.mnistDemo = window.mnistDemo || {});
