/* Renkei embedded form. Served by /f/<slug>/embed.js wrapped in a function that receives
 * `config`; renders the form into <div data-renkei-form="<slug>"> (or right after this
 * script tag), posts it with fetch and shows per-field errors. All text is set with
 * textContent: nothing from the server is parsed as HTML. */
"use strict";
var script = document.currentScript;
var target = document.querySelector('[data-renkei-form="' + config.slug + '"]');
if (!target) {
  target = document.createElement("div");
  if (script && script.parentNode) script.parentNode.insertBefore(target, script.nextSibling);
  else document.body.appendChild(target);
}
var requested = (script && script.getAttribute("data-lang")) || document.documentElement.lang || "ja";
var lang = requested.slice(0, 2) === "en" ? "en" : "ja";
var t = config.texts[lang];

function el(tag, attrs, text) {
  var node = document.createElement(tag);
  for (var k in attrs) if (attrs[k] !== undefined && attrs[k] !== null) node.setAttribute(k, attrs[k]);
  if (text) node.textContent = text;
  return node;
}
function utm(name) {
  try { return new URLSearchParams(location.search).get(name) || ""; } catch (e) { return ""; }
}

var form = el("form", { "class": "rk-form", novalidate: "novalidate", method: "post", action: config.action });
var errorBoxes = {};
config.fields.forEach(function (field) {
  var id = "rk-" + config.slug + "-" + field.key;
  var row = el("div", { "class": "rk-field", style: "margin-bottom:.75rem" });
  var label = el("label", { "for": id, style: "display:block;font-weight:600" }, field.label[lang]);
  if (field.required) label.appendChild(el("span", { "class": "rk-required", "aria-label": t.required }, " *"));
  var input = field.type === "textarea"
    ? el("textarea", { id: id, name: field.key, rows: "4" })
    : el("input", { id: id, name: field.key, type: field.type });
  input.setAttribute("maxlength", field.maxlength);
  if (field.required) input.setAttribute("required", "required");
  input.style.width = "100%";
  var error = el("div", { "class": "rk-error", id: id + "-error", role: "alert", style: "color:#d63939" });
  input.setAttribute("aria-describedby", id + "-error");
  errorBoxes[field.key] = error;
  row.appendChild(label); row.appendChild(input); row.appendChild(error);
  form.appendChild(row);
});
if (t.consent) {
  var consentRow = el("div", { "class": "rk-consent", style: "margin-bottom:.75rem" });
  var consentLabel = el("label");
  var box = el("input", { type: "checkbox", name: config.consentName, value: "1" });
  consentLabel.appendChild(box);
  consentLabel.appendChild(document.createTextNode(" " + t.consent));
  consentRow.appendChild(consentLabel);
  form.appendChild(consentRow);
}
var trap = el("div", { "aria-hidden": "true", style: "position:absolute;left:-10000px;width:1px;height:1px;overflow:hidden" });
trap.appendChild(el("label", { "for": "rk-" + config.slug + "-hp" }, t.honeypot));
trap.appendChild(el("input", { id: "rk-" + config.slug + "-hp", name: config.honeypot, type: "text", tabindex: "-1", autocomplete: "off" }));
form.appendChild(trap);
var hidden = {
  rk_page: location.href.slice(0, 2000),
  rk_referrer: document.referrer.slice(0, 2000),
  rk_utm_source: utm("utm_source"), rk_utm_medium: utm("utm_medium"),
  rk_utm_campaign: utm("utm_campaign"), rk_utm_term: utm("utm_term"),
  rk_utm_content: utm("utm_content"), rk_vid: ""
};
var message = el("div", { "class": "rk-message", role: "status" });
var button = el("button", { type: "submit", "class": "rk-submit" }, t.submit);
form.appendChild(button);
form.appendChild(message);
target.appendChild(form);

form.addEventListener("submit", function (event) {
  event.preventDefault();
  if (window.renkei && window.renkei.flush) window.renkei.flush();
  if (window.renkei && window.renkei.visitorId) hidden.rk_vid = window.renkei.visitorId();
  var body = new URLSearchParams(new FormData(form));
  for (var k in hidden) body.set(k, hidden[k]);
  for (var key in errorBoxes) errorBoxes[key].textContent = "";
  message.textContent = t.sending;
  button.disabled = true;
  fetch(config.action + "?lang=" + lang, {
    method: "POST", body: body, mode: "cors", credentials: "omit",
    headers: { "Accept": "application/json" }
  }).then(function (response) {
    return response.json().then(function (data) { return { status: response.status, data: data }; });
  }).then(function (result) {
    button.disabled = false;
    var data = result.data;
    if (data.ok) {
      if (data.redirect) { window.location.href = data.redirect; return; }
      var done = el("div", { "class": "rk-thanks", role: "status" }, data.message || t.thanks);
      target.replaceChild(done, form);
      return;
    }
    message.textContent = data.message || t.failed;
    var errors = data.errors || {};
    for (var name in errors) if (errorBoxes[name]) errorBoxes[name].textContent = errors[name].join(" ");
  }).catch(function () {
    button.disabled = false;
    message.textContent = t.failed;
  });
});
