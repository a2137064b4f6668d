// The visit form on the monitoring officer's phone: nothing typed is lost.
//
// - Every change is kept at once in a draft on the phone (localStorage; photos in IndexedDB),
//   so a reload, a closed tab or a lost connection loses nothing; opening the form again
//   restores it.
// - The form is sent with fetch. With no connection the visit waits on the phone and is sent
//   as soon as the connection is back. The draft is removed only when the server has the visit.
// - The form carries a key made once for the draft: sending it twice (a double tap, a retry
//   after a timeout) makes one visit, the server answers with the one it already has.
// - A service worker (js/visit-sw.js, registered by js/visit-offline.js) keeps this page on the
//   phone: with no signal it opens from there. A kept page is the same for every visit made
//   with it, so a new draft takes new keys of its own (and, opened with no signal, the
//   phone's date and time).
// Without JavaScript the form is an ordinary form (photos from the file input, no signature).
(function () {
  "use strict";
  var form = document.getElementById("visit-form");
  if (!form) { return; }
  var draftKey = form.dataset.draftKey;
  var statusBox = document.getElementById("visit-status");
  var draftState = document.getElementById("visit-draft-state");
  var submitButton = document.getElementById("visit-submit");
  var photoInput = document.getElementById("id_photos");
  var photoList = document.getElementById("visit-photo-list");
  var signatureField = form.querySelector("input[name=signature]");
  var canvas = document.getElementById("signature-pad");
  var photos = [];  // {id, name, type, blob}
  var sending = false;
  var queued = false;
  var dirty = false;  // a draft is kept from the first change on, never for an untouched form
  var done = false;
  var saveTimer = null;
  var MAX_SIDE = 1600;
  var SMALL_ENOUGH = 1024 * 1024;

  // --- messages ------------------------------------------------------------------------------

  function say(text, kind) {
    statusBox.textContent = text;
    statusBox.className = "alert alert-" + (kind || "info");
    statusBox.classList.toggle("d-none", !text);
  }

  function stamp() {
    var now = new Date();
    var minutes = String(now.getMinutes()).padStart(2, "0");
    draftState.textContent = form.dataset.msgSaved + " (" + now.getHours() + ":" + minutes + ")";
  }

  // --- the draft (localStorage) ----------------------------------------------------------------

  function fieldsOf() {
    var values = {};
    Array.prototype.forEach.call(form.elements, function (element) {
      if (!element.name || element.type === "file" || element.name === "csrfmiddlewaretoken") {
        return;
      }
      if (element.type === "radio") {
        if (element.checked) { values[element.name] = element.value; }
        else if (!(element.name in values)) { values[element.name] = null; }
      } else if (element.type === "checkbox") {
        values[element.name] = values[element.name] || [];
        if (element.checked) { values[element.name].push(element.value); }
      } else if (element.tagName !== "BUTTON") {
        values[element.name] = element.value;
      }
    });
    return values;
  }

  function readDraft() {
    try {
      return JSON.parse(window.localStorage.getItem(draftKey) || "null");
    } catch (error) {
      return null;
    }
  }

  function writeDraft() {
    if (done || !dirty) { return; }
    var draft = {
      fields: fieldsOf(), queued: queued, household: form.dataset.household,
      savedAt: new Date().toISOString()
    };
    try {
      window.localStorage.setItem(draftKey, JSON.stringify(draft));
      stamp();
    } catch (error) {
      draftState.textContent = "";
    }
    changed();
  }

  // The visit pages list the visits waiting on the phone (js/visit-offline.js).
  function changed() { document.dispatchEvent(new Event("visit-drafts-changed")); }

  // A new draft's own keys: the visit's (the service's key) and the form's (formkeys.once).
  function freshKeys() {
    if (!window.crypto || !window.crypto.randomUUID) { return; }
    form.querySelector("input[name=key]").value = window.crypto.randomUUID();
    var formKey = form.querySelector("input[name=form_key]");
    if (formKey) { formKey.value = window.crypto.randomUUID(); }
  }

  // A page opened with no signal came from the phone's cache, rendered earlier: the visit is
  // made now.
  function nowOnThePhone() {
    var now = new Date();
    var two = function (number) { return String(number).padStart(2, "0"); };
    var day = form.querySelector("input[name=visited_on]");
    var time = form.querySelector("input[name=visited_time]");
    if (day) { day.value = now.getFullYear() + "-" + two(now.getMonth() + 1) + "-" + two(now.getDate()); }
    if (time) { time.value = two(now.getHours()) + ":" + two(now.getMinutes()); }
  }

  function saveSoon() {
    dirty = true;
    window.clearTimeout(saveTimer);
    saveTimer = window.setTimeout(writeDraft, 250);
  }

  function restore(fields) {
    Array.prototype.forEach.call(form.elements, function (element) {
      if (!element.name || !(element.name in fields) || element.type === "file" ||
          element.name === "csrfmiddlewaretoken") {
        return;
      }
      var value = fields[element.name];
      if (element.type === "radio") {
        element.checked = value !== null && element.value === value;
      } else if (element.type === "checkbox") {
        element.checked = Array.isArray(value) && value.indexOf(element.value) !== -1;
      } else if (element.tagName !== "BUTTON" && value !== null && value !== undefined) {
        element.value = value;
      }
    });
  }

  // --- photos (IndexedDB, or memory when it is not available) ---------------------------------

  var database = null;

  function openDatabase() {
    return new Promise(function (resolve) {
      if (!window.indexedDB) { resolve(null); return; }
      var request;
      try {
        request = window.indexedDB.open("einclusion-visits", 1);
      } catch (error) {
        resolve(null);
        return;
      }
      request.onupgradeneeded = function () {
        var store = request.result.createObjectStore("photos", { keyPath: "id", autoIncrement: true });
        store.createIndex("draft", "draft");
      };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { resolve(null); };
    });
  }

  function store(mode) {
    return database.transaction("photos", mode).objectStore("photos");
  }

  function loadPhotos() {
    return new Promise(function (resolve) {
      if (!database) { resolve([]); return; }
      var request = store("readonly").index("draft").getAll(draftKey);
      request.onsuccess = function () { resolve(request.result || []); };
      request.onerror = function () { resolve([]); };
    });
  }

  // A photo taken while the database is still opening waits for it (and for the draft's
  // photos to be read back), so it is neither kept in memory only nor overwritten by them.
  var databaseReady = Promise.resolve();

  function keepPhoto(photo) {
    return databaseReady.then(function () {
      return new Promise(function (resolve) {
        if (!database) { photo.id = "m" + Date.now() + Math.random(); resolve(photo); return; }
        var record = { draft: draftKey, name: photo.name, type: photo.type, blob: photo.blob };
        var request = store("readwrite").add(record);
        request.onsuccess = function () { record.id = request.result; resolve(record); };
        request.onerror = function () { resolve(null); };
      });
    });
  }

  function dropPhoto(id) {
    photos = photos.filter(function (photo) { return photo.id !== id; });
    if (database && typeof id === "number") { store("readwrite").delete(id); }
    showPhotos();
  }

  function dropAllPhotos() {
    if (!database) { return Promise.resolve(); }
    return new Promise(function (resolve) {
      var transaction = database.transaction("photos", "readwrite");
      var index = transaction.objectStore("photos").index("draft");
      var request = index.openCursor(draftKey);
      request.onsuccess = function () {
        var cursor = request.result;
        if (cursor) { cursor.delete(); cursor.continue(); }
      };
      transaction.oncomplete = resolve;
      transaction.onerror = resolve;
    });
  }

  function showPhotos() {
    photoList.textContent = "";
    photos.forEach(function (photo, index) {
      var item = document.createElement("li");
      var image = document.createElement("img");
      image.src = URL.createObjectURL(photo.blob);
      image.alt = form.dataset.msgPhoto + " " + (index + 1);
      var name = document.createElement("span");
      name.className = "small flex-grow-1";
      name.textContent = photo.name;
      var remove = document.createElement("button");
      remove.type = "button";
      remove.className = "btn btn-sm btn-outline-danger";
      remove.textContent = form.dataset.msgRemove;
      remove.setAttribute("aria-label", form.dataset.msgRemove + ": " + photo.name);
      remove.addEventListener("click", function () { dropPhoto(photo.id); });
      item.appendChild(image);
      item.appendChild(name);
      item.appendChild(remove);
      photoList.appendChild(item);
    });
  }

  // A large photo is made smaller on the phone before it is sent over a weak signal; the
  // server strips its metadata and sizes it in any case. A small one is sent as it is.
  function shrink(file) {
    if (file.size <= SMALL_ENOUGH || !window.createImageBitmap) {
      return Promise.resolve(file);
    }
    return window.createImageBitmap(file).then(function (bitmap) {
      var scale = Math.min(1, MAX_SIDE / Math.max(bitmap.width, bitmap.height));
      var drawing = document.createElement("canvas");
      drawing.width = Math.round(bitmap.width * scale);
      drawing.height = Math.round(bitmap.height * scale);
      drawing.getContext("2d").drawImage(bitmap, 0, 0, drawing.width, drawing.height);
      return new Promise(function (resolve) {
        drawing.toBlob(function (blob) { resolve(blob || file); }, "image/jpeg", 0.85);
      });
    }).catch(function () { return file; });
  }

  function addPhotos(files) {
    var work = Array.prototype.map.call(files, function (file) {
      return shrink(file).then(function (blob) {
        return keepPhoto({ name: file.name || "foto.jpg", type: blob.type || file.type, blob: blob });
      });
    });
    return Promise.all(work).then(function (kept) {
      kept.forEach(function (photo) {
        if (photo) { photos.push(photo); } else { say(form.dataset.msgPhotoFailed, "warning"); }
      });
      photoInput.value = "";
      showPhotos();
      dirty = true;
      writeDraft();
    });
  }

  // --- the signature ---------------------------------------------------------------------------

  function signaturePad() {
    var section = document.getElementById("visit-signature");
    section.hidden = false;
    var context = canvas.getContext("2d");
    var drawing = false;
    var last = null;

    function blank() {
      context.fillStyle = "#fff";
      context.fillRect(0, 0, canvas.width, canvas.height);
    }

    function point(event) {
      var box = canvas.getBoundingClientRect();
      return {
        x: (event.clientX - box.left) * (canvas.width / box.width),
        y: (event.clientY - box.top) * (canvas.height / box.height)
      };
    }

    blank();
    context.lineWidth = 3;
    context.lineCap = "round";
    context.strokeStyle = "#000";
    canvas.addEventListener("pointerdown", function (event) {
      drawing = true;
      last = point(event);
      canvas.setPointerCapture(event.pointerId);
      event.preventDefault();
    });
    canvas.addEventListener("pointermove", function (event) {
      if (!drawing) { return; }
      var next = point(event);
      context.beginPath();
      context.moveTo(last.x, last.y);
      context.lineTo(next.x, next.y);
      context.stroke();
      last = next;
      event.preventDefault();
    });
    function finish() {
      if (!drawing) { return; }
      drawing = false;
      signatureField.value = canvas.toDataURL("image/png");
      saveSoon();
    }
    canvas.addEventListener("pointerup", finish);
    canvas.addEventListener("pointercancel", finish);
    document.getElementById("signature-clear").addEventListener("click", function () {
      blank();
      signatureField.value = "";
      saveSoon();
    });
    return function show(dataUrl) {
      if (!dataUrl) { return; }
      var image = new Image();
      image.onload = function () { context.drawImage(image, 0, 0, canvas.width, canvas.height); };
      image.src = dataUrl;
    };
  }

  // --- errors from the server ---------------------------------------------------------------

  function clearErrors() {
    Array.prototype.forEach.call(form.querySelectorAll(".js-error"), function (node) {
      node.remove();
    });
    Array.prototype.forEach.call(form.querySelectorAll(".is-invalid"), function (node) {
      node.classList.remove("is-invalid");
    });
  }

  function showErrors(errors) {
    clearErrors();
    var summary = document.getElementById("visit-error-summary");
    var list = document.getElementById("visit-error-list");
    list.textContent = "";
    errors.forEach(function (error) {
      var item = document.createElement("li");
      if (error.field) {
        var link = document.createElement("a");
        link.className = "alert-link";
        link.href = "#" + error.field;
        link.textContent = error.label;
        item.appendChild(link);
        item.appendChild(document.createTextNode(": "));
      }
      item.appendChild(document.createTextNode(error.message));
      list.appendChild(item);
      var target = error.field ? document.getElementById(error.field) : null;
      if (target) {
        var note = document.createElement("div");
        note.className = "invalid-feedback d-block js-error";
        note.textContent = error.message;
        if (target.tagName === "INPUT" || target.tagName === "SELECT" || target.tagName === "TEXTAREA") {
          target.classList.add("is-invalid");
          var holder = target.closest(".mb-3") || target.parentNode;
          holder.appendChild(note);
        } else if (target.tagName === "FIELDSET") {
          target.insertBefore(note, target.children[1] || null);  // after its legend
        } else {
          target.appendChild(note);
        }
      }
    });
    summary.classList.remove("d-none");
    summary.focus();
  }

  // --- sending ---------------------------------------------------------------------------------

  function finished(url) {
    done = true;
    window.clearTimeout(saveTimer);
    window.localStorage.removeItem(draftKey);
    changed();
    // A form sent again is answered without the visit's address: its household's page.
    return dropAllPhotos().then(function () { window.location.assign(url || form.dataset.doneUrl); });
  }

  function wait() {
    queued = true;
    writeDraft();
    sending = false;
    submitButton.disabled = false;
    say(form.dataset.msgOffline, "warning");
  }

  function send() {
    if (sending) { return; }
    if (!navigator.onLine) { wait(); return; }
    sending = true;
    submitButton.disabled = true;
    say(form.dataset.msgSending, "info");
    var body = new FormData(form);
    body.delete("photos");
    photos.forEach(function (photo) {
      body.append("photos", photo.blob, photo.name);
    });
    var token = form.querySelector("input[name=csrfmiddlewaretoken]").value;
    fetch(form.action || window.location.href, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "X-Visit-Form": "1", "X-CSRFToken": token, Accept: "application/json" }
    }).then(function (response) {
      var json = (response.headers.get("Content-Type") || "").indexOf("application/json") === 0;
      if (response.redirected || response.status === 403 || !json) {
        // The session ended (a login page, a refused token) or the server failed: the visit
        // stays on the phone until it is sent again.
        queued = false;
        writeDraft();
        sending = false;
        submitButton.disabled = false;
        var ended = response.redirected || response.status === 403;
        say(ended ? form.dataset.msgSession : form.dataset.msgFailed, "warning");
        return null;
      }
      return response.json().then(function (data) {
        if (response.ok && data.ok) {
          queued = false;
          return finished(data.url);
        }
        queued = false;
        writeDraft();
        sending = false;
        submitButton.disabled = false;
        say("", "info");
        showErrors(data.errors || [{ field: "", label: "", message: form.dataset.msgFailed }]);
        return null;
      });
    }).catch(function () {
      // No answer: the network is down, or dropped while sending. The key makes a second
      // sending safe even if the first one did reach the server.
      wait();
    });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    dirty = true;
    writeDraft();
    send();
  });
  form.addEventListener("input", saveSoon);
  form.addEventListener("change", function (event) {
    if (event.target === photoInput) {
      addPhotos(photoInput.files);
      return;
    }
    saveSoon();
  });
  window.addEventListener("online", function () {
    if (queued) { send(); }
  });
  window.addEventListener("offline", function () {
    if (!sending) { say(form.dataset.msgOffline, "warning"); }
  });
  window.addEventListener("pagehide", writeDraft);

  // --- start ---------------------------------------------------------------------------------

  var showSignature = canvas ? signaturePad() : function () {};
  var draft = readDraft();
  if (draft && draft.fields) {
    restore(draft.fields);
    showSignature(draft.fields.signature);
    queued = !!draft.queued;
    dirty = true;
    say(form.dataset.msgRestored, "info");
  } else {
    freshKeys();
    if (!navigator.onLine) { nowOnThePhone(); }
  }
  databaseReady = openDatabase().then(function (opened) {
    database = opened;
    return loadPhotos();
  }).then(function (kept) {
    photos = kept;
    showPhotos();
    if (photos.length) { dirty = true; }
    if (queued && navigator.onLine) { send(); }
    else if (queued) { say(form.dataset.msgOffline, "warning"); }
  });
}());
