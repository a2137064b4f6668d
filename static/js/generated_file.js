// Polls a background file's progress and shows the download link when it is ready.
(function () {
  "use strict";
  var box = document.getElementById("generated-file");
  if (!box) { return; }
  var statusUrl = box.dataset.statusUrl;
  var bar = document.getElementById("generated-progress");
  var label = document.getElementById("generated-status");
  var link = document.getElementById("generated-download");
  var error = document.getElementById("generated-error");
  var retry = document.getElementById("generated-retry");

  function poll() {
    fetch(statusUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        bar.value = data.percent;
        bar.textContent = data.percent + "%";
        label.textContent = data.status_label + (data.total ? " (" + data.done + "/" + data.total + ")" : "");
        if (data.status === "done") {
          link.classList.remove("d-none");
          link.focus();
        } else if (data.status === "failed") {
          error.textContent = data.error;
          error.classList.remove("d-none");
          if (data.retry && retry) { retry.classList.remove("d-none"); }
        } else {
          window.setTimeout(poll, 1000);
        }
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }
  if (box.querySelector("#generated-download.d-none") && error.classList.contains("d-none")) {
    window.setTimeout(poll, 500);
  }
})();
