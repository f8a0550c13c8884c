// Small inline SVG icons (built with createElementNS, no markup strings): they look the same on
// every platform, unlike emoji, which headless or minimal systems may lack fonts for.
const NS = "http://www.w3.org/2000/svg";

const PATHS = {
  pencil: ["M4 20l1-5L16 4l4 4L9 19z", "M14 6l4 4"],
  eraser: ["M3 16l9-9 7 7-6 6H7z", "M8 11l6 6", "M13 20h8"],
  trash: ["M4 7h16", "M9 7V4h6v3", "M6 7l1 13h10l1-13", "M10 11v6", "M14 11v6"],
  undo: ["M9 14L4 9l5-5", "M4 9h10a6 6 0 010 12h-3"],
  soundOn: ["M4 9v6h4l5 4V5L8 9z", "M16 9a4 4 0 010 6", "M18.5 6.5a8 8 0 010 11"],
  soundOff: ["M4 9v6h4l5 4V5L8 9z", "M17 9l5 6", "M22 9l-5 6"],
  crown: ["M3 8l4 4 5-7 5 7 4-4-2 11H5z"],
  robot: ["M5 8h14v11H5z", "M12 4v4", "M9 13h.01", "M15 13h.01", "M9 16h6", "M2 12v3", "M22 12v3"],
  eye: ["M2 12s4-7 10-7 10 7 10 7-4 7-10 7S2 12 2 12z", "M12 9a3 3 0 110 6 3 3 0 010-6z"],
  bolt: ["M13 2L4 14h7l-1 8 9-12h-7z"],
  check: ["M4 12l5 5L20 6"],
  kick: ["M6 6l12 12", "M18 6L6 18"],
  thumbDown: ["M10 15v4a3 3 0 003 3l4-9V3H6.7a2 2 0 00-2 1.7L3.4 12A2 2 0 005.4 14H10z", "M17 3h3v10h-3"],
};

/** An <svg> icon; `label` makes it announced by screen readers, else it is decorative. */
export function icon(name, { size = 20, label = "" } = {}) {
  const svg = document.createElementNS(NS, "svg");
  svg.setAttribute("viewBox", "0 0 24 24");
  svg.setAttribute("width", String(size));
  svg.setAttribute("height", String(size));
  svg.setAttribute("fill", "none");
  svg.setAttribute("stroke", "currentColor");
  svg.setAttribute("stroke-width", "2");
  svg.setAttribute("stroke-linecap", "round");
  svg.setAttribute("stroke-linejoin", "round");
  svg.setAttribute("class", `icon icon-${name}`);
  if (label) {
    svg.setAttribute("role", "img");
    svg.setAttribute("aria-label", label);
  } else {
    svg.setAttribute("aria-hidden", "true");
  }
  for (const d of PATHS[name] || []) {
    const p = document.createElementNS(NS, "path");
    p.setAttribute("d", d);
    svg.append(p);
  }
  return svg;
}
