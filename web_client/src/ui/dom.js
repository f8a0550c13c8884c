// Tiny DOM helpers. User data (names, chat, words) only ever goes in through textContent:
// `h` sets children from strings as text nodes and has no way to set innerHTML.
import { avatarEl } from "./avatar.js";
import { icon } from "./icons.js";

/**
 * h("button.primary#go", {onclick, disabled: true, dataset: {x: 1}}, "text", childNode, [more])
 * Attributes: on* -> listeners, `dataset`, `style` (object), booleans as properties, the rest setAttribute.
 */
export function h(spec, attrs = {}, ...children) {
  const [, tag = "div", rest = ""] = /^([a-z0-9-]*)(.*)$/i.exec(spec);
  const el = document.createElement(tag || "div");
  for (const part of rest.match(/[.#][^.#]+/g) || []) {
    if (part[0] === ".") el.classList.add(part.slice(1));
    else el.id = part.slice(1);
  }
  if (attrs === null || typeof attrs !== "object" || attrs instanceof Node || Array.isArray(attrs)) {
    children.unshift(attrs);
    attrs = {};
  }
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith("on") && typeof v === "function") el.addEventListener(k.slice(2), v);
    else if (k === "dataset") Object.assign(el.dataset, v);
    else if (k === "style" && typeof v === "object") Object.assign(el.style, v);
    else if (k === "class") el.className = v;
    else if (v === true || k === "value" || k === "checked") el[k] = v;
    else el.setAttribute(k, String(v));
  }
  append(el, children);
  return el;
}

export function append(el, children) {
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

export function clear(el) {
  while (el.firstChild) el.removeChild(el.firstChild);
  return el;
}

export function setText(el, text) {
  if (el.textContent !== text) el.textContent = text;
}

/** A player's avatar (ui/avatar.js): the picked one (`code`), else their initial on a colour from the id. */
export function avatar(id, name, extra = "", code = null) {
  return avatarEl(id, name, code, extra);
}

/** The DoodleAI wordmark (`small` for top bars). */
export function logo(small = false) {
  return small
    ? h("div.logo.small", h("span.logo-mark", icon("pencil", { size: 22 })), h("span.hide-narrow", "Doodle", h("span.accent", "AI")))
    : h("div.logo", h("span.logo-mark", icon("pencil", { size: 40 })), h("h1", "Doodle", h("span.accent", "AI")));
}

export function fmtTime(seconds) {
  if (seconds === null || seconds === undefined) return "";
  const s = Math.ceil(seconds);
  return s >= 60 ? `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}` : String(s);
}
