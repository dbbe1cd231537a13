// Swagger UI for /docs (api/routes/docs.py): an external file, because the CSP allows no inline script.
window.addEventListener("DOMContentLoaded", function () {
  window.ui = SwaggerUIBundle({
    url: "/openapi.json",
    dom_id: "#swagger-ui",
    layout: "BaseLayout",
    deepLinking: false,  // its link inside each operation's button is a control nested in a control (axe)
    presets: [SwaggerUIBundle.presets.apis],
  });
});
