// What plotly's colour module (plotly.js/src/components/color) takes from culori, from culori's
// tree-shakable build: the whole library is 64 KB of the bundle, these few functions a fraction.
import {
  converter,
  formatHex,
  formatRgb,
  modeHsl,
  modeLrgb,
  modeRgb,
  useMode,
  wcagContrast,
  wcagLuminance
} from "../../node_modules/culori/src/index-fn.js";

useMode(modeRgb);
useMode(modeHsl);
useMode(modeLrgb); // wcagLuminance and wcagContrast convert through linear RGB

export { converter, formatHex, formatRgb, wcagContrast, wcagLuminance };
