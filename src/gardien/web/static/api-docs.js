// Starts Swagger UI on /api/v1/docs (a file, not an inline script: the page keeps
// gardien's Content-Security-Policy).
"use strict";
(function () {
  var root = document.getElementById("swagger-ui");
  root.textContent = "";
  window.SwaggerUIBundle({
    url: root.getAttribute("data-openapi"),
    domNode: root,
    deepLinking: true,
    persistAuthorization: false,
  });
})();
