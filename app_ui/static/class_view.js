// A page in a class: how its role looks, and what it brings into view when the role changes. A
// student's phone shows the digit asked for, the pad and Add (their pad first, on the Teach tab,
// wherever the page was and whichever tab it opened on: a phone reopened without the class's link
// opens on the first); a class that is over says so there and takes Add away; a teacher who starts a
// class sees its QR code (on a projector it would otherwise sit above or below the screen).
(function (ns) {
  "use strict";

  const IN_VIEW = { student: "#ask", teacher: "#class-card", over: "#teach-status" };
  let shown = null;

  // Scroll `selector`'s element to the top of the screen once it is laid out (a class's link opens
  // the Teach tab just after its role arrives); gives up after `frames` frames.
  function bringIntoView(selector, frames = 300) {
    const target = document.querySelector(selector);
    if (target && target.getBoundingClientRect().height > 0) target.scrollIntoView({ block: "start" });
    else if (frames > 0) requestAnimationFrame(() => bringIntoView(selector, frames - 1));
  }

  // Select the Teach tab (Gradio names a tab's button after the tab's elem_id) once its button is
  // drawn; gives up after `frames` frames.
  function openTeachTab(frames = 300) {
    const button = document.querySelector("#teach-tab-button");
    if (!button) { if (frames > 0) requestAnimationFrame(() => openTeachTab(frames - 1)); return; }
    if (button.getAttribute("aria-selected") !== "true") button.click();
  }

  // role: "teacher", "student", "own" (no class), "over" (a student's class its teacher ended), or ""
  function show(role) {
    const student = role === "student" || role === "over";
    document.body.classList.toggle("student-view", student);
    document.body.classList.toggle("class-over", role === "over");
    if (role !== shown && student) openTeachTab();
    if (role !== shown && IN_VIEW[role]) bringIntoView(IN_VIEW[role]);
    shown = role;
  }

  ns.classView = { show };
})(window.mnistDemo = window.mnistDemo || {});
