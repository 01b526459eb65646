// A bar per answer: one per digit, and an 11th, "not a digit" (✗), for a network that gives it: the
// answer's probabilities and Explore's scores before and after softmax.
(function (ns) {
  "use strict";

  const NOT_A_DIGIT = ns.config.not_a_digit; // the 11th answer (mnist_model.not_digits.NOT_A_DIGIT)
  const label = (answer) => (answer === NOT_A_DIGIT ? "✗" : String(answer));

  // A bar per value in `chart` (made again when the number of answers changes; without values, as
  // many as `answers`, the active model's): heights scaled to the largest |value|, negative ones
  // hanging below the axis when `signed`; the largest value highlighted.
  function paint(chart, values, { signed = false, percent = false, answers = 10 } = {}) {
    if (values) answers = values.length;
    if (chart.children.length !== answers) {
      chart.innerHTML = Array.from({ length: answers }, (_, d) =>
        `<div class="bar${d === NOT_A_DIGIT ? " not-a-digit" : ""}"><span class="value"></span><span class="track">` +
        `<span class="fill"></span></span><span class="label">${label(d)}</span></div>`,
      ).join("");
    }
    const DIGITS = [...Array(answers).keys()];
    const limit = values ? Math.max(...Array.from(values, Math.abs)) || 1 : 1;
    const best = values ? Array.from(values).indexOf(Math.max(...values)) : -1;
    chart.classList.toggle("signed", signed);
    DIGITS.forEach((d) => {
      const bar = chart.children[d], v = values ? values[d] : 0;
      const fill = bar.querySelector(".fill");
      fill.style.height = `${(Math.abs(v) / limit) * (signed ? 50 : 100)}%`;
      fill.classList.toggle("negative", v < 0);
      bar.classList.toggle("best", d === best);
      bar.querySelector(".value").textContent = !values ? "" : percent ? `${Math.round(v * 100)}%` : (Math.abs(v) < 0.05 ? 0 : v).toFixed(1); // (never "-0.0")
    });
  }

  ns.bars = { paint, label, NOT_A_DIGIT };
})(window.mnistDemo = window.mnistDemo || {});
