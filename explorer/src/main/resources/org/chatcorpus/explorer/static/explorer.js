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
