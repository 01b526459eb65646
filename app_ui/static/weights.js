// The first layer's weights, one 28 x 28 tile per unit (red positive, blue negative), from one
// picture Python makes (app_ui/render.py's weights_picture: tiles a pixel apart, a pixel of border),
// shown whole at the width it is given. A click on a tile picks that unit: the component's value
// becomes its index, and Gradio hears of the change; the neuron's view (neuron.js) shows that unit.
(function (ns) {
  "use strict";

  function mountWeights({ element, props, watch }) {
    const FIELD = ns.config.field, TILE = FIELD + 1; // a tile and the grey line after it, in the picture's pixels
    const texts = props.texts;
    ns.language.translate(element, texts);
    const image = element.querySelector("img.weights-tiles"), caption = element.querySelector(".weights-caption");
    const marker = element.querySelector(".weights-picked");

    function show() {
      const picture = props.picture;
      image.hidden = !picture;
      caption.textContent = picture ? ns.language.format(texts, picture.caption.key, picture.caption.values) : "";
      if (picture && image.getAttribute("src") !== picture.tiles) image.src = picture.tiles;
      mark();
    }

    // the picked unit's tile, outlined
    function mark() {
      const picture = props.picture, unit = props.value;
      marker.hidden = !picture || typeof unit !== "number" || unit >= picture.units;
      if (marker.hidden || !image.naturalWidth) return;
      const scale = image.clientWidth / image.naturalWidth;
      const row = Math.floor(unit / picture.columns), col = unit % picture.columns;
      Object.assign(marker.style, { left: `${(1 + col * TILE) * scale - 2}px`, top: `${(1 + row * TILE) * scale - 2}px`,
                                    width: `${FIELD * scale + 4}px`, height: `${FIELD * scale + 4}px` });
    }

    image.addEventListener("click", (event) => {
      const picture = props.picture;
      if (!picture || !image.naturalWidth) return;
      const scale = image.naturalWidth / image.clientWidth;
      const col = Math.floor((event.offsetX * scale - 1) / TILE), row = Math.floor((event.offsetY * scale - 1) / TILE);
      const unit = row * picture.columns + col;
      if (col < 0 || col >= picture.columns || row < 0 || unit >= picture.units) return;
      props.value = unit;
      ns.neuron?.pick(0, unit); // the neuron's view shows it too, live
      mark();
    });
    image.addEventListener("load", mark);
    new ResizeObserver(mark).observe(image);
    watch("picture", show);
    ns.language.onChange(show); // the caption in the page's language, whichever comes last
    show();
  }

  ns.mountWeights = mountWeights;
})(window.mnistDemo = window.mnistDemo || {});
