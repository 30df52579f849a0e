/* Vietnamese text compared as people type it: the browser's copy of fold() and matches() in
   indicators/domain/text.py (tests/domain/test_text.py runs both on the same cases).
   "Cần Giuộc", "CẦN GIUỘC", the decomposed (NFD) "Cần Giuộc" and "can giuoc" all fold to "can giuoc". */
(function (root) {
  "use strict";
  var MARKS = /[\u0300-\u036f]/g;

  function fold(text) {
    var bare = String(text || "").normalize("NFD").replace(MARKS, "");
    bare = bare.replace(/\u0111/g, "d").replace(/\u0110/g, "D");
    return bare.toLowerCase().split(/\s+/).filter(Boolean).join(" ");
  }

  /* Whether every word typed begins a word of `key` (a search key the server wrote, already folded). */
  function matches(query, key) {
    var words = String(key || "").split(" ");
    return fold(query).split(" ").filter(Boolean).every(function (typed) {
      return words.some(function (word) { return word.lastIndexOf(typed, 0) === 0; });
    });
  }

  var api = { fold: fold, matches: matches };
  if (typeof module === "object" && module.exports) {
    module.exports = api;  // node, for the tests
  } else {
    root.CCHCText = api;
  }
})(this);
