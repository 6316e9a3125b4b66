/* Renkei first-party tracking. No third party, no fingerprinting.
 *
 * <script src="https://renkei.example.co.jp/t/renkei.js" async></script>
 *
 * - a first-party cookie `rk_vid` holds an anonymous visitor id;
 * - page views (URL, title, referrer, UTM parameters) are sent at once; renkei.track("name",
 *   {...}) events are queued and sent in batches (a second, 20 events, or when the page is
 *   hidden) with navigator.sendBeacon (or fetch);
 * - a click on a link to a document, archive or video (.pdf, .docx, .xlsx, .pptx, .zip,
 *   .mp4 …) or with a data-renkei-download attribute is sent as a download of that address;
 *   renkei.download(url, title) sends one by hand;
 * - with consent mode on, nothing is stored or sent until renkei.consent(true);
 * - with Do-Not-Track honoured, browsers sending DNT or Global Privacy Control are left alone.
 */
(function (window, document) {
  "use strict";
  var server = window.__renkeiServerConfig || {};
  var script = document.currentScript;
  var base = server.base || (script && script.src ? new URL(script.src).origin : "");
  var endpoint = base + "/t/collect";
  var COOKIE = "rk_vid";
  var CONSENT_COOKIE = "rk_consent";
  var MAX_BATCH = 20;
  var queue = [];
  var timer = null;

  function dntOn() {
    return navigator.doNotTrack === "1" || window.doNotTrack === "1" ||
      navigator.globalPrivacyControl === true;
  }
  var disabled = server.honourDoNotTrack && dntOn();

  function readCookie(name) {
    var parts = document.cookie ? document.cookie.split("; ") : [];
    for (var i = 0; i < parts.length; i++) {
      var eq = parts[i].indexOf("=");
      if (parts[i].slice(0, eq) === name) return decodeURIComponent(parts[i].slice(eq + 1));
    }
    return "";
  }
  function writeCookie(name, value, days) {
    var secure = location.protocol === "https:" ? "; Secure" : "";
    document.cookie = name + "=" + encodeURIComponent(value) + "; Max-Age=" + days * 86400 +
      "; Path=/; SameSite=Lax" + secure;
  }
  function consented() {
    return !server.consentRequired || readCookie(CONSENT_COOKIE) === "1";
  }
  function newId() {
    var bytes = new Uint8Array(16);
    (window.crypto || window.msCrypto).getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) {
      return ("0" + b.toString(16)).slice(-2);
    }).join("");
  }
  function visitorId() {
    if (disabled || !consented()) return "";
    var id = readCookie(COOKIE);
    if (!/^[A-Za-z0-9_-]{16,64}$/.test(id)) id = newId();
    writeCookie(COOKIE, id, 395);  // refreshed on every visit
    return id;
  }
  function utm() {
    var out = {};
    var params = new URLSearchParams(location.search);
    ["source", "medium", "campaign", "term", "content"].forEach(function (k) {
      var v = params.get("utm_" + k);
      if (v) out["utm_" + k] = v.slice(0, 200);
    });
    return out;
  }
  function flush(leaving) {
    if (timer) { clearTimeout(timer); timer = null; }
    if (!queue.length || disabled || !consented()) return;
    var id = visitorId();
    while (queue.length) {
      var body = JSON.stringify({ visitor: id, events: queue.splice(0, MAX_BATCH) });
      var blob = new Blob([body], { type: "text/plain" });
      if (!(navigator.sendBeacon && navigator.sendBeacon(endpoint, blob)) && window.fetch) {
        fetch(endpoint, { method: "POST", body: body, mode: "cors", credentials: "omit",
          keepalive: !!leaving, headers: { "Content-Type": "text/plain" } });
      }
    }
  }
  function enqueue(event) {
    if (disabled) return;
    event.ts = Date.now();
    queue.push(event);
    if (queue.length >= MAX_BATCH) flush(false);
    else if (!timer) timer = setTimeout(function () { flush(false); }, 1000);
  }
  function pageView() {
    var event = { type: "page_view", url: location.href.slice(0, 2000),
      title: document.title.slice(0, 500), referrer: document.referrer.slice(0, 2000) };
    var tags = utm();
    for (var k in tags) event[k] = tags[k];
    enqueue(event);
    flush(false);  // a page view goes out at once: fast navigations must not lose it
  }

  var DOWNLOAD = /\.(pdf|docx?|xlsx?|pptx?|zip|csv|mp4|mov|m4v|webm)$/i;
  function download(url, title) {
    var event = { type: "download", url: String(url).slice(0, 2000),
      title: String(title || "").slice(0, 500), referrer: location.href.slice(0, 2000) };
    enqueue(event);
    flush(false);  // the visitor may be leaving the page
  }

  var api = {
    download: download,
    track: function (name, props) {
      var event = { type: "custom", name: String(name).slice(0, 100), url: location.href.slice(0, 2000),
        props: props || {} };
      enqueue(event);
    },
    consent: function (given) {
      if (given) {
        writeCookie(CONSENT_COOKIE, "1", 395);
        flush(false);
      } else {
        writeCookie(CONSENT_COOKIE, "0", 395);
        writeCookie(COOKIE, "", 0);
        queue = [];
      }
    },
    visitorId: function () { return disabled || !consented() ? "" : visitorId(); },
    flush: function () { flush(false); },
    pageView: pageView
  };
  var pending = window.renkei && window.renkei.q;  // calls made before the script loaded
  window.renkei = api;
  if (pending) pending.forEach(function (call) { api[call[0]].apply(api, call[1]); });

  document.addEventListener("click", function (event) {
    if (disabled) return;
    var link = event.target && event.target.closest && event.target.closest("a[href]");
    if (!link) return;
    var href = link.href;
    var path = "";
    try { path = new URL(href, location.href).pathname; } catch (e) { return; }
    if (link.hasAttribute("data-renkei-download") || DOWNLOAD.test(path)) {
      download(href, link.getAttribute("data-renkei-download") || link.textContent.trim());
    }
  }, true);

  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") flush(true);
  });
  window.addEventListener("pagehide", function () { flush(true); });
  if (!disabled) pageView();
})(window, document);
