/*
 * iklan.js: the Iklan ad tag. Plain JavaScript, no dependencies. The README's "Put Iklan on your
 * pages" section is its manual; in short:
 *
 *   <script async src="https://ads.example.id/iklan.js"></script>
 *   <div data-iklan-slot="top" data-sizes="728x90,970x250"></div>
 *   <div data-iklan-slot="baca-juga" data-formats="native"></div>
 *
 * Page context comes from <link rel="canonical">, <meta name="iklan:section">,
 * <meta name="iklan:keywords"> and, when <meta name="iklan:text" content="on">, the title and the
 * article's text. Slots near the viewport go in ONE POST /v1/ads; slots far below it (or marked
 * data-iklan-lazy) in a later one, when they come near. Ads are rendered as DOM nodes, never as
 * HTML in the page: an html creative runs in a sandboxed iframe without allow-same-origin. An
 * impression is counted once, when half of the ad has been in view for one continuous second
 * (MRC display). Whatever the ad server does (slow, down, malformed answer), the page stays as it
 * is: the tag gives up after tmax and collapses its slots.
 */
(() => {
  "use strict";
  const w = window, d = document;
  const api = (w.iklan = w.iklan || {});
  if (api.version) return; // the tag was included twice

  const VERSION = "2";
  const MAX_SLOTS = 20, TEXT_CHARS = 20000, BODY_BYTES = 64 * 1024;
  const script = d.currentScript;
  const cfg = {
    server: script && script.src ? new URL(script.src, location.href).origin : location.origin,
    tmax: 1000, // ms: the tag's deadline for one ad request, also sent to the server
    lazyMargin: "100% 0px", // a lazy slot is requested once it is within a viewport of the view
    auto: true, // display() by itself once the DOM is ready
  };
  const slots = new Map(); // slot id -> {id, el, spec, state: new|waiting|near|requested|done}
  const byElement = new WeakMap(), warned = new WeakSet();
  let overrides = {}, articleText = null, requests = 0, lazyObserver = null, pending = [],
    flushTimer = 0, pageUid = null;

  const warn = (msg, err) => console.warn("[iklan] " + msg, err || "");
  const guard = (fn) => (...args) => {
    try { return fn(...args); } catch (e) { warn("error", e); }
  };
  const attr = (e, name) => (e.getAttribute(name) || "").trim();
  const meta = (name) => {
    const m = d.querySelector(`meta[name="${name}"],meta[property="${name}"]`);
    return m ? attr(m, "content") : "";
  };
  const list = (v) => (Array.isArray(v) ? v : String(v || "").split(","))
    .map((s) => String(s).trim()).filter(Boolean);
  // "728x90,970x250" or [[728, 90], "970x250"] -> [[728, 90], [970, 250]]; bad entries are dropped.
  const sizes = (v) => (Array.isArray(v) ? v : String(v || "").split(","))
    .map((s) => (Array.isArray(s) ? s : /^\s*(\d{1,5})\s*[x×]\s*(\d{1,5})\s*$/i.exec(s)?.slice(1)))
    .filter((s) => s && s.length === 2).map((s) => s.map(Number))
    .filter((s) => s.every((n) => Number.isInteger(n) && n > 0 && n <= 10000));
  const el = (tag, cls, text) => {
    const e = d.createElement(tag);
    if (cls) e.className = cls;
    if (text) e.textContent = text;
    return e;
  };
  const ready = (fn) => d.readyState === "loading"
    ? d.addEventListener("DOMContentLoaded", guard(fn), { once: true }) : fn();
  const emit = (s, type, detail) => s.el.dispatchEvent(
    new CustomEvent("iklan:" + type, { bubbles: true, detail: { slot: s.id, ...detail } }));

  // Only http(s) addresses from an ad are used: never javascript:, data: or other schemes.
  const safeUrl = (u) => {
    try {
      const url = typeof u === "string" && u ? new URL(u, cfg.server) : null;
      return url && /^https?:$/.test(url.protocol) ? url.href : null;
    } catch (e) { return null; }
  };

  const hex = (n) => Array.from(crypto.getRandomValues(new Uint8Array(n)),
    (b) => b.toString(16).padStart(2, "0")).join("");
  const userId = () => {
    try {
      let id = localStorage.getItem("iklan_uid");
      if (!/^[0-9a-f]{16,64}$/.test(id || "")) localStorage.setItem("iklan_uid", (id = hex(16)));
      return id;
    } catch (e) { return pageUid || (pageUid = hex(16)); } // storage blocked: one page view
  };
  const device = () => (matchMedia("(max-width: 767px)").matches ? "mobile"
    : matchMedia("(max-width: 1023px)").matches ? "tablet" : "desktop");

  // The article's text without ads, scripts and the like; read once per page view.
  const text = () => {
    if (articleText === null) {
      const root = d.querySelector("[data-iklan-article]") || d.querySelector("article");
      const copy = root ? root.cloneNode(true) : null;
      copy?.querySelectorAll("[data-iklan-slot],[data-iklan-skip],.iklan-label,script,style,noscript,template,iframe")
        .forEach((e) => e.remove());
      // Blocks are words apart, also in markup without white space between them.
      copy?.querySelectorAll("p,div,h1,h2,h3,h4,h5,h6,li,br,td,th,dd,dt,blockquote,figcaption,section")
        .forEach((e) => e.after(" "));
      articleText = copy ? copy.textContent.replace(/\s+/g, " ").trim().slice(0, TEXT_CHARS) : "";
    }
    return articleText;
  };

  const page = () => {
    const o = overrides, canonical = d.querySelector('link[rel="canonical"]');
    const p = { url: o.url || (canonical && canonical.href) || location.href };
    if (p.url.length > 4096) p.url = p.url.split(/[?#]/)[0].slice(0, 4096); // the server's limit
    const section = o.section ?? (meta("iklan:section") || meta("article:section"));
    const keywords = list(o.keywords ?? (meta("iklan:keywords") || meta("news_keywords") || meta("keywords")));
    if (section) p.section = String(section).slice(0, 200);
    if (keywords.length) p.keywords = keywords.slice(0, 100).map((k) => k.slice(0, 200));
    const lang = d.documentElement.lang;
    if (lang) p.language = lang.slice(0, 35);
    if (/^(on|true|1)$/i.test(meta("iklan:text"))) { // the publisher opted in
      p.title = String(o.title ?? d.title).trim().slice(0, 2000);
      p.text = String(o.text ?? text()).slice(0, TEXT_CHARS);
    }
    return p;
  };

  // Registers the slots declared in the page; a known slot keeps its state.
  const scan = () => {
    slots.forEach((s, id) => { if (!s.el.isConnected) { stop(s); slots.delete(id); } });
    d.querySelectorAll("[data-iklan-slot]").forEach((e) => {
      const id = attr(e, "data-iklan-slot");
      const known = slots.get(id);
      if (known && known.el === e) return;
      // Only formats the server knows (today "native"): one unknown value would cost the page all its ads.
      const spec = { id, sizes: sizes(attr(e, "data-sizes")),
        formats: list(attr(e, "data-formats")).map((f) => f.toLowerCase()).filter((f) => f === "native") };
      if (!id || id.length > 128 || known || (!spec.sizes.length && !spec.formats.length)) {
        if (!warned.has(e)) warn("slot skipped: no id, its id used twice, or no sizes or formats", e);
        return warned.add(e);
      }
      const s = { id, el: e, spec, state: "new" };
      slots.set(id, s);
      byElement.set(e, s);
    });
  };

  // Lazy: marked so, or (unless marked data-iklan-lazy="off") far from the viewport or not shown.
  const isLazy = (s) => {
    const mark = s.el.getAttribute("data-iklan-lazy");
    if (mark !== null) return !/^(off|false|0)$/i.test(mark);
    const r = s.el.getBoundingClientRect(), h = innerHeight;
    return !s.el.getClientRects().length || r.top > 2 * h || r.bottom < -h;
  };

  const load = (list) => {
    const now = [];
    for (const s of list) {
      stop(s);
      s.state = "waiting";
      if (isLazy(s) && "IntersectionObserver" in w) {
        lazyObserver = lazyObserver || new IntersectionObserver(guard(onNear), { rootMargin: cfg.lazyMargin });
        lazyObserver.observe(s.el);
      } else now.push(s);
    }
    send(now);
  };

  function onNear(entries) {
    for (const e of entries) {
      const s = byElement.get(e.target);
      if (!e.isIntersecting || !s || s.state !== "waiting") continue;
      lazyObserver.unobserve(e.target);
      s.state = "near";
      pending.push(s);
    }
    // Slots that come near together share one request.
    if (pending.length && !flushTimer) flushTimer = setTimeout(guard(() => {
      flushTimer = 0;
      send(pending.splice(0).filter((s) => s.state === "near"));
    }), 50);
  }

  const send = (list) => {
    for (let i = 0; i < list.length; i += MAX_SLOTS) post(list.slice(i, i + MAX_SLOTS));
  };

  const post = (batch) => {
    if (!batch.length) return;
    const n = ++requests;
    batch.forEach((s) => { s.state = "requested"; s.request = n; });
    const body = { page: page(), slots: batch.map((s) => {
      const spec = { id: s.id };
      if (s.spec.sizes.length) spec.sizes = s.spec.sizes;
      if (s.spec.formats.length) spec.formats = s.spec.formats;
      return spec;
    }), user: { id: userId() }, device: { type: device() }, tmax: cfg.tmax };
    let json = JSON.stringify(body);
    while (body.page.text && new TextEncoder().encode(json).length > BODY_BYTES - 512) {
      body.page.text = body.page.text.slice(0, (body.page.text.length * 0.8) | 0);
      json = JSON.stringify(body);
    }
    const ctrl = new AbortController();
    const timer = setTimeout(() => ctrl.abort(new Error("no answer within tmax " + cfg.tmax + " ms")), cfg.tmax);
    fetch(cfg.server + "/v1/ads", {
      method: "POST", headers: { "Content-Type": "application/json" }, body: json,
      credentials: "omit", signal: ctrl.signal,
    }).then((res) => {
      if (!res.ok) throw new Error("HTTP " + res.status);
      return res.json();
    }).then((data) => {
      const ads = data && data.slots;
      if (!ads || typeof ads !== "object") throw new Error("malformed answer");
      batch.forEach((s) => s.request === n && render(s, ads[s.id]));
    }).catch((e) => {
      warn("no ads this time", e);
      batch.forEach((s) => s.request === n && render(s, null));
    }).finally(() => clearTimeout(timer));
  };

  const link = (href, cls) => {
    const a = el("a", cls);
    a.href = href;
    a.target = "_blank";
    a.rel = "noopener sponsored";
    return a;
  };
  const setSize = (e, size) => {
    if (!Array.isArray(size)) return;
    const [wd, ht] = size.map((n) => Math.floor(Number(n)));
    if (wd > 0 && wd <= 10000) e.width = wd;
    if (ht > 0 && ht <= 10000) e.height = ht;
  };
  const escapeAttr = (s) => s.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;");

  // [node to insert, node whose visibility counts], or null when the ad is unusable.
  const build = (ad, s) => {
    const click = safeUrl(ad.clickUrl), src = safeUrl(ad.imageUrl);
    const format = String(ad.format || "").toLowerCase();
    if (format === "image" && src && click) {
      const a = link(click, "iklan-ad"), img = el("img");
      img.src = src;
      img.alt = typeof ad.alt === "string" ? ad.alt : String(ad.advertiser || "Iklan");
      setSize(img, ad.size);
      a.appendChild(img);
      return [a, img];
    }
    if (format === "html" && typeof ad.html === "string") {
      const f = el("iframe", "iklan-ad");
      // Never allow-same-origin: the creative cannot reach the article, its cookies or storage,
      // and without allow-top-navigation it cannot take the reader away from the page.
      f.setAttribute("sandbox", "allow-scripts allow-popups allow-popups-to-escape-sandbox");
      f.srcdoc = click ? ad.html.replace(/%%CLICK_URL%%/g, escapeAttr(click)) : ad.html;
      f.title = "Iklan" + (ad.advertiser ? ": " + ad.advertiser : "");
      f.setAttribute("scrolling", "no");
      f.style.border = "0";
      setSize(f, ad.size);
      return [f, f];
    }
    if (format === "native" && click && typeof ad.title === "string") {
      const box = link(click, "iklan-native"), body = el("span", "iklan-native-text");
      if (src) {
        const img = el("img", "iklan-native-image");
        img.src = src;
        img.alt = "";
        box.appendChild(img);
      }
      body.appendChild(el("span", "iklan-native-title", ad.title));
      if (typeof ad.body === "string" && ad.body) body.appendChild(el("span", "iklan-native-body", ad.body));
      const label = attr(s.el, "data-sponsor-label") || "Disponsori oleh";
      body.appendChild(el("span", "iklan-native-sponsor", label + " " + String(ad.sponsor || ad.advertiser || "")));
      box.appendChild(body);
      return [box, box];
    }
    return null;
  };

  // An empty slot collapses, together with its "Iklan" label (a preceding .iklan-label sibling).
  const collapse = (e, empty) => {
    const prev = e.previousElementSibling;
    for (const x of [e, prev && prev.classList.contains("iklan-label") ? prev : null]) {
      if (x) { x.hidden = empty; x.style.display = empty ? "none" : ""; }
    }
    e.classList.toggle("iklan-empty", empty);
    e.classList.toggle("iklan-filled", !empty);
  };

  const render = (s, ad) => {
    let built = null;
    try { built = ad && typeof ad === "object" ? build(ad, s) : null; } catch (e) { warn("unusable ad for " + s.id, e); }
    s.el.replaceChildren();
    collapse(s.el, !built);
    s.state = "done";
    const info = built ? { campaignId: ad.campaignId, creativeId: ad.creativeId, format: ad.format } : {};
    if (built) {
      s.el.appendChild(built[0]);
      watch(s, built[1], safeUrl(ad.impressionUrl), info);
    }
    emit(s, "render", { filled: !!built, ...info });
  };

  const stop = (s) => {
    if (s.unwatch) s.unwatch();
    s.unwatch = null;
    lazyObserver?.unobserve(s.el);
  };

  // MRC display viewability: at least 50% of the ad's pixels in view, in a visible tab, for one
  // continuous second. Then the impression URL is called, once.
  const watch = (s, target, url, info) => {
    if (!url || !("IntersectionObserver" in w)) return;
    let inView = false, timer = 0;
    const check = () => {
      const on = inView && !d.hidden;
      if (on && !timer) timer = setTimeout(fire, 1000);
      if (!on && timer) { clearTimeout(timer); timer = 0; }
    };
    const io = new IntersectionObserver(guard((entries) => {
      for (const e of entries) inView = e.isIntersecting && e.intersectionRatio >= 0.5;
      check();
    }), { threshold: [0, 0.5, 1] });
    const unwatch = () => {
      clearTimeout(timer);
      io.disconnect();
      d.removeEventListener("visibilitychange", check);
    };
    const fire = guard(() => {
      unwatch();
      s.unwatch = null;
      fetch(url, { mode: "no-cors", keepalive: true, credentials: "omit" }).catch(() => {});
      emit(s, "impression", info);
    });
    io.observe(target);
    d.addEventListener("visibilitychange", check);
    s.unwatch = unwatch;
  };

  // ---- the public API ----
  const display = () => ready(() => {
    scan();
    load([...slots.values()].filter((s) => s.state === "new"));
  });

  const refresh = (ids) => ready(() => {
    scan();
    if (ids == null) { articleText = null; } // a new page view (single-page sites)
    const wanted = ids == null ? null : new Set(list(ids));
    const chosen = [...slots.values()].filter((s) => !wanted || wanted.has(s.id));
    chosen.forEach((s) => {
      stop(s);
      s.el.replaceChildren();
      collapse(s.el, false);
      s.el.classList.remove("iklan-filled");
    });
    load(chosen);
  });

  const defineSlot = (target, opts) => {
    const e = typeof target === "string" ? d.getElementById(target) : target;
    const o = opts || {};
    const id = String(o.id || (e && e.id) || "");
    if (!e || !id) return warn("defineSlot: no element or no id", target), null;
    e.setAttribute("data-iklan-slot", id);
    const sz = sizes(o.sizes);
    if (sz.length) e.setAttribute("data-sizes", sz.map((s) => s.join("x")).join(","));
    if (o.formats) e.setAttribute("data-formats", list(o.formats).join(","));
    if (o.lazy != null) e.setAttribute("data-iklan-lazy", o.lazy ? "" : "off");
    return id;
  };

  const run = (fn) => {
    try { if (typeof fn === "function") fn(); } catch (e) { warn("command failed", e); }
  };
  const queued = Array.isArray(api.cmd) ? api.cmd : [];
  Object.assign(api, {
    version: VERSION,
    display: guard(display),
    refresh: guard(refresh),
    defineSlot: guard(defineSlot),
    setPage: guard((p) => { overrides = p ? { ...p } : {}; articleText = null; }),
    setConfig: guard((c) => {
      for (const k of Object.keys(cfg)) if (c && c[k] != null) cfg[k] = c[k];
      cfg.tmax = Math.max(1, Math.floor(Number(cfg.tmax)) || 1000);
    }),
    cmd: { push: (...fns) => { fns.forEach(run); return fns.length; } },
  });
  // Default looks for native ads, at zero specificity: any publisher rule wins.
  d.head?.prepend(el("style", null, ":where(.iklan-native){display:flex;gap:12px;color:inherit;text-decoration:none}" +
    ":where(.iklan-native-image){flex:none;width:120px;height:80px;object-fit:cover}" +
    ":where(.iklan-native-text){display:flex;flex-direction:column;gap:4px}" +
    ":where(.iklan-native-title){font-weight:700}:where(.iklan-native-sponsor){font-size:.8em;opacity:.75}"));
  queued.forEach(run);
  if (cfg.auto) display();
})();
