// A page's place in a class, kept by the browser: the key the server issued it (a 64-digit hex
// secret) and the class it was in, and the language its handlers should answer in. Inlined in the
// page's head (components.page_head), so that it is there for the page's first event, before the
// page's other scripts have come (Gradio runs these as its events' `js`: assets.py).
(function (ns) {
  "use strict";

  const KEY = "mnist-demo-key", CLASS = "mnist-demo-class"; // localStorage

  // The language the page shows, for a handler's messages: the hidden box that carries it
  // (language.js) has it only once the page's scripts have loaded, and on a busy server Gradio's page
  // can be used before (a phone that typed its class's code and joined was told in English). The
  // scripts know a language picked in Settings too; until they load, it is read where Gradio writes
  // it (app.py's #page-language-code).
  function language() {
    return ns.language?.wanted() || document.querySelector("#page-language-code")?.textContent.trim();
  }

  const pause = () => new Promise((done) => setTimeout(done, 50));

  // The page opens: its key and the class it was in, for the Teach tab's enter(), which answers with
  // the key to keep (a new one when there was none); the visitor passes through, and the language is
  // the one the page is about to show (Settings' pick, remembered, which the hidden box may not have
  // yet: the page's scripts, waited for 5 s at most, know it).
  async function identity(key, remembered, visitor, lang) {
    for (let wait = 0; wait < 100 && !ns.language; wait++) await pause();
    let secret = "", code = "";
    try {
      secret = localStorage.getItem(KEY) || "";
      code = localStorage.getItem(CLASS) || "";
    } catch (e) { /* no storage (a private window): the session is the identity */ }
    return [/^[0-9a-f]{64}$/.test(secret) ? secret : "", code, visitor, language() || lang];
  }

  // A class's Start and Join (their last inputs: the key, the language) wait until the page's load
  // has been answered (remember() runs after it, whether it succeeded or not), 60 s at most: sent
  // beside it, each made the session a visitor of its own, and when the load's answer came last the
  // page was in no class, with a key that was not its student's. They take the key the load gave and
  // the language as the page shows it.
  async function entered(...values) {
    for (let wait = 0; wait < 1200 && !ns.entered; wait++) await pause();
    const key = document.querySelector("#member-key textarea, #member-key input")?.value;
    return [...values.slice(0, -2), key || values[values.length - 2], language() || values[values.length - 1]];
  }

  // The page remembers its class and its key, and shows its role (class_view.js, once it has come).
  function remember(code, role, key) {
    ns.entered = true; // (the page's load has been answered)
    ns.classView?.show(role);
    try {
      localStorage.setItem(CLASS, code || "");
      if (key) localStorage.setItem(KEY, key);
    } catch (e) {}
  }

  ns.signIn = { language, identity, entered, remember };
})((window.mnistDemo = window.mnistDemo || {}));
