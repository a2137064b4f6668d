// The phone attendance page: every tap is saved at once (one request per trainee), so nothing
// is lost if the phone sleeps. Without JavaScript the form is sent whole by its button.
(function () {
  "use strict";
  var form = document.getElementById("attendance-form");
  if (!form) { return; }
  var counts = document.getElementById("attendance-counts");
  var token = form.querySelector("input[name=csrfmiddlewaretoken]").value;

  function rowOf(element) { return element.closest(".attendance-row"); }
  function chosen(row) { return row.querySelector("input[type=radio]:checked"); }
  function reasonInput(row) { return row.querySelector(".attendance-reason input"); }

  function showReason(row) {
    var radio = chosen(row);
    var box = row.querySelector(".attendance-reason");
    box.classList.toggle("d-none", !(radio && radio.value === "excused"));
  }

  function say(row, text, failed) {
    var state = row.querySelector(".attendance-state");
    state.textContent = text;
    state.classList.toggle("text-danger", !!failed);
    state.classList.toggle("text-success", !failed && text === form.dataset.saved);
  }

  function showCounts(data) {
    if (!counts || !data) { return; }
    counts.textContent = counts.dataset.template.replace(/\{(\w+)\}/g, function (_match, key) {
      return data[key] === undefined ? "" : String(data[key]);
    });
  }

  function save(row) {
    var radio = chosen(row);
    if (!radio) { return; }
    var reason = reasonInput(row);
    if (radio.value === "excused" && !reason.value.trim()) {
      say(row, form.dataset.needReason, false);
      reason.focus();
      return;
    }
    var body = new FormData();
    body.append("csrfmiddlewaretoken", token);
    body.append(radio.name, radio.value);
    body.append(reason.name, reason.value);
    say(row, form.dataset.saving, false);
    row.setAttribute("aria-busy", "true");
    fetch(form.action || window.location.href, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { Accept: "application/json", "X-CSRFToken": token }
    })
      .then(function (response) {
        return response.json().then(function (data) { return { ok: response.ok, data: data }; });
      })
      .then(function (result) {
        row.removeAttribute("aria-busy");
        if (result.ok && result.data.ok) {
          say(row, form.dataset.saved, false);
          showCounts(result.data.counts);
        } else {
          say(row, result.data.error || form.dataset.failed, true);
        }
      })
      .catch(function () {
        row.removeAttribute("aria-busy");
        say(row, form.dataset.failed, true);
      });
  }

  Array.prototype.forEach.call(form.querySelectorAll(".attendance-row"), function (row) {
    showReason(row);
    row.addEventListener("change", function (event) {
      if (event.target.type === "radio") {
        showReason(row);
        save(row);
      } else if (event.target === reasonInput(row)) {
        var radio = chosen(row);
        if (radio && radio.value === "excused") { save(row); }
      }
    });
  });
})();
