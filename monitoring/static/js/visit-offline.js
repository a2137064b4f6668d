// The visit pages with no signal: registers their service worker (/monitoring/sw.js, see
// js/visit-sw.js), asks it to keep the officer's visits of the coming days whenever the page is
// opened with a signal, and shows the visits typed on this phone that wait to be sent.
(function () {
  "use strict";
  var root = document.getElementById("visit-offline");
  if (!root) { return; }
  var state = document.getElementById("visit-offline-state");
  var waiting = document.getElementById("visit-waiting");
  var count = document.getElementById("visit-waiting-count");
  var list = document.getElementById("visit-waiting-list");
  var prefix = "visit-draft:" + root.dataset.user + ":";

  // --- visits waiting on this phone (the drafts js/visit-form.js keeps) ----------------------

  function queuedDrafts() {
    var found = [];
    for (var index = 0; index < window.localStorage.length; index += 1) {
      var key = window.localStorage.key(index);
      if (!key || key.indexOf(prefix) !== 0) { continue; }
      var draft = null;
      try { draft = JSON.parse(window.localStorage.getItem(key)); } catch (error) { draft = null; }
      if (!draft || !draft.queued) { continue; }
      var parts = key.slice(prefix.length).split(":");
      if (!/^\d+$/.test(parts[0] || "") || !/^\d+$/.test(parts[1] || "0")) { continue; }
      var address = root.dataset.formUrl.replace(/\/0\/$/, "/" + parts[0] + "/");
      if (parts[1] && parts[1] !== "0") { address += "?planned=" + parts[1]; }
      found.push({ url: address, label: draft.household || address });
    }
    return found;
  }

  function showWaiting() {
    var drafts = queuedDrafts();
    waiting.classList.toggle("d-none", !drafts.length);
    count.textContent = drafts.length ? root.dataset.msgWaiting.replace("{n}", String(drafts.length)) : "";
    list.textContent = "";
    drafts.forEach(function (draft) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = draft.url;
      link.textContent = draft.label;
      item.appendChild(link);
      list.appendChild(item);
    });
  }

  showWaiting();
  document.addEventListener("visit-drafts-changed", showWaiting);
  window.addEventListener("storage", showWaiting);

  // --- the service worker ------------------------------------------------------------------

  if (!("serviceWorker" in navigator) || !window.caches) { return; }
  var container = navigator.serviceWorker;
  container.addEventListener("message", function (event) {
    var data = event.data || {};
    if (data.type !== "kept") { return; }
    root.dataset.offlineReady = data.ok ? "yes" : "no";
    if (data.ok) { state.textContent = root.dataset.msgReady; }
  });
  container.startMessages();

  function askToKeep(registration) {
    var worker = registration.active;
    if (!worker || !navigator.onLine) { return; }
    worker.postMessage({ type: "keep", list: root.dataset.list, page: window.location.href });
  }

  container.register(root.dataset.worker, { scope: root.dataset.scope }).then(function () {
    return container.ready;
  }).then(function (registration) {
    askToKeep(registration);
    window.addEventListener("online", function () { askToKeep(registration); });
  }).catch(function () {
    // No worker (a private window, a browser without them): the page works with a signal.
    root.dataset.offlineReady = "no";
  });
}());
