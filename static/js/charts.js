/* Makes the charts interactive. Each <div data-chart="ID"> holds a picture of its chart drawn on the
   server (presentation/chart_svg.py, with its legend and notes), and the Plotly figure it was drawn
   from in <script id="ID" type="application/json"> (Django's json_script). No inline script, no network.

   plotly.js (static/vendor/plotly.min.js, named by this script's data-plotly) is most of a page's
   weight, and parsing and drawing it blocks a phone's main thread for seconds: it is fetched only
   when the reader reaches for a chart (the mouse on it, a tap, the keyboard's focus, or its
   "Interactive chart" button). That chart is then drawn by plotly in place of its picture, and the
   page's other charts as they come near the screen. Without JavaScript the picture is the chart. */
(function () {
  "use strict";

  var script = document.currentScript;
  var plotlySrc = script ? script.getAttribute("data-plotly") : null;
  var waiting = null;
  var observer = null;
  var interactive = false; // the reader has asked for plotly on this page
  // A reach for a chart: the mouse over it, a tap or a click on it, the keyboard's focus in it. Not a
  // touch that begins a swipe: on a phone a chart fills the screen, and scrolling past it must not
  // cost plotly's seconds of parsing.
  var REACH = ["pointerenter", "pointerdown", "click", "focusin"];

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
      var picture = element.querySelector(".chart-picture");
      var hadFocus = picture && picture.contains(document.activeElement);
      if (picture) {
        // The box keeps the picture's height while plotly takes its place: nothing below it jumps.
        element.style.minHeight = element.offsetHeight + "px";
        picture.remove();
      }
      var figure = JSON.parse(source.textContent);
      window.Plotly.newPlot(element, figure.data, figure.layout, {
        responsive: true,
        displaylogo: false,
        modeBarButtonsToRemove: ["lasso2d", "select2d", "toImage"]
      });
      if (hadFocus) {
        element.setAttribute("tabindex", "-1");
        element.focus(); // the focused button went with the picture: keep the reader's place
      }
    });
  }

  function observeAll(charts) {
    if (!("IntersectionObserver" in window)) {
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

  function upgrade(element) {
    if (!interactive) {
      interactive = true;
      document.documentElement.classList.add("charts-interactive");
    }
    drawOne(element);
    observeAll(document.querySelectorAll("[data-chart]"));
  }

  function offer(element) {
    if (element.hasAttribute("data-chart-offered")) {
      return;
    }
    element.setAttribute("data-chart-offered", "");
    var reach = function (event) {
      if (event && event.type !== "click" && event.pointerType === "touch") {
        return; // wait for the tap's click
      }
      REACH.forEach(function (name) {
        element.removeEventListener(name, reach);
      });
      upgrade(element);
    };
    REACH.forEach(function (name) {
      element.addEventListener(name, reach, { passive: true });
    });
    var button = element.querySelector(".chart-interactive");
    if (button) {
      button.hidden = false; // its click reaches the chart like any other
    }
  }

  function draw() {
    var charts = document.querySelectorAll("[data-chart]");
    if (interactive) {
      // live-form.js replaced the content of a page whose charts the reader made interactive.
      if (window.Plotly) {
        charts.forEach(drawOne);
      } else {
        observeAll(charts);
      }
      return;
    }
    charts.forEach(offer);
  }

  // live-form.js draws the charts again after it has replaced the page's content.
  window.CCHCCharts = { draw: draw };

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
