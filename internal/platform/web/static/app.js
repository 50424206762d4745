// Momentum: progressive enhancement only. Every page works without this file;
// it adds live updates, confirmations, double-submit protection and the events
// map. No inline scripts anywhere (the Content-Security-Policy forbids them).
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

  // (4) The map of the events search, over the list it repeats:
  //   <div id="events-map" data-tiles="https://…/{z}/{x}/{y}.png" data-attribution="…" hidden></div>
  //   <script type="application/json" id="events-map-points">[{"title","url","lat","lng","when"}]</script>
  // Drawn only when the page loaded Leaflet (the list page does, when a tile
  // server is configured); otherwise the element stays hidden and the list is
  // the page. The map holds no connection open (tiles are plain images), so
  // unlike (1) it needs nothing on pagehide; a page shown again from the
  // back/forward cache keeps its map and only re-measures it.
  function startMap(el) {
    var L = window.L;
    var data = document.getElementById("events-map-points");
    if (!L || !data || el.getAttribute("data-drawn") !== null) return;
    var points;
    try {
      points = JSON.parse(data.textContent);
    } catch (e) {
      return;
    }
    if (!points || !points.length) return;
    el.setAttribute("data-drawn", "");
    el.hidden = false;
    var still = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    // keyboard: the map takes focus, arrows pan and +/- zoom.
    var map = L.map(el, {
      keyboard: true,
      zoomAnimation: !still,
      fadeAnimation: !still,
      markerZoomAnimation: !still,
      inertia: !still
    });
    // Give the map its view first: Leaflet draws layers added before that
    // only later, and the markers' paths are needed below.
    var bounds = points.map(function (p) { return [p.lat, p.lng]; });
    map.fitBounds(bounds, { padding: [24, 24], maxZoom: 15, animate: false });
    el.setAttribute("role", "region");
    el.setAttribute("aria-label", "Map of these events");
    L.tileLayer(el.getAttribute("data-tiles"), {
      attribution: el.getAttribute("data-attribution") || "",
      maxZoom: 19
    }).addTo(map);
    points.forEach(function (p) {
      // The popup is built from nodes, never HTML, so a title is only text.
      var box = document.createElement("div");
      var link = document.createElement("a");
      link.href = p.url;
      link.textContent = p.title;
      var when = document.createElement("p");
      when.textContent = p.when;
      box.appendChild(link);
      box.appendChild(when);
      var marker = L.circleMarker([p.lat, p.lng], {
        radius: 9, weight: 2, color: "#6a0f2a", fillColor: "#8a1538", fillOpacity: 0.8,
        className: "events-map__marker"
      }).bindPopup(box, { autoPan: !still }).addTo(map);
      // Circle markers are SVG paths, which Leaflet does not make
      // focusable: let Tab reach each one, Enter or Space open its popup,
      // and the popup's link take the focus.
      var path = marker.getElement();
      if (path) {
        path.setAttribute("tabindex", "0");
        path.setAttribute("role", "button");
        path.setAttribute("aria-label", p.title);
        path.addEventListener("keydown", function (ev) {
          if (ev.key !== "Enter" && ev.key !== " ") return;
          ev.preventDefault();
          marker.openPopup();
          link.focus();
        });
      }
    });
    window.addEventListener("pageshow", function (ev) {
      if (ev.persisted) map.invalidateSize();
    });
  }

  // (5) The live preview of a message being written (messagingweb):
  //   <form id="compose" data-preview-url="/messages/preview" data-preview-frame="live-preview">
  //   <iframe name="live-preview" sandbox src="…/preview/mail">
  // A moment after typing stops, the form's fields are posted to the preview
  // address with the frame as the target, so the frame shows the mail as
  // written so far. The frame's page brings its own strict policy (no
  // script, inline styles only), which a srcdoc frame could not: it would
  // inherit this page's. Without this script the Preview button does the job.
  function startPreview(form) {
    var url = form.getAttribute("data-preview-url");
    var frame = form.getAttribute("data-preview-frame");
    if (!url || !frame) return;
    var timer = null;
    function post() {
      var f = document.createElement("form");
      f.method = "post";
      f.action = url;
      f.target = frame;
      f.hidden = true;
      var data = new FormData(form);
      data.forEach(function (value, name) {
        if (typeof value !== "string") return;
        var input = document.createElement("input");
        input.type = "hidden";
        input.name = name;
        input.value = value;
        f.appendChild(input);
      });
      document.body.appendChild(f);
      f.submit(); // submit() fires no submit event: (3) leaves its buttons alone
      document.body.removeChild(f);
    }
    form.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(post, 700);
    });
  }

  // (6) The SMS count under a text message's body (messagingweb):
  //   <p id="sms-count" data-sms-count-for="f-body">1 SMS · 42 characters …</p>
  // follows the typing, counted as messaging/sms.Segments counts (GSM-7:
  // 160 a message, 153 a part, the extension characters two each; any
  // other character makes it UCS-2: 70, 67, an emoji two). The server
  // writes the same line on every save and preview.
  var gsmBasic = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?" +
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
  var gsmExt = "\f^{}\\[~]|€";
  function smsCount(body) {
    var chars = Array.from(body), units = [], ucs2 = false;
    chars.forEach(function (c) {
      if (gsmBasic.indexOf(c) >= 0) units.push(1);
      else if (gsmExt.indexOf(c) >= 0) units.push(2);
      else ucs2 = true;
    });
    var single = 160, part = 153;
    if (ucs2) {
      units = chars.map(function (c) { return c.length; }); // UTF-16 code units
      single = 70; part = 67;
    }
    var total = units.reduce(function (a, b) { return a + b; }, 0), segs = 1, used = 0;
    if (total > single) {
      units.forEach(function (w) { if (used + w > part) { segs++; used = 0; } used += w; });
    }
    var s = segs === 1 ? "1 SMS" : segs + " SMS segments";
    if (ucs2) s += " (UCS-2: an emoji or a letter outside the GSM alphabet)";
    return s + " · " + chars.length.toLocaleString("en-GB") + (chars.length === 1 ? " character" : " characters");
  }
  function startSMSCount(el) {
    var body = document.getElementById(el.getAttribute("data-sms-count-for"));
    if (!body) return;
    body.addEventListener("input", function () {
      var text = body.value.replace(/\r\n/g, "\n").replace(/[ \n\t]+$/, "");
      el.textContent = text === "" ? "" : smsCount(text) + " as written; a long name filled in can add one.";
    });
  }

  function init() {
    var live = document.querySelectorAll("[data-live]");
    for (var i = 0; i < live.length; i++) startLive(live[i]);
    var map = document.getElementById("events-map");
    if (map) startMap(map);
    var forms = document.querySelectorAll("form[data-preview-url]");
    for (var j = 0; j < forms.length; j++) startPreview(forms[j]);
    var counts = document.querySelectorAll("[data-sms-count-for]");
    for (var k = 0; k < counts.length; k++) startSMSCount(counts[k]);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
