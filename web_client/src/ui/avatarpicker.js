// The landing page's avatar picker: a preview, a row of colours, of faces and of shapes. Every pick is
// kept in localStorage at once (ui/avatar.js) and sent with the next join.
import { avatarEl, FACES, formatAvatar, parseAvatar, saveAvatar, savedAvatar, SHAPES } from "./avatar.js";
import { h } from "./dom.js";
import { PROTOCOL } from "../protocol.js";

/** The picker element (self-contained: it reads and writes the stored avatar). */
export function avatarPicker() {
  let current = parseAvatar(savedAvatar());
  const preview = h("span.avatar-preview#avatar-preview");
  const rows = h("div.avatar-rows");
  const render = () => {
    const code = formatAvatar(current);
    preview.replaceChildren(avatarEl("", "", code, ".big"));
    preview.dataset.avatar = code;
    rows.replaceChildren(
      row("color", PROTOCOL.avatar.colors, (i) => ({ ...current, color: i }), "Colour"),
      row("face", FACES.length, (i) => ({ ...current, face: i }), "Face"),
      row("shape", SHAPES.length, (i) => ({ ...current, shape: i }), "Shape"),
    );
  };
  const row = (field, n, variant, label) => h(`div.avatar-row`, { role: "radiogroup", "aria-label": label },
    Array.from({ length: n }, (_, i) => {
      const code = formatAvatar(variant(i));
      return h(`button.avatar-pick${current[field] === i ? ".active" : ""}`, {
        type: "button", title: `${label} ${i + 1}`, dataset: { [field]: i }, role: "radio",
        "aria-checked": String(current[field] === i),
        onclick: () => { current = variant(i); saveAvatar(formatAvatar(current)); render(); },
      }, avatarEl("", "", code, ".small"));
    }));
  render();
  return h("div.field.avatar-field#avatar-picker", h("span", "Avatar"), h("div.avatar-box", preview, rows));
}
