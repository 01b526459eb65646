// The answer: the digit, or "That's not a digit" from a network with an 11th answer (and, when the
// network hesitates, its runner-up: "7 — or 1?"), the answers' probabilities and the 28 x 28 input
// it saw. It repaints from the pipeline's result (pipeline.js) every frame the drawing changes, and
// shows what Python sends it (an uploaded photo, or a model too big for the page). With eleven
// answers, a switch shows what the network would say with the ten digits only: the same scores,
// the 11th left out of the softmax.
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
    const tenOnly = element.querySelector(".ten-only"), tenOnlyBox = tenOnly.querySelector("input");
    const chart = element.querySelector(".bars"), canvas = element.querySelector("canvas.input");
    let shown = null;

    // The probabilities shown: all the answers', or with the switch on, the ten digits' alone
    // (softmax over the first ten scores: each digit's probability over their sum; Python's answer
    // brings them, as its rounded probabilities lose the digits' beside a sure "not a digit").
    function seen(answer) {
      const probabilities = answer?.probabilities || null;
      if (!probabilities || probabilities.length <= ns.bars.NOT_A_DIGIT || !tenOnlyBox.checked) return probabilities;
      if (answer.digits_only) return answer.digits_only;
      const digits = Array.from(probabilities).slice(0, ns.bars.NOT_A_DIGIT);
      const sum = digits.reduce((a, b) => a + b, 0) || 1;
      return digits.map((p) => p / sum);
    }

    // answer: {input: field * field numbers, probabilities: 10 or 11 numbers} (either may be missing), or null
    function paint(answer) {
      shown = answer;
      tenOnly.hidden = !(answer?.probabilities?.length > ns.bars.NOT_A_DIGIT);
      const probabilities = seen(answer);
      const best = probabilities ? Array.from(probabilities).indexOf(Math.max(...probabilities)) : null;
      const second = probabilities ? runnerUp(Array.from(probabilities), config) : null;
      prompt.hidden = !!answer?.input;
      digit.hidden = caption.hidden = best === null;
      alternative.hidden = second === null;
      const notDigit = best === ns.bars.NOT_A_DIGIT;
      digit.classList.toggle("not-a-digit", notDigit);
      digit.textContent = best === null ? "" : notDigit ? ns.language.format(texts, "not_a_digit") : String(best);
      caption.textContent = best === null ? "" : `${Math.round(probabilities[best] * 100)}%`;
      alternative.textContent = second === null ? "" : second === ns.bars.NOT_A_DIGIT
        ? ns.language.format(texts, "or_not_a_digit") : ns.language.format(texts, "or_maybe", { digit: second });
      element.querySelector(".answer").classList.toggle("empty", !answer?.input);
      element.querySelector(".answer").classList.toggle("hesitant", second !== null);
      ns.bars.paint(chart, probabilities, { percent: true, answers: pipeline.state.modelInfo?.sizes?.at(-1) ?? 10 });
      Array.from(chart.children).forEach((bar, d) => bar.classList.toggle("runner-up", d === second));
      paintInput(canvas, answer?.input, config.field);
    }

    // from Python: the input as rows
    const fromPython = () => paint(props.value?.input ? { ...props.value, input: props.value.input.flat() } : null);
    watch("value", fromPython);
    // from the page's forward pass
    const live = ({ input, forward }) => {
      if (pipeline.state.modelInfo?.server) {  // the server answers after each stroke; show the input meanwhile
        if (!input) paint(null); else paint({ input, probabilities: null });
      } else paint(input ? { input, probabilities: forward?.probabilities } : null);
    };
    if (props.live) {
      pipeline.on("result", live);
      pipeline.on("model", (info) => { note.hidden = !info?.server; paint(shown); }); // (its number of bars)
    }
    ns.language.onChange(() => paint(shown));
    tenOnlyBox.addEventListener("change", () => paint(shown));
    // (the pipeline runs from the page's HTML on: a drawing made before this mounted has its answer)
    if (props.value?.input) fromPython(); else if (props.live) live(pipeline.state.result); else paint(null);
  }

  ns.answer = { runnerUp };
  ns.mountAnswer = mountAnswer;
})(window.mnistDemo = window.mnistDemo || {});
