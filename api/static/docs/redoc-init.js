// ReDoc for /redoc (api/routes/docs.py): an external file, because the CSP allows no inline script.
window.addEventListener("DOMContentLoaded", function () {
  Redoc.init("/openapi.json", { hideDownloadButton: false }, document.getElementById("redoc"));
});
