/* Draws every chart on the page. Each <div data-chart="ID"> gets the figure in <script id="ID"
   type="application/json"> (written by Django's json_script). No inline script, no network.

   plotly.js (static/vendor/plotly.min.js, named by this script's data-plotly) is most of a page's
   weight and its drawing blocks the main thread: it is fetched when the first chart comes near the
   screen, and each chart is drawn when it does. A page read without scrolling to a chart never
   downloads it; the table under each chart carries the same figures. */
(function () {
  "use strict";

  var script = document.currentScript;
  var plotlySrc = script ? script.getAttribute("data-plotly") : null;
  var waiting = null;
  var observer = null;

  function withPlotly(callback) {
    if (window.Plotly) {
      callback();
      return;
    }
    if (!plotlySrc) {
      return;
    }
    if (!waiting) {
      waiting = [];
      var tag = document.createElement("script");
      tag.src = plotlySrc;
      tag.onload = function () {
        // One task per chart, not one long task for all: the page stays responsive meanwhile.
        waiting.splice(0).forEach(function (next) {
          window.setTimeout(next, 0);
        });
      };
      document.head.appendChild(tag);
    }
    waiting.push(callback);
  }

  function drawOne(element) {
    var source = document.getElementById(element.getAttribute("data-chart"));
    if (!source || element.classList.contains("chart-drawn")) {
      return;
    }
    element.classList.add("chart-drawn");
    withPlotly(function () {
      if (!element.isConnected) {
        return; // replaced by live-form.js meanwhile
      }
      var figure = JSON.parse(source.textContent);
      window.Plotly.newPlot(element, figure.data, figure.layout, {
        responsive: true,
        displaylogo: false,
        modeBarButtonsToRemove: ["lasso2d", "select2d", "toImage"]
      });
    });
  }

  function draw() {
    var charts = document.querySelectorAll("[data-chart]");
    // Once plotly is here (a reader has reached a chart; live-form.js redraws after a change), the
    // charts are drawn at once, as they were before the change.
    if (window.Plotly || !("IntersectionObserver" in window)) {
      charts.forEach(drawOne);
      return;
    }
    if (!observer) {
      // A screen's height ahead, so that a chart is usually drawn before it scrolls into view.
      observer = new IntersectionObserver(
        function (entries) {
          entries.forEach(function (entry) {
            if (entry.isIntersecting) {
              observer.unobserve(entry.target);
              drawOne(entry.target);
            }
          });
        },
        { rootMargin: "100% 0px" }
      );
    }
    charts.forEach(function (element) {
      if (!element.classList.contains("chart-drawn")) {
        observer.observe(element);
      }
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
