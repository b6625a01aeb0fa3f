/*
 * iklan.js: the Iklan ad tag. Usage: <script src="https://ads.example.id/iklan.js" defer></script>
 * and slots such as <div class="iklan-slot" data-iklan-slot="top" data-sizes="728x90,970x250"></div>
 * or <div class="iklan-slot" data-iklan-slot="read-next" data-formats="native"></div>.
 * Page context: <link rel="canonical">, <meta name="iklan:section">, <meta name="iklan:keywords">,
 * the document title and <html lang>. With <meta name="iklan:text" content="on"> the tag also
 * sends the article's text, for contextual keywords: the text of the element marked
 * data-iklan-article (or the one <meta name="iklan:text-selector" content="CSS selector"> names;
 * else the first <article>), without ad slots, their labels, scripts and [data-iklan-skip] parts.
 * One POST /v1/ads for all slots. No dependencies, no eval, ad data is never parsed as HTML,
 * and any failure leaves the page as it is (console.warn only).
 */
(function () {
  "use strict";
  if (window.iklan && typeof window.iklan.refresh === "function") return; // tag included twice

  var script = document.currentScript;
  var base = script && script.src ? new URL(script.src, location.href).origin : location.origin;
  var TIMEOUT_MS = 1500, MAX_SLOTS = 20, UID_KEY = "iklan_uid";
  // The request body may be 64 KiB; the text's share stays well below it in any script.
  var MAX_TEXT = 20000, MAX_TITLE = 300, MAX_BODY = 60000, DEFAULT_ARTICLE = "[data-iklan-article]";
  var SKIP = "script,style,noscript,template,[data-iklan-slot],.iklan-label,[data-iklan-skip]";
  var generation = 0, observers = [], timers = [], pageUid = null;

  function warn(msg, err) { console.warn("[iklan] " + msg, err || ""); }

  function meta(name) {
    var el = document.querySelector('meta[name="' + name + '"]');
    return ((el && el.getAttribute("content")) || "").trim();
  }

  function list(value) {
    return (value || "").split(",").map(function (s) { return s.trim(); }).filter(Boolean);
  }

  // "728x90,970x250" -> [[728, 90], [970, 250]]; malformed entries are dropped.
  function parseSizes(value) {
    return list(value).map(function (s) { return /^(\d{1,4})\s*[xX×]\s*(\d{1,4})$/.exec(s); })
      .filter(Boolean).map(function (m) { return [+m[1], +m[2]]; });
  }

  function randomHex(bytes) {
    var a = crypto.getRandomValues(new Uint8Array(bytes));
    return Array.from(a, function (b) { return b.toString(16).padStart(2, "0"); }).join("");
  }

  function userId() {
    try {
      var id = localStorage.getItem(UID_KEY);
      if (!id || !/^[0-9a-f]{16,64}$/.test(id)) {
        id = randomHex(16);
        localStorage.setItem(UID_KEY, id);
      }
      return id;
    } catch (e) { // storage blocked: an id for this page view only
      return pageUid || (pageUid = randomHex(16));
    }
  }

  function deviceType() {
    var w = window.innerWidth || document.documentElement.clientWidth;
    var mobile = window.matchMedia ? matchMedia("(max-width: 767px)").matches : w < 768;
    var tablet = window.matchMedia ? matchMedia("(max-width: 1023px)").matches : w < 1024;
    return mobile ? "mobile" : tablet ? "tablet" : "desktop";
  }

  // The article's readable text: text nodes under the article element, skipping ad slots and
  // what SKIP names, white space collapsed, cut at MAX_TEXT characters.
  function articleText() {
    var on = meta("iklan:text").toLowerCase();
    if (on !== "on" && on !== "true") return "";
    var root = null;
    try {
      root = document.querySelector(meta("iklan:text-selector") || DEFAULT_ARTICLE) ||
        document.querySelector("article");
    } catch (e) { warn("bad iklan:text-selector", e); }
    if (!root) return "";
    var parts = [], length = 0;
    var walker = document.createTreeWalker(root, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT, {
      acceptNode: function (n) {
        if (n.nodeType === 1) return n.matches(SKIP) ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_SKIP;
        return NodeFilter.FILTER_ACCEPT;
      }
    });
    for (var n = walker.nextNode(); n && length < MAX_TEXT; n = walker.nextNode()) {
      var t = n.nodeValue.replace(/\s+/g, " ").trim();
      if (t) { parts.push(t); length += t.length + 1; }
    }
    return parts.join(" ").slice(0, MAX_TEXT);
  }

  function pageContext() {
    var canonical = document.querySelector('link[rel="canonical"]');
    var page = { url: canonical && canonical.href ? canonical.href : location.href };
    var section = meta("iklan:section"), keywords = list(meta("iklan:keywords"));
    if (section) page.section = section;
    if (keywords.length) page.keywords = keywords;
    if (document.title) page.title = document.title.slice(0, MAX_TITLE);
    var lang = (document.documentElement.getAttribute("lang") || "").trim();
    if (lang) page.language = lang.slice(0, 35);
    var text = articleText();
    if (text) page.text = text;
    return page;
  }

  function utf8Length(s) {
    return typeof TextEncoder === "function" ? new TextEncoder().encode(s).length : s.length * 3;
  }

  // The request as JSON, within the server's 64 KiB: an article in a script of several bytes per
  // letter is cut shorter, or left out, rather than the whole request refused.
  function fitBody(body) {
    var json = JSON.stringify(body);
    for (var i = 0; i < 4 && body.page.text; i++) {
      var size = utf8Length(json);
      if (size <= MAX_BODY) return json;
      var keep = Math.floor(body.page.text.length * (MAX_BODY / size) * 0.9);
      if (i === 3 || keep < 200) delete body.page.text;
      else body.page.text = body.page.text.slice(0, keep);
      json = JSON.stringify(body);
    }
    return json;
  }

  function findSlots() {
    var seen = {}, slots = [];
    document.querySelectorAll("[data-iklan-slot]").forEach(function (el) {
      var id = (el.getAttribute("data-iklan-slot") || "").trim();
      var sizes = parseSizes(el.getAttribute("data-sizes"));
      var formats = list(el.getAttribute("data-formats")).map(function (f) { return f.toLowerCase(); });
      if (!id || seen[id] || (!sizes.length && !formats.length) || slots.length >= MAX_SLOTS) {
        return warn("slot skipped (no id, duplicate id, no sizes/formats, or over " + MAX_SLOTS + ")", el);
      }
      seen[id] = true;
      var spec = { id: id };
      if (sizes.length) spec.sizes = sizes;
      if (formats.length) spec.formats = formats;
      slots.push({ el: el, spec: spec });
    });
    return slots;
  }

  // Only http(s) URLs are used: never javascript:, data: or other schemes from ad data.
  function safeUrl(u) {
    if (typeof u !== "string" || !u) return null;
    try {
      var url = new URL(u, base);
      return url.protocol === "https:" || url.protocol === "http:" ? url.href : null;
    } catch (e) { return null; }
  }

  function el(tag, className, text) {
    var e = document.createElement(tag);
    if (className) e.className = className;
    if (text) e.textContent = text;
    return e;
  }

  function link(href, className) {
    var a = el("a", className);
    a.href = href;
    a.target = "_blank";
    a.rel = "noopener sponsored";
    return a;
  }

  function setSize(e, size) {
    [0, 1].forEach(function (i) {
      var n = Array.isArray(size) ? Math.floor(Number(size[i])) : NaN;
      if (n > 0 && n < 10000) e.setAttribute(i ? "height" : "width", String(n));
    });
  }

  // The DOM for one ad, or null when the ad is unusable.
  function build(ad) {
    var click = safeUrl(ad.clickUrl), src = safeUrl(ad.imageUrl);
    var format = String(ad.format || "").toLowerCase();
    if (format === "image" && src && click) {
      var a = link(click), img = el("img");
      img.src = src;
      img.alt = typeof ad.alt === "string" ? ad.alt : (ad.advertiser || "Iklan");
      setSize(img, ad.size);
      a.appendChild(img);
      return a;
    }
    if (format === "html" && typeof ad.html === "string") {
      var frame = el("iframe", "iklan-frame");
      // Never allow-same-origin: the creative cannot reach the page, its cookies or its storage.
      frame.setAttribute("sandbox", "allow-scripts allow-popups allow-popups-to-escape-sandbox");
      frame.srcdoc = ad.html;
      frame.title = "Iklan" + (ad.advertiser ? ": " + ad.advertiser : "");
      frame.setAttribute("scrolling", "no");
      frame.style.border = "0";
      setSize(frame, ad.size);
      return frame;
    }
    if (format === "native" && click && typeof ad.title === "string") {
      var box = link(click, "iklan-native"), text = el("span", "iklan-native-text");
      if (src) {
        var thumb = el("img", "iklan-native-image");
        thumb.src = src;
        thumb.alt = "";
        box.appendChild(thumb);
      }
      text.appendChild(el("span", "iklan-native-title", ad.title));
      if (typeof ad.body === "string" && ad.body) text.appendChild(el("span", "iklan-native-body", ad.body));
      var sponsor = ad.sponsor || ad.advertiser || "";
      text.appendChild(el("span", "iklan-native-sponsor", "Disponsori oleh " + sponsor));
      box.appendChild(text);
      return box;
    }
    return null;
  }

  // An empty slot collapses together with its "Iklan" label (the previous sibling .iklan-label).
  function setEmpty(slotEl, empty) {
    var prev = slotEl.previousElementSibling;
    var lbl = prev && prev.classList.contains("iklan-label") ? prev : null;
    [slotEl, lbl].forEach(function (e) {
      if (e) { e.hidden = empty; e.style.display = empty ? "none" : ""; }
    });
    slotEl.classList.toggle("iklan-empty", empty);
    slotEl.classList.toggle("iklan-filled", !empty);
  }

  function ping(url) {
    try { fetch(url, { mode: "no-cors", keepalive: true, credentials: "omit" }).catch(function () {}); }
    catch (e) { /* ignore: tracking must never break the page */ }
  }

  // One impression per ad, once at least 50% of it has been visible for one continuous second.
  function watch(node, url) {
    if (!url) return;
    var fired = false, timer = null, io = null;
    function fire() {
      if (fired) return;
      fired = true;
      if (io) io.disconnect();
      ping(url);
    }
    if (!("IntersectionObserver" in window)) return void timers.push(setTimeout(fire, 1000));
    io = new IntersectionObserver(function (entries) {
      entries.forEach(function (entry) {
        if (entry.isIntersecting && entry.intersectionRatio >= 0.5) {
          if (timer === null) timers.push(timer = setTimeout(fire, 1000));
        } else if (timer !== null) {
          clearTimeout(timer);
          timer = null;
        }
      });
    }, { threshold: 0.5 });
    io.observe(node);
    observers.push(io);
  }

  function render(slot, ad) {
    var node = ad && typeof ad === "object" ? build(ad) : null;
    slot.el.replaceChildren();
    setEmpty(slot.el, !node);
    if (!node) return;
    slot.el.appendChild(node);
    watch(node, safeUrl(ad.impressionUrl));
  }

  function request() {
    var gen = ++generation;
    observers.forEach(function (io) { io.disconnect(); });
    timers.forEach(clearTimeout);
    observers = [];
    timers = [];
    var slots = findSlots();
    if (!slots.length) return Promise.resolve();
    var body = { page: pageContext(), slots: slots.map(function (s) { return s.spec; }),
      user: { id: userId() }, device: { type: deviceType() } };
    var json = fitBody(body);
    var ctrl = new AbortController();
    var timeout = setTimeout(function () { ctrl.abort(); }, TIMEOUT_MS);
    return fetch(base + "/v1/ads", {
      method: "POST", headers: { "Content-Type": "application/json" },
      body: json, credentials: "omit", signal: ctrl.signal
    }).then(function (res) {
      if (!res.ok) throw new Error("HTTP " + res.status);
      return res.json();
    }).then(function (data) {
      if (gen !== generation) return; // a newer refresh() has started
      if (!data || typeof data.slots !== "object" || data.slots === null) throw new Error("bad response");
      slots.forEach(function (slot) {
        try {
          render(slot, data.slots[slot.spec.id]);
        } catch (e) {
          warn("could not render slot " + slot.spec.id, e);
        }
      });
    }).catch(function (err) {
      warn("ad request failed", err);
    }).finally(function () {
      clearTimeout(timeout);
    });
  }

  window.iklan = { refresh: request };

  if (document.readyState !== "loading") request();
  else document.addEventListener("DOMContentLoaded", function () { request(); });
})();
