// ReDoc for /redoc (api/routes/docs.py): an external file, because the CSP allows no inline script.
// The theme darkens ReDoc's light greys and reds to WCAG 2.1 AA contrast (4.5:1), as docs.css does for Swagger UI.
const THEME = {
  colors: {
    text: { secondary: "#555c66" },
    responses: {
      success: { tabTextColor: "#6fdc97" },
      error: { tabTextColor: "#ff8a80" },
      redirect: { tabTextColor: "#ffb74d" },
      info: { tabTextColor: "#90caf9" },
    },
  },
  typography: { code: { color: "#b3261e" } },
};

// Two gaps in ReDoc's markup that axe finds: code samples that scroll but cannot be reached by keyboard, and the
// format chooser in the samples without a name. Filled in whenever ReDoc renders (it renders again as one reads).
function fillAccessibilityGaps(root) {
  root.querySelectorAll("pre:not([tabindex])").forEach((pre) => pre.setAttribute("tabindex", "0"));
  root.querySelectorAll("select:not([aria-label])").forEach((select) => select.setAttribute("aria-label", "Format"));
}

window.addEventListener("DOMContentLoaded", function () {
  const root = document.getElementById("redoc");
  new MutationObserver(() => fillAccessibilityGaps(root)).observe(root, { childList: true, subtree: true });
  Redoc.init("/openapi.json", { hideDownloadButton: false, theme: THEME }, root);
});
