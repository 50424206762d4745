/* Momentum embed: draws a petition, form or RSVP form where its <script>
   tag sits (or in <div data-momentum-act="slug">), on any site. No
   framework, no cookies; its styles are scoped to .mm-embed. Called with
   its configuration at the end of this file. */
(function (cfg) {
  "use strict";
  var doc = document;
  var me = doc.currentScript;
  var n = 0;
  function el(tag, attrs, text) {
    var e = doc.createElement(tag);
    for (var k in attrs) if (Object.prototype.hasOwnProperty.call(attrs, k) && attrs[k] !== undefined && attrs[k] !== false) e.setAttribute(k, attrs[k] === true ? "" : attrs[k]);
    if (text) e.textContent = text;
    return e;
  }
  var css = ".mm-embed{box-sizing:border-box;max-width:36rem;margin:1rem 0;padding:1rem;border:1px solid #767676;border-radius:8px;background:#fff;color:#1a1a1a;font:16px/1.5 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;text-align:left}" +
    ".mm-embed *{box-sizing:border-box}" +
    ".mm-embed h2{font-size:1.3rem;line-height:1.25;margin:0 0 .5rem}" +
    ".mm-embed p{margin:0 0 .75rem}" +
    ".mm-embed .mm-target{font-weight:600}" +
    ".mm-embed .mm-count{font-weight:700;margin:.5rem 0 .25rem}" +
    ".mm-embed progress{width:100%;height:1rem;accent-color:#b3002d}" +
    ".mm-embed .mm-field{margin:0 0 .9rem}" +
    ".mm-embed label,.mm-embed legend{display:block;font-weight:600;margin:0 0 .25rem}" +
    ".mm-embed fieldset{border:0;padding:0;margin:0 0 .9rem}" +
    ".mm-embed input[type=text],.mm-embed input[type=email],.mm-embed input[type=tel],.mm-embed input[type=number],.mm-embed input[type=date],.mm-embed textarea{display:block;width:100%;padding:.6rem;font:inherit;color:inherit;background:#fff;border:2px solid #505050;border-radius:4px}" +
    ".mm-embed .mm-check{display:flex;gap:.5rem;align-items:flex-start}.mm-embed .mm-check label{font-weight:400;margin:0}" +
    ".mm-embed .mm-check input{width:1.4rem;height:1.4rem;flex:none;margin:.1rem 0 0}" +
    ".mm-embed button{display:inline-block;min-height:48px;padding:.7rem 1.2rem;font:inherit;font-weight:700;color:#fff;background:#b3002d;border:0;border-radius:4px;cursor:pointer}" +
    ".mm-embed button[disabled]{opacity:.6}" +
    ".mm-embed :focus-visible,.mm-embed input:focus,.mm-embed textarea:focus,.mm-embed button:focus{outline:3px solid #ffbf47;outline-offset:2px;box-shadow:0 0 0 5px #1a1a1a}" +
    ".mm-embed .mm-error{color:#a4001d;font-weight:600;margin:.25rem 0 0}" +
    ".mm-embed [aria-invalid=true]{border-color:#a4001d}" +
    ".mm-embed .mm-summary{border:3px solid #a4001d;padding:.75rem;margin:0 0 1rem}" +
    ".mm-embed .mm-thanks{border-left:6px solid #00703c;padding:.5rem .75rem}" +
    ".mm-embed .mm-hp{position:absolute!important;left:-10000px!important;width:1px;height:1px;overflow:hidden}" +
    ".mm-embed .mm-small{font-size:.875rem;color:#505050}" +
    ".mm-embed a{color:#1d4ed8}";
  if (!doc.getElementById("mm-embed-css")) {
    var st = el("style", { id: "mm-embed-css" });
    st.textContent = css;
    (doc.head || doc.documentElement).appendChild(st);
  }
  var host = doc.querySelector("[" + cfg.attr + "='" + String(cfg.key).replace(/'/g, "") + "']:not([data-mm-done])");
  var box = el("section", { "class": "mm-embed", "aria-label": cfg.title });
  if (host) { host.setAttribute("data-mm-done", "1"); host.appendChild(box); }
  else if (me && me.parentNode) me.parentNode.insertBefore(box, me.nextSibling);
  else doc.body.appendChild(box);
  var uid = "mm" + Math.random().toString(36).slice(2, 8);

  box.appendChild(el("h2", {}, cfg.title));
  if (cfg.target) box.appendChild(el("p", { "class": "mm-target" }, "To: " + cfg.target));
  if (cfg.intro) { var intro = el("div", { "class": "mm-intro" }); intro.innerHTML = cfg.intro; box.appendChild(intro); }
  var countP = el("p", { "class": "mm-count", "aria-live": "polite" });
  var countN = el("span", { "class": "mm-count-n" }, String(cfg.count));
  countP.appendChild(countN);
  countP.appendChild(doc.createTextNode(cfg.goal ? " of " + cfg.goal + " " + cfg.countLabel : " " + cfg.countLabel));
  box.appendChild(countP);
  var bar = null;
  if (cfg.goal) { bar = el("progress", { max: cfg.goal, value: Math.min(cfg.count, cfg.goal), "aria-label": "Progress to the goal" }); box.appendChild(bar); }
  function setCount(c) {
    if (typeof c !== "number" || isNaN(c)) return;
    countN.textContent = String(c);
    if (bar) bar.value = Math.min(c, cfg.goal);
  }
  if (!cfg.open) {
    box.appendChild(el("p", {}, cfg.closed));
    return;
  }

  var form = el("form", { method: "post", action: cfg.post, novalidate: true });
  var summary = el("div", { "class": "mm-summary", role: "alert", tabindex: "-1", hidden: true });
  form.appendChild(summary);
  var controls = {};
  cfg.fields.forEach(function (f) {
    var id = uid + "-" + f.name, errId = id + "-error";
    var wrap, input;
    if (f.type === "radio") {
      wrap = el("fieldset", { "class": "mm-field" });
      wrap.appendChild(el("legend", {}, f.label + (f.required ? "" : " (optional)")));
      f.choices.forEach(function (c, i) {
        var row = el("div", { "class": "mm-check" });
        var r = el("input", { type: "radio", name: f.name, id: id + "-" + i, value: c.value, required: f.required && i === 0 });
        if (f.value === c.value) r.checked = true;
        row.appendChild(r);
        row.appendChild(el("label", { "for": id + "-" + i }, c.label));
        wrap.appendChild(row);
      });
      input = wrap;
    } else if (f.type === "checkbox") {
      wrap = el("div", { "class": "mm-field mm-check" });
      input = el("input", { type: "checkbox", name: f.name, id: id, value: "true", required: f.required });
      wrap.appendChild(input);
      wrap.appendChild(el("label", { "for": id }, f.label));
    } else {
      wrap = el("div", { "class": "mm-field" });
      wrap.appendChild(el("label", { "for": id }, f.label));
      input = el(f.type === "textarea" ? "textarea" : "input", { id: id, name: f.name, required: f.required, autocomplete: f.autocomplete || "off", rows: f.type === "textarea" ? 3 : undefined });
      if (f.type !== "textarea") input.setAttribute("type", f.type);
      wrap.appendChild(input);
    }
    var err = el("p", { "class": "mm-error", id: errId, hidden: true });
    wrap.appendChild(err);
    controls[f.name] = { wrap: wrap, input: input, err: err, errId: errId };
    form.appendChild(wrap);
  });
  // The honeypot: people never see it or reach it; scripts fill it in.
  var hp = el("div", { "class": "mm-hp", "aria-hidden": "true" });
  hp.appendChild(el("label", { "for": uid + "-website" }, "Leave this empty"));
  hp.appendChild(el("input", { type: "text", id: uid + "-website", name: "website", tabindex: "-1", autocomplete: "off" }));
  form.appendChild(hp);
  var tok = el("input", { type: "hidden", name: "rendered", value: "" });
  form.appendChild(tok);
  var button = el("button", { type: "submit" }, cfg.submit);
  form.appendChild(button);
  form.appendChild(el("p", { "class": "mm-small" }));
  form.lastChild.appendChild(doc.createTextNode("Powered by Momentum · "));
  form.lastChild.appendChild(el("a", { href: cfg.page, target: "_blank", rel: "noopener" }, "Open the full page"));
  box.appendChild(form);

  function getToken() {
    return fetch(cfg.token, { credentials: "omit", cache: "no-store" })
      .then(function (r) { return r.json(); })
      .then(function (j) { tok.value = j.token || ""; setCount(j.count); })
      .catch(function () { /* the post will say the form expired */ });
  }
  getToken();
  if (cfg.live && window.EventSource) {
    try {
      var es = new EventSource(cfg.live);
      es.onmessage = function (ev) { setCount(parseInt(ev.data, 10)); };
      window.addEventListener("pagehide", function () { es.close(); });
    } catch (e) { /* the count still rises when this person responds */ }
  }

  function clearErrors() {
    summary.hidden = true;
    summary.textContent = "";
    for (var k in controls) {
      var c = controls[k];
      c.err.hidden = true;
      c.err.textContent = "";
      if (c.input.removeAttribute) { c.input.removeAttribute("aria-invalid"); c.input.removeAttribute("aria-describedby"); }
    }
  }
  function showErrors(e) {
    var fields = (e && e.fields) || {}, first = null, list = el("ul");
    summary.appendChild(el("p", {}, (e && e.message) || "Please check the form."));
    for (var k in fields) {
      var c = controls[k];
      if (!c) continue;
      c.err.textContent = "Error: " + fields[k];
      c.err.hidden = false;
      c.input.setAttribute("aria-invalid", "true");
      c.input.setAttribute("aria-describedby", c.errId);
      list.appendChild(el("li", {}, fields[k]));
      if (!first) first = c.input.tagName === "FIELDSET" ? c.input.querySelector("input") : c.input;
    }
    if (list.firstChild) summary.appendChild(list);
    summary.hidden = false;
    (first || summary).focus();
  }
  form.addEventListener("submit", function (ev) {
    ev.preventDefault();
    clearErrors();
    button.disabled = true;
    var body = new URLSearchParams(new FormData(form));
    fetch(cfg.post, { method: "POST", body: body, credentials: "omit", headers: { Accept: "application/json" } })
      .then(function (r) { return r.json().then(function (j) { return { ok: r.ok, j: j }; }); })
      .then(function (res) {
        if (!res.ok) {
          button.disabled = false;
          showErrors(res.j && res.j.error);
          getToken();
          return;
        }
        setCount(res.j.count);
        var thanks = el("div", { "class": "mm-thanks", role: "status", tabindex: "-1" });
        thanks.innerHTML = res.j.thanks_html || "";
        if (!thanks.textContent) thanks.textContent = res.j.message;
        var share = el("p", {});
        share.appendChild(el("a", { href: cfg.page, target: "_blank", rel: "noopener" }, "Share it with your friends"));
        thanks.appendChild(share);
        form.parentNode.replaceChild(thanks, form);
        thanks.focus();
      })
      .catch(function () {
        button.disabled = false;
        showErrors({ message: "It could not be sent: check your connection and try again." });
      });
  });
})
