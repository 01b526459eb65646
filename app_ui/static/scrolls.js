// A table wider than its box (.table-fit: the confusion matrix on a phone) scrolls sideways: while
// more of it lies to the right, that edge fades out (class "more", app.css), so that a visitor sees
// there is more to scroll to; the fade goes once the table's end is in view.
(function (ns) {
  "use strict";

  function mark(box) {
    box.classList.toggle("more", box.scrollLeft + box.clientWidth < box.scrollWidth - 1);
  }

  const watched = new WeakSet();
  const resized = new ResizeObserver((entries) => entries.forEach((entry) => mark(entry.target)));

  function watch(box) {
    if (watched.has(box)) return;
    watched.add(box);
    box.addEventListener("scroll", () => mark(box), { passive: true });
    resized.observe(box); // (and when its tab opens: a hidden box has no width)
    mark(box);
  }

  // tables come with a run's results, as a component's new HTML: each new one is watched
  new MutationObserver((records) => {
    for (const record of records) {
      for (const node of record.addedNodes) {
        if (node.nodeType !== Node.ELEMENT_NODE) continue;
        if (node.matches(".table-fit")) watch(node);
        node.querySelectorAll(".table-fit").forEach(watch);
      }
    }
  }).observe(document.documentElement, { childList: true, subtree: true });

  ns.scrolls = { mark };
})(window.mnistDemo = window.mnistDemo || {});
