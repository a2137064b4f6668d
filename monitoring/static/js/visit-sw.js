// The visit pages' service worker: the monitoring officer's visit form opens with no signal.
//
// Served at /monitoring/sw.js (monitoring/views/offline.py) and registered by the visit pages
// (js/visit-offline.js) for /monitoring/visits/ only. It keeps, in one versioned cache:
// - the officer's own visit forms of the coming days and the week's list, as named by
//   monitoring:offline_pages (monitoring/offline.py), refreshed whenever a visit page is opened
//   with a signal; forms no longer due are dropped;
// - the static files those pages load.
// Pages are asked from the network first, the cache answers only when there is no network.
// Nothing else is kept: no other address, no POST, no other officer's list. The login page
// (js/signed-out.js) deletes the cache: nothing stays on the phone after logging out.
// Sending a visit made with no signal is the form's own work (js/visit-form.js: a draft on the
// phone, sent with its keys once the signal is back).
"use strict";

var VERSION = "1";
var PREFIX = "einclusion-visits-";
var CACHE = PREFIX + "v" + VERSION;
var MAX_WAIT_MS = 8000;  // a weak signal: the cached page after this long

function sameOrigin(url) { return url.origin === self.location.origin; }

// A page the officer may keep: a visit form (of a household, maybe a planned visit) or the
// officer's own list of today, this week or the overdue visits.
function isKeptPage(url) {
  if (!sameOrigin(url)) { return false; }
  var query = url.searchParams;
  if (/^\/monitoring\/visits\/new\/\d+\/$/.test(url.pathname)) {
    var keys = Array.from(query.keys());
    return keys.every(function (key) { return key === "planned"; }) &&
      (!query.has("planned") || /^\d+$/.test(query.get("planned")));
  }
  if (url.pathname === "/monitoring/visits/") {
    return query.get("officer") === "me" &&
      ["today", "week", "overdue"].indexOf(query.get("tab")) !== -1 &&
      Array.from(query.keys()).length === 2;
  }
  return false;
}

function isAsset(url) { return sameOrigin(url) && url.pathname.indexOf("/static/") === 0; }

function keepable(response) {
  return response && response.status === 200 && !response.redirected &&
    response.type === "basic";
}

function isHtml(response) {
  return (response.headers.get("Content-Type") || "").indexOf("text/html") === 0;
}

self.addEventListener("install", function () { self.skipWaiting(); });

self.addEventListener("activate", function (event) {
  // An older version's cache goes when this one takes over.
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (name) {
      return name.indexOf(PREFIX) === 0 && name !== CACHE;
    }).map(function (name) { return caches.delete(name); }));
  }).then(function () { return self.clients.claim(); }));
});

function withTimeout(promise) {
  return new Promise(function (resolve, reject) {
    var timer = setTimeout(function () { reject(new Error("timeout")); }, MAX_WAIT_MS);
    promise.then(function (value) { clearTimeout(timer); resolve(value); },
      function (error) { clearTimeout(timer); reject(error); });
  });
}

function fromCache(request) {
  return caches.open(CACHE).then(function (cache) { return cache.match(request.url); })
    .then(function (response) { return response || Response.error(); });
}

// Pages: the network first; the cache with no network (or after MAX_WAIT_MS).
function page(request) {
  var url = request.url;
  return withTimeout(fetch(request)).then(function (response) {
    if (keepable(response) && isHtml(response)) {
      var copy = response.clone();
      caches.open(CACHE).then(function (cache) { return cache.put(url, copy); });
    } else if (response.status === 403 || response.status === 404) {
      // Not the officer's any more: not kept either.
      caches.open(CACHE).then(function (cache) { return cache.delete(url); });
    }
    return response;
  }).catch(function () { return fromCache(request); });
}

// Static files: the cache first (their names change with their content in production), the
// network refreshes the copy for the next time.
function asset(request) {
  return caches.open(CACHE).then(function (cache) {
    return cache.match(request.url).then(function (cached) {
      var fresh = fetch(request).then(function (response) {
        if (keepable(response)) { cache.put(request.url, response.clone()); }
        return response;
      });
      if (cached) {
        fresh.catch(function () {});
        return cached;
      }
      return fresh;
    });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") { return; }
  var url = new URL(request.url);
  if (request.mode === "navigate" && isKeptPage(url)) {
    event.respondWith(page(request));
  } else if (isAsset(url)) {
    event.respondWith(asset(request));
  }
});

// "keep": a visit page opened with a signal asks to refresh what is kept. The list comes from
// the server (monitoring:offline_pages, the officer's own visits); the page that asked is kept
// too (a visit form opened from a household's page). Forms no longer named are dropped.
function keep(listUrl, pageUrl) {
  var list = new URL(listUrl, self.location.origin);
  if (!sameOrigin(list)) { return Promise.resolve(false); }
  return fetch(list.href, { credentials: "same-origin", cache: "no-store" }).then(function (response) {
    if (!keepable(response)) { throw new Error("list"); }
    return response.json();
  }).then(function (wanted) {
    var pages = wanted.pages.map(function (address) {
      return new URL(address, self.location.origin);
    }).filter(isKeptPage);
    if (pageUrl) {
      var current = new URL(pageUrl);
      current.hash = "";
      if (isKeptPage(current)) { pages.push(current); }
    }
    var assets = wanted.assets.map(function (address) {
      return new URL(address, self.location.origin);
    }).filter(isAsset);
    var names = pages.map(function (url) { return url.href; });
    return caches.open(CACHE).then(function (cache) {
      var work = pages.concat(assets).map(function (url) {
        return fetch(url.href, { credentials: "same-origin" }).then(function (response) {
          if (keepable(response)) { return cache.put(url.href, response); }
          return null;
        }).catch(function () { return null; });
      });
      return Promise.all(work).then(function () { return cache.keys(); }).then(function (requests) {
        return Promise.all(requests.filter(function (request) {
          var url = new URL(request.url);
          return !isAsset(url) && names.indexOf(url.href) === -1;
        }).map(function (request) { return cache.delete(request); }));
      }).then(function () { return true; });
    });
  }).catch(function () { return false; });
}

self.addEventListener("message", function (event) {
  var data = event.data || {};
  if (data.type !== "keep" || typeof data.list !== "string") { return; }
  var source = event.source;
  event.waitUntil(keep(data.list, data.page).then(function (kept) {
    if (source) { source.postMessage({ type: "kept", ok: kept }); }
  }));
});
