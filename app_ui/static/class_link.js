// A page opened by a class's join link (?class=CODE) is a student's: it never offers to start a class
// of its own (a phone showed "Start a class" above "Join" once its class had ended, and a student who
// pressed it became a teacher). Inlined in the page's head (components.page_head), so that it holds
// from the page's first paint; app.css hides the button.
(function () {
  "use strict";
  if (new URLSearchParams(location.search).get("class")) document.documentElement.classList.add("by-class-link");
})();
