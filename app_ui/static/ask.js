// The Teach tab's prompt, "Draw a 3" (or something that is not a digit): what the next Add stores, that
// is the digit picker's value.
// Python words it for the page's load and for the Add's answer, which sets the picker in the same
// update; a change of the picker (a pick, or that answer) words it again here, in the page, with no
// trip to the server (answers to such trips, late or out of order on a busy server, once showed a 0
// or the digit before); and it follows the page's language.
(function (ns) {
  "use strict";

  let reword = null; // the mounted prompt's wording, once mounted

  // A digit 0-9, or the config's not_a_digit (10), from the picker's value (a number, or its text), else null.
  function digitOf(value) {
    const digit = typeof value === "string" && value.trim() !== "" ? Number(value) : value;
    return Number.isInteger(digit) && digit >= 0 && digit <= ns.config.not_a_digit ? digit : null;
  }

  function mountAsk({ element, props, watch }) {
    const texts = props.texts;
    let digit = digitOf(props.digit) ?? 0;
    reword = (value) => {
      digit = digitOf(value) ?? digit; // (no digit: the one asked for stays)
      return digit === ns.config.not_a_digit ? ns.language.format(texts, "ask_not_a_digit")
        : ns.language.format(texts, "ask_digit", { digit });
    };
    watch("digit", () => { digit = digitOf(props.digit) ?? digit; }); // (Python words its value with it)
    // the prompt worded again here: its value for Gradio, and its words on the page at once (a value
    // set from here is kept, but not drawn again)
    const show = (value) => {
      props.value = reword(value);
      const prompt = element.querySelector(".ask");
      if (prompt) prompt.textContent = props.value;
    };
    ns.language.follow();
    ns.language.onChange(() => show(digit));
    // Gradio draws the Teach tab when it is first opened: the page's language may have changed since
    // Python worded the prompt, and the picker may have changed before this script came
    // (once Gradio has drawn the component: its first drawing comes after this mount)
    requestAnimationFrame(() => requestAnimationFrame(
      () => show(document.querySelector(`#${props.picker} input:checked`)?.value ?? digit)));
  }

  // The prompt for the picker's value `value` ("Draw a 3", in the page's language); `shown` (what
  // the prompt says now) until the prompt is mounted.
  function worded(value, shown) {
    return reword ? reword(value) : shown;
  }

  ns.ask = { digitOf, worded };
  ns.mountAsk = mountAsk;
})(window.mnistDemo = window.mnistDemo || {});
