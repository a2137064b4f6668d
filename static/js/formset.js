// "Add a member": appends a copy of the formset's empty form (in a <template>) with the next
// index, and moves the focus into it. Without JavaScript the form still has empty rows.
(function () {
  "use strict";
  var button = document.getElementById("add-member");
  if (!button) { return; }
  var prefix = button.dataset.prefix;
  var total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
  var template = document.getElementById("member-template");
  var container = document.getElementById("member-forms");
  button.addEventListener("click", function () {
    var index = parseInt(total.value, 10);
    var html = template.innerHTML.replace(/__prefix__/g, String(index));
    var holder = document.createElement("div");
    holder.innerHTML = html;
    var card = holder.firstElementChild;
    container.appendChild(card);
    total.value = String(index + 1);
    var first = card.querySelector("input, select");
    if (first) { first.focus(); }
  });
})();
