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

  // Every tap is a request with its own key, queued on the phone (localStorage) and sent in
  // order: with no signal the taps wait, the page says how many, and they go when the signal
  // returns (or the page is opened again). The server records each key once, so a tap sent
  // twice (a retry after a lost answer) is saved once.
  var queueName = "attendance-queue:" + window.location.pathname;
  var waiting = document.getElementById("attendance-queue");
  var sending = false;

  function readQueue() {
    try { return JSON.parse(window.localStorage.getItem(queueName) || "[]"); } catch (e) { return []; }
  }
  function writeQueue(queue) {
    if (queue.length) { window.localStorage.setItem(queueName, JSON.stringify(queue)); }
    else { window.localStorage.removeItem(queueName); }
    showWaiting(queue);
  }
  function showWaiting(queue) {
    if (!waiting) { return; }
    waiting.textContent = queue.length ? waiting.dataset.template.replace("{n}", String(queue.length)) : "";
    waiting.classList.toggle("d-none", !queue.length);
  }
  function newKey() {
    if (window.crypto && window.crypto.randomUUID) { return window.crypto.randomUUID(); }
    return Date.now().toString(36) + "-" + Math.random().toString(36).slice(2, 14);
  }
  function rowFor(trainee) { return form.querySelector(".attendance-row[data-trainee='" + trainee + "']"); }

  function flush() {
    if (sending) { return; }
    var queue = readQueue();
    if (!queue.length) { return; }
    var tap = queue[0];
    var row = rowFor(tap.trainee);
    var body = new FormData();
    body.append("csrfmiddlewaretoken", token);
    body.append("form_key", tap.key);
    body.append(tap.name, tap.value);
    body.append(tap.reasonName, tap.reason);
    sending = true;
    if (row) { row.setAttribute("aria-busy", "true"); say(row, form.dataset.saving, false); }
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
        sending = false;
        writeQueue(readQueue().filter(function (item) { return item.key !== tap.key; }));
        if (row) {
          row.removeAttribute("aria-busy");
          if (result.ok && result.data.ok) { say(row, form.dataset.saved, false); }
          else { say(row, result.data.error || form.dataset.failed, true); }
        }
        if (result.data && result.data.counts) { showCounts(result.data.counts); }
        flush();
      })
      .catch(function () {
        // No signal: the tap stays in the queue until the connection returns.
        sending = false;
        if (row) { row.removeAttribute("aria-busy"); say(row, form.dataset.waiting, false); }
        showWaiting(readQueue());
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
    var queue = readQueue();
    queue.push({
      key: newKey(), trainee: row.dataset.trainee, name: radio.name, value: radio.value,
      reasonName: reason.name, reason: reason.value
    });
    writeQueue(queue);
    say(row, form.dataset.waiting, false);
    flush();
  }

  // Taps left from before (the page was closed with no signal): shown as chosen, then sent.
  readQueue().forEach(function (tap) {
    var row = rowFor(tap.trainee);
    if (!row) { return; }
    var radio = row.querySelector("input[type=radio][value='" + tap.value + "']");
    if (radio) { radio.checked = true; }
    reasonInput(row).value = tap.reason;
    say(row, form.dataset.waiting, false);
  });
  showWaiting(readQueue());
  window.addEventListener("online", flush);
  flush();

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
