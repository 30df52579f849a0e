// The plotly.js the site ships (static/vendor/plotly.min.js, bundled by `make static` with esbuild):
// plotly's core (src/core.js) less what the chart builders never use (indicators/presentation/
// charts.py, distribution.py: scatter and bar traces, shapes, annotations, error bars, the legend,
// hover and the mode bar). Without range sliders, menus, images and 3-D annotations it is about
// 100 KB lighter than lib/core; the basic bundle it replaces was 87-89% of a first visit.

var Registry = require("plotly.js/src/registry");
var plotApi = require("plotly.js/src/plot_api");

require("plotly.js/build/plotcss");

exports.version = require("plotly.js/src/version").version;
exports.register = Registry.register;

Object.keys(plotApi).forEach(function (name) {
  // As src/core.js: a name starting with _ is private, but registered for plotly's own use.
  if (name.charAt(0) !== "_") {
    exports[name] = plotApi[name];
  }
  Registry.register({ moduleType: "apiMethod", name: name, fn: plotApi[name] });
});

Registry.register(require("plotly.js/src/traces/scatter"));
Registry.register([
  require("plotly.js/src/components/annotations"),
  require("plotly.js/src/components/shapes"),
  require("plotly.js/src/components/errorbars"),
  require("plotly.js/src/components/legend"), // after shapes: the legend's defaults read them
  require("plotly.js/src/components/fx"), // after the legend: unified hover reads its defaults
  require("plotly.js/src/components/modebar")
]);
Registry.register([require("plotly.js/src/locale-en"), require("plotly.js/src/locale-en-us")]);
Registry.register(require("plotly.js/lib/bar"));
