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
      // Every body (the scorecard has one per ranking group); a group's heading row is not a unit.
      var rows = [];
      var groups = [];
      Array.prototype.forEach.call(table.tBodies, function (body) {
        var heading = body.querySelector("tr.group-row");
        var members = [];
        Array.prototype.forEach.call(body.rows, function (row) {
          if (row !== heading) {
            var one = { row: row, key: window.CCHCText.fold(row.cells[0].textContent) };
            rows.push(one);
            members.push(one);
          }
        });
        if (heading) {
          groups.push({ heading: heading, members: members });
        }
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
        groups.forEach(function (group) {
          group.heading.hidden = group.members.every(function (one) { return one.row.hidden; });
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
