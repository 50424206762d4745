// Momentum: progressive enhancement only. Every page works without this file;
// it adds live updates, confirmations and double-submit protection. No inline
// scripts anywhere (the Content-Security-Policy forbids them).
(function () {
  "use strict";

  // (1) Live updates over Server-Sent Events.
  //   <span data-live="/events/123/live">12 going</span>
  //     each message replaces the element's text with the event data.
  //   <section id="queue" data-live="/meetings/9/live" data-live-reload>
  //     each message refetches this page and swaps in the element with the same id.
  function startLive(el) {
    if (!("EventSource" in window)) return;
    var url = el.getAttribute("data-live");
    if (!url) return;
    var source = null;
    var reloading = false;
    function onmessage(ev) {
      if (!el.hasAttribute("data-live-reload")) {
        el.textContent = ev.data;
        el.hidden = false;
        return;
      }
      if (!el.id || reloading) return;
      reloading = true;
      fetch(window.location.href, { credentials: "same-origin", headers: { Accept: "text/html" } })
        .then(function (res) { return res.ok ? res.text() : Promise.reject(res.status); })
        .then(function (html) {
          var doc = new DOMParser().parseFromString(html, "text/html");
          var fresh = doc.getElementById(el.id);
          if (fresh) el.innerHTML = fresh.innerHTML;
        })
        .catch(function () { /* keep the old content; the next event retries */ })
        .then(function () { reloading = false; });
    }
    function open() {
      source = new EventSource(url);
      source.onmessage = onmessage;
    }
    open();
    // EventSource reconnects on its own while the page is shown. Close it
    // whenever the page is hidden, also when the browser keeps the page in its
    // back/forward cache (ev.persisted): a cached page's stream keeps its
    // connection open, and a browser opens only six connections to a site over
    // HTTP/1.1, so after a few pages every click would wait for one that never
    // frees. Open it again if the page is shown from that cache.
    window.addEventListener("pagehide", function () {
      if (source) source.close();
      source = null;
    });
    window.addEventListener("pageshow", function (ev) {
      if (ev.persisted && !source) open();
    });
  }

  // (2) <form data-confirm="Delete this event?"> asks before submitting.
  // (3) Submit buttons are disabled after submit to prevent double posts.
  document.addEventListener("submit", function (ev) {
    var form = ev.target;
    if (!(form instanceof HTMLFormElement)) return;
    var question = form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      ev.preventDefault();
      return;
    }
    // A form that downloads a file stays on the page: mark it data-no-disable.
    if (ev.defaultPrevented || form.hasAttribute("data-no-disable")) return;
    // Disable after the browser has collected the submitter's name/value.
    window.setTimeout(function () {
      var buttons = form.querySelectorAll('button[type="submit"], button:not([type]), input[type="submit"]');
      for (var i = 0; i < buttons.length; i++) {
        buttons[i].disabled = true;
        buttons[i].setAttribute("data-submitted", "");
      }
    }, 0);
  });

  // Coming back with the Back button restores a page from cache with its
  // buttons still disabled; enable them again.
  window.addEventListener("pageshow", function () {
    var buttons = document.querySelectorAll("[data-submitted]");
    for (var i = 0; i < buttons.length; i++) {
      buttons[i].disabled = false;
      buttons[i].removeAttribute("data-submitted");
    }
  });

  function init() {
    var live = document.querySelectorAll("[data-live]");
    for (var i = 0; i < live.length; i++) startLive(live[i]);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
