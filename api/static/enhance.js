// Progressive enhancement only: every page works without this file.
// Keeps search URLs short and shareable by leaving empty fields out of the GET query.
document.addEventListener("submit", function (event) {
  var form = event.target;
  if (!(form instanceof HTMLFormElement) || form.method.toLowerCase() !== "get") return;
  Array.prototype.forEach.call(form.elements, function (field) {
    if (field.name && (field.type === "search" || field.type === "number") && field.value === "") {
      field.disabled = true;
      window.setTimeout(function () { field.disabled = false; }, 0);
    }
  });
});
