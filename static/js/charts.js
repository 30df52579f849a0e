/* Draws every chart on the page. Each <div data-chart="ID"> gets the figure in <script id="ID"
   type="application/json"> (written by Django's json_script). No inline script, no network. */
(function () {
  "use strict";

  function draw() {
    if (!window.Plotly) {
      return;
    }
    document.querySelectorAll("[data-chart]").forEach(function (element) {
      var source = document.getElementById(element.getAttribute("data-chart"));
      if (!source) {
        return;
      }
      var figure = JSON.parse(source.textContent);
      element.classList.add("chart-drawn");
      window.Plotly.newPlot(element, figure.data, figure.layout, {
        responsive: true,
        displaylogo: false,
        modeBarButtonsToRemove: ["lasso2d", "select2d", "toImage"]
      });
    });
  }

  // live-form.js draws the charts again after it has replaced the page's content.
  window.CCHCCharts = { draw: draw };

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
