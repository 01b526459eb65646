// A collection of drawings, grouped by digit: each drawing with the active model's guess (mistakes
// marked), a count per digit, and a delete button for those who may delete (the teacher, or a
// collection's owner). Drawn from the `collection` prop (app_ui/teaching.py's collection_view); a
// delete sets the component's value to {delete: id}, which Gradio hears as a change.
(function (ns) {
  "use strict";

  function mountCollection({ element, props, watch }) {
    const texts = props.texts;
    ns.language.translate(element, texts);
    const holder = element.querySelector(".collection-groups");

    function item(entry, digit, deletable) {
      const wrong = entry.guess !== digit;
      const figure = document.createElement("figure");
      figure.className = wrong ? "wrong" : "right";
      figure.title = ns.language.format(texts, "step_guess", { label: ns.bars.label(digit), guess: ns.bars.label(entry.guess) });
      const image = document.createElement("img");
      image.src = entry.image;
      image.alt = figure.title;
      const caption = document.createElement("figcaption");
      caption.textContent = wrong ? `→ ${ns.bars.label(entry.guess)}` : "✓";
      figure.append(image, caption);
      if (deletable) {
        const remove = document.createElement("button");
        remove.type = "button";
        remove.className = "delete";
        remove.textContent = "×";
        remove.title = ns.language.format(texts, "delete_drawing");
        remove.addEventListener("click", () => { props.value = { delete: entry.id, at: Date.now() }; });
        figure.append(remove);
      }
      return figure;
    }

    function show() {
      const collection = props.collection;
      element.querySelector(".collection").hidden = !collection;
      holder.innerHTML = "";
      if (!collection) return;
      element.querySelector(".collection-empty").hidden = collection.total > 0;
      for (const group of collection.groups) {
        const row = document.createElement("div");
        row.className = "collection-digit";
        const label = document.createElement("div");
        label.className = "collection-label";
        label.innerHTML = `<b>${ns.bars.label(group.digit)}</b><span>${group.count}</span>`;
        if (group.wrong) label.title = ns.language.format(texts, "wrong_count", { count: group.wrong });
        label.classList.toggle("has-wrong", group.wrong > 0);
        const items = document.createElement("div");
        items.className = "collection-items";
        for (const entry of group.items) items.append(item(entry, group.digit, collection.deletable));
        row.append(label, items);
        holder.append(row);
      }
    }

    watch("collection", show);
    ns.language.onChange(show);
    show();
  }

  ns.mountCollection = mountCollection;
})(window.mnistDemo = window.mnistDemo || {});
