// Ten bars, one per digit: the answer's probabilities and Explore's scores before and after softmax.
(function (ns) {
  "use strict";

  const DIGITS = [...Array(10).keys()];

  // Ten bars in `chart` (made on first use): heights scaled to the largest |value|, negative ones
  // hanging below the axis when `signed`; the largest value highlighted.
  function paint(chart, values, { signed = false, percent = false } = {}) {
    if (!chart.children.length) {
      chart.innerHTML = DIGITS.map((d) =>
        `<div class="bar"><span class="value"></span><span class="track"><span class="fill"></span></span><span class="label">${d}</span></div>`,
      ).join("");
    }
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

  ns.bars = { paint };
})(window.mnistDemo = window.mnistDemo || {});
