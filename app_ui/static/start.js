// The page's start-up, once, when its scripts have come (the last of them: components' mounts come
// after). The constants the page shares with Python came with the page's HTML (mnistDemo.config,
// components.before_the_app), before any of these scripts, and so did the pipeline, running already.
(function (ns) {
  "use strict";

  if (!ns.config) {
    console.error("mnistDemo: the page's config did not come with its HTML (app_ui/gradio_internals.py's BeforeTheApp)");
    return;
  }
  ns.language.follow();
})(window.mnistDemo = window.mnistDemo || {});
