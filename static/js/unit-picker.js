/* The searchable unit picker. Each <select multiple data-unit-picker> (templates/includes/unit_select.html)
   becomes a search box with a chip per chosen unit, by tom-select (static/vendor, from npm).

   - Typing finds a unit by name with or without diacritics: "can giuoc", "CẦN GIUỘC" and the
     decomposed form all find Cần Giuộc. Each option carries the server's folded search key
     (data-search, indicators/domain/text.py); what is typed is folded here the same way (fold.js).
   - The keyboard works throughout: type, arrows, Enter to choose, Backspace to drop the last chip,
     and each chip has a real button (Tab reaches it, Enter or Space removes that unit).
   - Without this script, or without tom-select, the select stays the browser's own multi-select:
     the form submits ?units=A&units=B either way. */
(function () {
  "use strict";

  function removeButtons(select) {
    var label = select.getAttribute("data-remove-label") || "Remove";
    return {
      label: "\u00d7",
      title: label,
      className: "remove",
      html: function (data) {
        var button = document.createElement("button");
        button.type = "button";
        button.className = data.className;
        button.title = data.title;
        button.textContent = data.label;
        return button;
      }
    };
  }

  function enhance(select) {
    var text = window.CCHCText;
    var picker = new window.TomSelect(select, {
      plugins: { remove_button: removeButtons(select) },
      maxOptions: null,
      // The list is filtered at once: with the default 300 ms, Enter typed right after a name chose
      // whatever came first in the unfiltered list.
      refreshThrottle: 0,
      hidePlaceholder: false,
      closeAfterSelect: true, // the list would cover the controls below it; typing opens it again
      lockOptgroupOrder: true,
      searchField: ["search"],
      // One rule for every browser and the server: every word typed begins a word of the name.
      score: function (query) {
        return function (item) {
          return text.matches(query, item.search || text.fold(item.text)) ? 1 : 0;
        };
      },
      render: {
        no_results: function () {
          var empty = document.createElement("div");
          empty.className = "no-results";
          empty.textContent = select.getAttribute("data-no-results") || "";
          return empty;
        }
      },
      onItemAdd: function () {
        this.setTextboxValue("");
        this.refreshOptions(false);
      }
    });
    // Name each chip's button after its unit, for screen readers: "Bỏ chọn Xã Cần Giuộc".
    function nameButtons() {
      picker.control.querySelectorAll(".item").forEach(function (item) {
        var button = item.querySelector("button.remove");
        var option = picker.options[item.getAttribute("data-value")];
        if (button && option) {
          button.setAttribute("aria-label", button.title + " " + option.text);
        }
      });
    }
    picker.on("item_add", nameButtons);
    nameButtons();
    // The <select> stays in the form (it is what submits ?units=) but is no longer what people use:
    // tom-select moved its label to the search box, so it leaves the accessibility tree too.
    select.setAttribute("aria-hidden", "true");
    var box = select.closest("[data-unit-picker-box]");
    if (box) {
      box.classList.add("is-enhanced");
    }
    return picker;
  }

  function start() {
    if (!window.TomSelect || !window.CCHCText) {
      return; // the plain multi-select stays
    }
    document.querySelectorAll("select[data-unit-picker]").forEach(enhance);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
