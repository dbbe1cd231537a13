// Progressive enhancement only: the wizard and the company pages work without this file.
// Step 3 of the wizard: say how many CPV areas (branscher) are ticked, under their own box, as the company ticks them (announced politely).
document.addEventListener("DOMContentLoaded", function () {
  var status = document.querySelector("[data-count-checked]");
  if (!status) return;
  var name = status.getAttribute("data-count-checked");
  var form = status.closest("form");
  function update() {
    var count = form.querySelectorAll("input[name='" + name + "']:checked").length;
    status.textContent = count === 1 ? "1 bransch vald." : count + " branscher valda.";
  }
  form.addEventListener("change", update);
  update();
});
