/* A <form data-live-form> updates its page in place: when a choice changes (a unit picked or
   dropped, another year), the page at the form's new URL is fetched, the address bar shows that
   URL (a bookmark or a shared link gives the same page), and everything in <main> but the form is
   replaced, then the charts are drawn again (charts.js). The form itself stays, so focus and what
   was typed stay too. Without JavaScript the form's button submits it as a normal GET. */
(function () {
  "use strict";

  // Repeated names are sent as one comma-separated list, as the site's own links write them.
  var JOINED = { units: true, indicators: true };

  function queryOf(form) {
    var values = {};
    var order = [];
    new FormData(form).forEach(function (value, name) {
      if (value === "") {
        return;
      }
      if (!values[name]) {
        values[name] = [];
        order.push(name);
      }
      values[name].push(value);
    });
    var parts = [];
    order.forEach(function (name) {
      var list = values[name].map(encodeURIComponent);
      if (JOINED[name]) {
        parts.push(encodeURIComponent(name) + "=" + list.join(","));
      } else {
        list.forEach(function (value) {
          parts.push(encodeURIComponent(name) + "=" + value);
        });
      }
    });
    return parts.join("&");
  }

  function replaceMain(form, doc) {
    var main = document.getElementById("main");
    var fresh = doc.getElementById("main");
    var freshForm = fresh && form.id ? doc.getElementById(form.id) : null;
    if (!main || !fresh || !freshForm || !main.contains(form)) {
      return false;
    }
    var anchor = form;
    while (anchor.parentNode !== main) {
      anchor = anchor.parentNode;
    }
    var freshAnchor = freshForm;
    while (freshAnchor.parentNode !== fresh) {
      freshAnchor = freshAnchor.parentNode;
    }
    Array.prototype.slice.call(main.childNodes).forEach(function (node) {
      if (node !== anchor) {
        main.removeChild(node);
      }
    });
    var before = true;
    Array.prototype.slice.call(fresh.childNodes).forEach(function (node) {
      if (node === freshAnchor) {
        before = false;
        return;
      }
      var copy = document.importNode(node, true);
      if (before) {
        main.insertBefore(copy, anchor);
      } else {
        main.appendChild(copy);
      }
    });
    return true;
  }

  function replaceChrome(doc) {
    document.title = doc.title;
    // The language links carry the page's address; the demo banner its "hide demo data" link.
    var links = document.querySelector(".lang-switch");
    var freshLinks = doc.querySelector(".lang-switch");
    if (links && freshLinks) {
      links.innerHTML = freshLinks.innerHTML;
    }
    var banner = document.querySelector(".demo-banner");
    var freshBanner = doc.querySelector(".demo-banner");
    if (banner && freshBanner) {
      banner.replaceWith(document.importNode(freshBanner, true));
    } else if (banner) {
      banner.remove();
    } else if (freshBanner) {
      document.getElementById("main").before(document.importNode(freshBanner, true));
    }
  }

  // The folded choices' summary says how many of each are chosen: "Chọn đơn vị và năm (4)".
  function countChoices(form) {
    form.querySelectorAll("[data-choice-count]").forEach(function (count) {
      var name = count.getAttribute("data-choice-count");
      var chosen = 0;
      new FormData(form).forEach(function (value, key) {
        if (key === name && value !== "") {
          chosen += 1;
        }
      });
      count.textContent = String(chosen);
    });
  }

  function live(form) {
    var status = form.querySelector("[data-live-status]");
    var pending = null;

    function say(name) {
      if (status) {
        status.textContent = status.getAttribute(name) || "";
      }
    }

    function update() {
      countChoices(form);
      var url = window.location.pathname + "?" + queryOf(form);
      if (pending) {
        pending.abort();
      }
      pending = new AbortController();
      form.setAttribute("aria-busy", "true");
      say("data-busy");
      window.history.pushState({ live: true }, "", url);
      fetch(url, { signal: pending.signal, headers: { Accept: "text/html" }, credentials: "same-origin" })
        .then(function (response) {
          if (!response.ok) {
            throw new Error(String(response.status));
          }
          return response.text();
        })
        .then(function (html) {
          var doc = new DOMParser().parseFromString(html, "text/html");
          if (!replaceMain(form, doc)) {
            window.location.assign(url);
            return;
          }
          replaceChrome(doc);
          if (window.CCHCCharts) {
            window.CCHCCharts.draw();
          }
          form.removeAttribute("aria-busy");
          say("data-done");
          document.dispatchEvent(new CustomEvent("cchc:updated", { detail: { url: url } }));
        })
        .catch(function (error) {
          if (error && error.name === "AbortError") {
            return;
          }
          // A 400 (say, a year range the wrong way round) is shown as the server words it.
          window.location.assign(url);
        });
    }

    form.addEventListener("change", function (event) {
      // tom-select's search box is a text input inside the form; what is typed there is not a choice.
      if (event.target.matches("input[type=text], input[type=search], input:not([type])")) {
        return;
      }
      update();
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      update();
    });
  }

  function start() {
    if (!window.fetch || !window.DOMParser || !window.history.pushState) {
      return;
    }
    document.querySelectorAll("form[data-live-form]").forEach(live);
    // Back and forward: the page for that address, as the server makes it.
    window.addEventListener("popstate", function () {
      window.location.reload();
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
