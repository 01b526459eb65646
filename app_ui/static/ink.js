// Strokes inked on a 2D canvas: as the pad shows them (its brush), and as the network is given them
// (a round pen fitted to the digit's size, mnist_model/pen.py's fitted_radius). Pure functions.
(function (ns) {
  "use strict";

  // The radius of a pen fitted to a digit: pen_share of its strokes' longer side (the bounding box of
  // their points, in pad pixels), at least min_radius.
  function fittedRadius(strokes, config) {
    let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
    for (const stroke of strokes) {
      for (const [x, y] of stroke) {
        if (x < minX) minX = x;
        if (x > maxX) maxX = x;
        if (y < minY) minY = y;
        if (y > maxY) maxY = y;
      }
    }
    const extent = Math.max(maxX - minX, maxY - minY);
    return Math.max(config.min_radius, config.pen_share * (Number.isFinite(extent) ? extent : 0));
  }

  // Draw `strokes` on a 2D context whose units are pad pixels: round pen of `radius`.
  function strokes(ctx, list, radius, colour) {
    ctx.lineCap = "round";
    ctx.lineJoin = "round";
    ctx.lineWidth = 2 * radius;
    ctx.strokeStyle = ctx.fillStyle = colour;
    for (const stroke of list) {
      if (stroke.length === 1) {
        ctx.beginPath();
        ctx.arc(stroke[0][0], stroke[0][1], radius, 0, 2 * Math.PI);
        ctx.fill();
        continue;
      }
      ctx.beginPath();
      ctx.moveTo(stroke[0][0], stroke[0][1]);
      for (let i = 1; i < stroke.length; i++) ctx.lineTo(stroke[i][0], stroke[i][1]);
      ctx.stroke();
    }
  }

  ns.ink = { fittedRadius, strokes };
})(window.mnistDemo = window.mnistDemo || {});
