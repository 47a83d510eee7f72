/* gardien cookie banner (docs/banner.md): nothing is set before the visitor chooses. */
(() => {
  "use strict";
  const me = document.currentScript;
  if (!me || window.gardien) return;
  const base = me.src.replace(/consent\.js(\?.*)?$/, "");
  const gpc = navigator.globalPrivacyControl === true;
  const pick = (tag) => (/^(fr|en)/i.exec(tag || "") || [])[1];
  const lang = (pick(document.documentElement.lang) || pick(navigator.language) || "fr").toLowerCase();
  let cfg, t, root, panel, status, state = null;

  const el = (tag, attrs, ...kids) => {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === "on") node.addEventListener("click", v);
      else node.setAttribute(k, v);
    }
    for (const kid of kids) if (kid != null) node.append(kid);
    return node;
  };
  const say = (text, values) => text.replace(/\{(\w+)\}/g, (_, k) => values[k]);

  function read() {
    const name = cfg.cookie.name + "=";
    for (const part of document.cookie.split("; ")) {
      if (part.startsWith(name)) {
        try { return JSON.parse(decodeURIComponent(part.slice(name.length))); } catch (e) { return null; }
      }
    }
    return null;
  }

  function write(s) {
    const secure = location.protocol === "https:" ? "; Secure" : "";
    document.cookie = cfg.cookie.name + "=" + encodeURIComponent(JSON.stringify(s)) +
      "; Max-Age=" + cfg.cookie.max_age + "; Path=/; SameSite=Lax" + secure;
  }

  const current = () => state && state.v === cfg.version ? state.c : {};
  const decided = () => cfg.purposes.every((p) => p.id in current());

  function apply() {
    const c = current();
    for (const p of cfg.purposes) {
      if (c[p.id] === 1) continue;
      for (const k of p.cookies) document.cookie = k.name + "=; Max-Age=0; Path=/";
    }
    for (const old of document.querySelectorAll("script[type='text/plain'][data-gardien-purpose]")) {
      const ids = old.getAttribute("data-gardien-purpose").split(/\s+/);
      if (!ids.every((id) => c[id] === 1)) continue;
      const run = document.createElement("script");
      for (const a of old.attributes) if (a.name !== "type") run.setAttribute(a.name, a.value);
      run.removeAttribute("data-gardien-purpose");
      run.nonce = old.nonce;
      run.text = old.text;
      old.replaceWith(run);
    }
    const given = cfg.purposes.filter((p) => c[p.id] === 1).map((p) => p.id);
    const refused = cfg.purposes.filter((p) => c[p.id] === 0).map((p) => p.id);
    document.dispatchEvent(new CustomEvent("gardien:consent", { detail: { given, refused, gpc } }));
  }

  async function record(method, choices) {
    const visitor = (state && state.id) || Array.from(crypto.getRandomValues(new Uint8Array(16)),
      (b) => b.toString(16).padStart(2, "0")).join("");
    const response = await fetch(base + "consent-choices", {
      method: "POST", credentials: "omit",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ visitor, version: cfg.version, lang, method, choices, gpc }),
    });
    if (response.status !== 201) throw new Error("not recorded");
    const answer = await response.json();
    const c = Object.assign({}, current());
    for (const choice of answer.choices) c[choice.purpose] = choice.status === "given" ? 1 : 0;
    state = { v: cfg.version, id: visitor, t: Math.floor(Date.now() / 1000), c, g: gpc ? 1 : 0 };
    write(state);
    return answer;
  }

  async function choose(method, choices) {
    try {
      await record(method, choices);
    } catch (e) {
      status.textContent = t.failed;
      return;
    }
    close();
    apply();
  }

  const all = (given) => Object.fromEntries(cfg.purposes.map((p) => [p.id, given && !(gpc && p.gpc)]));

  const close = () => { if (root) root.remove(); root = null; };

  function cookieLine(k) {
    const line = say(t.cookie, { name: k.name, description: k.description[lang], lifetime: k.lifetime[lang] });
    return el("li", {}, line.replace(/\s+/g, " "), k.provider[lang] ? " " + say(t.provider, { provider: k.provider[lang] }) : null);
  }

  function purposeBlock(p, c) {
    const id = "gardien-p-" + p.id.replace(/[^\w-]/g, "_");
    const blocked = gpc && p.gpc;
    const box = el("input", { type: "checkbox", role: "switch", id, "data-purpose": p.id });
    box.checked = !blocked && c[p.id] === 1;
    box.disabled = blocked;
    return el("li", { class: "gardien-purpose" },
      el("div", { class: "gardien-switch" }, box, el("label", { for: id }, p.name[lang])),
      el("p", {}, p.description[lang]),
      el("p", { class: "gardien-wording" }, p.wording[lang]),
      blocked ? el("p", { class: "gardien-gpc" }, t.gpc_switch) : null,
      el("ul", { class: "gardien-cookies" }, ...p.cookies.map(cookieLine)));
  }

  function showPanel() {
    const c = current();
    panel.replaceChildren(
      el("h3", {}, t.purposes),
      el("ul", { class: "gardien-purposes" }, ...cfg.purposes.map((p) => purposeBlock(p, c))),
      el("h3", {}, t.essential),
      el("p", {}, t.essential_note),
      el("ul", { class: "gardien-cookies" }, ...cfg.essential.map(cookieLine)),
      el("button", { type: "button", class: "gardien-button", on: () => {
        const choices = {};
        for (const box of panel.querySelectorAll("input[data-purpose]")) choices[box.dataset.purpose] = box.checked;
        choose("choose", choices);
      } }, t.save));
    panel.hidden = false;
    const first = panel.querySelector("input:not([disabled])") || panel.querySelector("button");
    first.focus();
  }

  function show(gpcRefused, choosing) {
    close();
    const settled = decided();
    const names = cfg.purposes.filter((p) => gpcRefused.includes(p.id)).map((p) => p.name[lang]);
    panel = el("div", { class: "gardien-panel", hidden: "" });
    status = el("p", { class: "gardien-status", role: "status" });
    const buttons = settled && names.length && !choosing
      ? [el("button", { type: "button", class: "gardien-button", on: close }, t.close)]
      : [
        el("button", { type: "button", class: "gardien-button", on: () => choose("accept_all", all(true)) }, t.accept),
        el("button", { type: "button", class: "gardien-button", on: () => choose("refuse_all", all(false)) }, t.refuse),
        el("button", { type: "button", class: "gardien-button", on: showPanel }, t.choose),
      ];
    root = el("div", { class: "gardien-banner", role: "dialog", "aria-modal": "false", "aria-labelledby": "gardien-title", lang },
      el("h2", { id: "gardien-title" }, t.title),
      el("p", {}, t.intro),
      names.length ? el("p", { class: "gardien-gpc" }, say(t.gpc, { purposes: names.join(", ") })) : null,
      el("p", {}, el("a", { href: new URL(cfg.notice[lang], me.src).href }, t.notice)),
      el("div", { class: "gardien-buttons" }, ...buttons),
      status, panel);
    document.body.prepend(root);
    if (choosing) showPanel();
  }

  const open = () => cfg && show([], true);

  async function start() {
    cfg = await (await fetch(base + "consent-config.json", { credentials: "omit" })).json();
    t = cfg.texts[lang];
    state = read();
    let gpcRefused = [];
    const pending = cfg.purposes.filter((p) => gpc && p.gpc && !(p.id in current()));
    if (pending.length) {
      try {
        const answer = await record("gpc", Object.fromEntries(pending.map((p) => [p.id, false])));
        gpcRefused = answer.gpc_refused;
      } catch (e) { /* asked again below, like any undecided purpose */ }
    }
    if (!decided() || gpcRefused.length) show(gpcRefused, false);
    apply();
  }

  window.gardien = { open, choices: () => Object.assign({}, current()) };
  document.addEventListener("click", (event) => {
    const opener = event.target.closest && event.target.closest("[data-gardien-open]");
    if (opener) { event.preventDefault(); open(); }
  });
  const link = el("link", { rel: "stylesheet", href: base + "consent.css" });
  const go = () => start().catch(() => {});
  link.addEventListener("load", go, { once: true });
  link.addEventListener("error", go, { once: true });
  document.head.append(link);
})();
