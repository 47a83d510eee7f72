// The privacy center's form, enhanced: only the part of the chosen request is shown.
// Without this script every part stays visible and the form works the same.
"use strict";
(function () {
  var form = document.querySelector("form.request");
  if (!form) { return; }
  var parts = form.querySelectorAll("fieldset[data-for]");
  function show() {
    var chosen = form.querySelector("input[name=type]:checked");
    var kind = chosen ? chosen.value : "";
    for (var i = 0; i < parts.length; i++) {
      parts[i].hidden = parts[i].getAttribute("data-for") !== kind;
    }
  }
  form.addEventListener("change", function (event) {
    if (event.target && event.target.name === "type") { show(); }
  });
  show();
})();
