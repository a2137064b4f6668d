// The login page: nobody is logged in on this browser, so the visit pages kept for work with no
// signal (monitoring's js/visit-sw.js) go, with their service worker. Visits typed on the
// phone and not yet sent stay (they are sent only with their officer's session).
(function () {
  "use strict";
  if (window.caches) {
    window.caches.keys().then(function (names) {
      return Promise.all(names.filter(function (name) {
        return name.indexOf("einclusion-visits-") === 0;
      }).map(function (name) { return window.caches.delete(name); }));
    }).catch(function () {});
  }
  if (navigator.serviceWorker && navigator.serviceWorker.getRegistrations) {
    navigator.serviceWorker.getRegistrations().then(function (registrations) {
      registrations.forEach(function (registration) { registration.unregister(); });
    }).catch(function () {});
  }
}());
