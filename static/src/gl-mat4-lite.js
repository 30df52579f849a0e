// plotly's 2-D code (src/lib/dom.js, matrix.js) uses two functions of gl-mat4, not its 30.

module.exports = { invert: require("../../node_modules/gl-mat4/invert.js"), multiply: require("../../node_modules/gl-mat4/multiply.js") };
