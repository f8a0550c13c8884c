// Opt-in training data (docs/protocol.md, "Training data"): the landing checkbox's payload fields, the
// privacy note, and the lobby's panel (how many share, my own switch, my contributor id).
import { h, setText } from "./dom.js";

const CONTRIBUTOR_KEY = "doodleai.contributor";

function storedContributor() {
  try { return localStorage.getItem(CONTRIBUTOR_KEY) || ""; } catch { return ""; }
}

/** `consent` and, when sharing, the contributor id this browser got before (one person, one id). */
export function consentFields(on) {
  const id = on ? storedContributor() : "";
  return id ? { consent: true, contributor: id } : { consent: !!on };
}

/** Keeps the id an ack gave out (null while not sharing: the stored one stays for next time). */
export function rememberContributor(id) {
  if (!id) return;
  try { localStorage.setItem(CONTRIBUTOR_KEY, id); } catch { /* private mode */ }
}

/** What is kept, what never is, how long, how to have it deleted (README "Privacy" says the same). */
export function privacyNote() {
  return h("details.privacy#privacy-note",
    h("summary", "What sharing keeps"),
    h("ul",
      h("li", "Kept, only if you tick the box: your drawings' strokes (as they end, with their timing), the word, when they were drawn, and whether people and the AI recognized them."),
      h("li", "Never kept: your nickname, chat, IP address or country. Spectators are never recorded."),
      h("li", "Kept for up to 180 days, to train the next AI model; exported drawings carry only a random id."),
      h("li", "Change your mind at any time in the lobby. To delete what was kept, send the operator your contributor id (shown in the lobby while you share).")));
}

/** The landing screen's checkbox (off by default) with its note. */
export function consentBox() {
  const input = h("input#consent", { type: "checkbox", name: "consent" });
  const el = h("div.consent",
    h("label.field.check#consent-label", h("span", "Let my drawings help train the AI"), input),
    privacyNote());
  return { el, input };
}

/** The lobby's training-data panel: a room-level count for the host and everyone, and my switch. */
export class TrainingPanel {
  constructor(app) {
    this.app = app;
    this.count = h("p.training-count#training-count");
    this.toggle = h("input#share-drawings", { type: "checkbox",
      onchange: () => this.app.setConsent(this.toggle.checked) });
    this.id = h("p.contributor-id#contributor-id");
    this.el = h("div.training#training-panel", this.count,
      h("label.field.check", h("span", "Let my drawings help train the AI"), this.toggle), this.id, privacyNote());
  }

  update() {
    const { room } = this.app;
    const v = room.view;
    if (!v) return;
    const humans = v.players.filter((p) => p.kind !== "ai");
    const sharing = humans.filter((p) => p.shares).length;
    setText(this.count, sharing
      ? `Training data: ${sharing} of ${humans.length} players share their drawings with the AI.`
      : "Training data: nobody in this room shares their drawings.");
    const me = room.me && v.players.find((p) => p.id === room.me.id);
    this.toggle.disabled = !me; // spectators never share
    this.toggle.checked = !!(me && me.shares);
    const id = me && me.shares ? this.app.contributor : "";
    this.id.hidden = !id;
    setText(this.id, id ? `Your contributor id (for deletion requests): ${id}` : "");
  }
}
