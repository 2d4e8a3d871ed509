// Progressive enhancements only; every page works without this file. Data is never evaluated or
// inserted as HTML here: the server renders (and escapes) all of it.
(function () {
  "use strict";
  var sort = document.getElementById("sort");
  var role = document.getElementById("role");
  var form = document.getElementById("search-form");
  [sort, role].forEach(function (el) {
    if (el && form) {
      el.addEventListener("change", function () { form.submit(); });
    }
  });
  // Compact table view of results: one line per hit; the choice is remembered in this browser.
  var results = document.getElementById("results");
  var toggle = document.getElementById("compact-toggle");
  if (results && toggle) {
    var setCompact = function (on) {
      results.classList.toggle("compact", on);
      toggle.textContent = on ? "Detailed list" : "Compact table";
      try { window.localStorage.setItem("explorer.compact", on ? "1" : "0"); } catch (e) { /* private mode */ }
    };
    var saved = null;
    try { saved = window.localStorage.getItem("explorer.compact"); } catch (e) { saved = null; }
    setCompact(saved === "1");
    toggle.hidden = false;
    toggle.addEventListener("click", function () { setCompact(!results.classList.contains("compact")); });
  }
  var copy = document.getElementById("copy-link");
  var link = document.getElementById("share-link");
  if (copy && link) {
    copy.addEventListener("click", function () {
      var url = link.href;
      if (navigator.clipboard) {
        navigator.clipboard.writeText(url).then(function () { copy.textContent = "Copied"; },
          function () { copy.textContent = "Copy failed"; });
      }
    });
  }
})();
