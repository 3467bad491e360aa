// A multi-select's "none of these" option excludes the others: ticking it clears them, ticking
// another clears it. The server refuses the combination anyway; this only saves a round trip.
document.querySelectorAll("[data-exclusive-group]").forEach(function (group) {
  var noneValue = group.getAttribute("data-exclusive-group");
  if (!noneValue) return;
  group.addEventListener("change", function (event) {
    var box = event.target;
    if (!box.matches('input[type="checkbox"]') || !box.checked) return;
    group.querySelectorAll('input[type="checkbox"]').forEach(function (other) {
      if (other === box) return;
      if (box.value === noneValue || other.value === noneValue) other.checked = false;
    });
  });
});
