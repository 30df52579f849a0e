/* A name filter for a long table (the scorecard at 168 rows): <input data-table-filter="TABLE_ID">
   hides the rows whose first cell does not match what is typed, with or without diacritics, by the
   same rule as the unit picker (fold.js). The input is hidden until this script shows it: without
   JavaScript the whole table is there, in its scrolling box. */
(function () {
  "use strict";

  function start() {
    if (!window.CCHCText) {
      return;
    }
    document.querySelectorAll("[data-table-filter]").forEach(function (input) {
      var table = document.getElementById(input.getAttribute("data-table-filter"));
      var status = document.getElementById(input.getAttribute("aria-describedby"));
      if (!table) {
        return;
      }
      var rows = Array.prototype.slice.call(table.tBodies[0].rows).map(function (row) {
        return { row: row, key: window.CCHCText.fold(row.cells[0].textContent) };
      });
      var box = input.closest("[hidden]");
      if (box) {
        box.hidden = false;
      }
      input.addEventListener("input", function () {
        var shown = 0;
        rows.forEach(function (one) {
          var match = window.CCHCText.matches(input.value, one.key);
          one.row.hidden = !match;
          shown += match ? 1 : 0;
        });
        if (status) {
          status.textContent = (status.getAttribute("data-template") || "{shown}/{total}")
            .replace("{shown}", shown)
            .replace("{total}", rows.length);
        }
      });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
