// Chat and guess box: messages (names and text as text nodes only), system notices, the input.
import { h } from "./dom.js";
import { LIMITS } from "../protocol.js";

const MAX_LINES = 200;

export class ChatBox {
  /**
   * @param {(text: string) => Promise<void>} onSend
   * @param {((id: string, name: string) => Node) | null} faceOf the sender's avatar (ui/avatar.js)
   */
  constructor(onSend, faceOf = null) {
    this.faceOf = faceOf;
    this.log = h("ul.chat-log#chat-log", { "aria-live": "polite" });
    this.input = h("input#chat-input", { type: "text", maxlength: LIMITS.chat, autocomplete: "off", placeholder: "Type your guess…", "aria-label": "Chat or guess" });
    this.form = h("form.chat-form#chat-form", {
      onsubmit: async (e) => {
        e.preventDefault();
        const text = this.input.value.trim();
        if (!text) return;
        this.input.value = "";
        await onSend(text);
      },
    }, this.input, h("button.btn.primary#chat-send", { type: "submit" }, "Send"));
    this.el = h("section.card.chat", this.log, this.form);
  }

  message(name, text, { channel = "all", mine = false, id = null } = {}) {
    const cls = channel === "knowers" ? ".knowers" : channel === "spectators" ? ".spectators" : "";
    this._push(h(`li.msg${cls}${mine ? ".mine" : ""}`, { dataset: { channel } },
      id && this.faceOf ? this.faceOf(id, name) : null,
      h("span.msg-name", name), channel === "spectators" ? h("span.msg-tag", "watching") : null,
      h("span.msg-text", text)));
  }

  /** Replaces the messages with `msgs` (the room's recent chat) from `me`'s point of view. */
  restore(msgs, me) {
    this.log.replaceChildren();
    for (const m of msgs) this.message(m.name, m.text, { channel: m.channel, mine: m.player_id === me, id: m.player_id });
  }

  system(text, kind = "info") {
    this._push(h(`li.sys.sys-${kind}`, text));
  }

  setPlaceholder(text, disabled = false) {
    this.input.placeholder = text;
    this.input.disabled = disabled;
  }

  _push(li) {
    const stick = this.log.scrollTop + this.log.clientHeight >= this.log.scrollHeight - 30;
    this.log.append(li);
    while (this.log.childElementCount > MAX_LINES) this.log.firstElementChild.remove();
    if (stick) this.log.scrollTop = this.log.scrollHeight;
  }
}
