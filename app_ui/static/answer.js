// The answer: the digit (and, when the network hesitates, its runner-up: "7 — or 1?"), ten
// probabilities and the 28 x 28 input it saw. It repaints from the pipeline's result (pipeline.js)
// every frame the drawing changes, and shows what Python sends it (an uploaded photo, or a model too
// big for the page).
(function (ns) {
  "use strict";

  // The runner-up when the network hesitates (components.runner_up decides the same way), else null.
  function runnerUp(probabilities, config) {
    const order = Array.from(probabilities.keys()).sort((a, b) => probabilities[b] - probabilities[a]);
    const [top, second] = order;
    const hesitant = probabilities[top] < config.hesitant_top
      || probabilities[top] - probabilities[second] < config.hesitant_gap;
    return hesitant ? second : null;
  }

  // Values in [0, 1] (field x field of them) as grey pixels on a field x field canvas.
  function paintInput(canvas, input, field) {
    if (canvas.width !== field) canvas.width = canvas.height = field;
    const ctx = canvas.getContext("2d");
    const image = ctx.createImageData(field, field);
    for (let i = 0; i < field * field; i++) {
      const v = Math.round(Math.min(1, Math.max(0, input ? input[i] : 0)) * 255);
      image.data.set([v, v, v, 255], 4 * i);
    }
    ctx.putImageData(image, 0, 0);
  }

  function mountAnswer({ element, props, watch }) {
    const { pipeline } = ns;
    const config = ns.config, texts = props.texts;
    ns.language.translate(element, texts);
    element.style.setProperty("--field", config.field);
    const prompt = element.querySelector(".prompt"), digit = element.querySelector(".digit");
    const caption = element.querySelector(".caption"), alternative = element.querySelector(".alternative");
    const note = element.querySelector(".note");
    const chart = element.querySelector(".bars"), canvas = element.querySelector("canvas.input");
    let shown = null;

    // answer: {input: field * field numbers, probabilities: 10 numbers} (either may be missing), or null
    function paint(answer) {
      shown = answer;
      const probabilities = answer?.probabilities || null;
      const best = probabilities ? Array.from(probabilities).indexOf(Math.max(...probabilities)) : null;
      const second = probabilities ? runnerUp(Array.from(probabilities), config) : null;
      prompt.hidden = !!answer?.input;
      digit.hidden = caption.hidden = best === null;
      alternative.hidden = second === null;
      digit.textContent = best === null ? "" : String(best);
      caption.textContent = best === null ? "" : `${Math.round(probabilities[best] * 100)}%`;
      alternative.textContent = second === null ? "" : ns.language.format(texts, "or_maybe", { digit: second });
      element.querySelector(".answer").classList.toggle("empty", !answer?.input);
      element.querySelector(".answer").classList.toggle("hesitant", second !== null);
      ns.bars.paint(chart, probabilities, { percent: true });
      Array.from(chart.children).forEach((bar, d) => bar.classList.toggle("runner-up", d === second));
      paintInput(canvas, answer?.input, config.field);
    }

    // from Python: the input as rows
    const fromPython = () => paint(props.value?.input ? { ...props.value, input: props.value.input.flat() } : null);
    watch("value", fromPython);
    if (props.live) {
      pipeline.on("result", ({ input, forward }) => {
        if (pipeline.state.modelInfo?.server) {  // the server answers after each stroke; show the input meanwhile
          if (!input) paint(null); else paint({ input, probabilities: null });
        } else paint(input ? { input, probabilities: forward?.probabilities } : null);
      });
      pipeline.on("model", (info) => { note.hidden = !info?.server; });
    }
    ns.language.onChange(() => paint(shown));
    if (props.value?.input) fromPython(); else paint(null);
  }

  ns.answer = { runnerUp };
  ns.mountAnswer = mountAnswer;
})(window.mnistDemo = window.mnistDemo || {});
