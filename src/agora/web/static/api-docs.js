// Starts Swagger UI on /api/v3/docs: a file of its own because the page's Content-Security-Policy allows no inline
// script. The OpenAPI document's URL comes from the page; validatorUrl null keeps Swagger from calling its
// online validator.
"use strict";

window.addEventListener("DOMContentLoaded", () => {
  const root = document.getElementById("swagger-ui");
  window.ui = window.SwaggerUIBundle({
    url: root.dataset.openapi,
    dom_id: "#swagger-ui",
    deepLinking: true,
    validatorUrl: null,
    presets: [window.SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
  });
});
