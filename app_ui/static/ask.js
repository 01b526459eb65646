// The Teach tab's prompt, "Draw a 3": the digit the next Add stores, that is the digit picker's value.
// Python words it for the page's load and for the Add's answer, which sets the picker in the same
// update; a change of the picker (a pick, or that answer) words it again here, in the page, with no
// trip to the server (answers to such trips, late or out of order on a busy server, once showed a 0
// or the digit before); and it follows the page's language.
(function (ns) {
  "use strict";

  let reword = null; // the mounted prompt's wording, once mounted

  // A digit 0-9 from the picker's value (a number, or its text), else null.
  function digitOf(value) {
    const digit = typeof value === "string" && value.trim() !== "" ? Number(value) : value;
    return Number.isInteger(digit) && digit >= 0 && digit <= 9 ? digit : null;
  }

  function mountAsk({ element, props }) {
    const texts = props.texts;
    let digit = digitOf(props.digit) ?? 0;
    reword = (value) => {
      digit = digitOf(value) ?? digit; // (no digit: the one asked for stays)
      return ns.language.format(texts, "ask_digit", { digit });
    };
    ns.language.follow();
    ns.language.onChange(() => { props.value = reword(digit); });
    element.dataset.mounted = "1";
  }

  // The prompt for the picker's value `value` ("Draw a 3", in the page's language); `shown` (what
  // the prompt says now) until the prompt is mounted.
  function worded(value, shown) {
    return reword ? reword(value) : shown;
  }

  ns.ask = { digitOf, worded };
  ns.mountAsk = mountAsk;
})(window.mnistDemo = window.mnistDemo || {});
