// Landing screen: nickname; create a private room; join by code or invite link; quick play; watch.
import { consentBox } from "./consent.js";
import { h, logo } from "./dom.js";
import { avatarPicker } from "./avatarpicker.js";
import { icon } from "./icons.js";
import { PublicRooms } from "./publicrooms.js";
import { LIMITS } from "../protocol.js";

const NAME_KEY = "doodleai.name";

/** The room code of an invite link (/r/CODE), or "". */
export function inviteCode() {
  const m = /^\/r\/([^/?#]+)/.exec(location.pathname);
  return m ? decodeURIComponent(m[1]).toUpperCase() : "";
}

export class LandingScreen {
  constructor(app) {
    this.app = app;
  }

  mount(root) {
    let saved = "";
    try { saved = localStorage.getItem(NAME_KEY) || ""; } catch { /* private mode */ }
    const invited = inviteCode();
    this.name = h("input#name", {
      type: "text", maxlength: LIMITS.name, placeholder: "Your nickname", autocomplete: "nickname", value: saved,
      "aria-label": "Nickname", required: true,
    });
    this.code = h("input#code", {
      type: "text", maxlength: 16, placeholder: "Room code", value: invited, autocapitalize: "characters",
      "aria-label": "Room code", spellcheck: "false",
    });
    this.error = h("p.form-error#landing-error", { role: "alert" });
    this.consent = consentBox(); // off by default, every time
    const consent = () => this.consent.input.checked;
    const busy = (fn) => async (e) => {
      e.preventDefault();
      const name = this.name.value.trim();
      if (!name) {
        this.showError("Pick a nickname first.");
        this.name.focus();
        return;
      }
      try { localStorage.setItem(NAME_KEY, name); } catch { /* private mode */ }
      root.querySelectorAll("button").forEach((b) => { b.disabled = true; });
      this.showError("");
      try {
        await fn(name);
      } finally {
        root.querySelectorAll("button").forEach((b) => { b.disabled = false; });
      }
    };
    const join = (spectate) => busy((name) => {
      const code = this.code.value.trim();
      if (!code) { this.showError("Enter a room code (or open an invite link)."); return null; }
      return this.app.joinRoom(code, name, spectate, consent());
    });

    const card = h("section.card.landing",
      logo(),
      h("p.tagline", "Draw, guess, and race an AI that watches every stroke."),
      invited ? h("p.invite-note#invite-note", "You're invited to room ", h("strong", invited), "!") : null,
      h("form.stack", { onsubmit: invited ? join(false) : busy((n) => this.app.createRoom(n, consent())) },
        h("label.field", h("span", "Nickname"), this.name),
        avatarPicker(),
        this.consent.el,
        invited
          ? h("button.btn.primary.big#join-invite", { type: "submit" }, "Join the game")
          : h("button.btn.primary.big#create", { type: "submit" }, "Create a private room"),
      ),
      h("div.row.split",
        h("button.btn#quick", { type: "button", onclick: busy((n) => this.app.quickPlay(n, consent())) }, icon("bolt", { size: 18 }), " Quick play"),
        invited ? h("button.btn#create", { type: "button", onclick: busy((n) => this.app.createRoom(n, consent())) }, "New private room") : null,
      ),
      h("div.divider", h("span", "or join a room")),
      h("form.row.join-row", { onsubmit: join(false) },
        this.code,
        h("button.btn#join", { type: "submit" }, "Join"),
        h("button.btn.ghost#watch", { type: "button", onclick: join(true) }, icon("eye", { size: 18 }), " Watch"),
      ),
      this.error,
      this.publicRooms(busy),
    );
    root.append(h("main.screen.screen-landing", card, this.footer()));
    (saved ? (invited ? root.querySelector("#join-invite") : this.code) : this.name).focus();
  }

  /** The live list of public rooms (ui/publicrooms.js); a row joins as `busy` checks the nickname. */
  publicRooms(busy) {
    this.rooms = new PublicRooms(this.app, (code, e) => busy((name) => this.app.joinRoom(code, name, false))(e));
    this.rooms.start();
    return this.rooms.el;
  }

  footer() {
    return h("footer.credits",
      "Doodles by players; the AI learned from ",
      h("a", { href: "https://quickdraw.withgoogle.com/data", target: "_blank", rel: "noopener" }, "Quick, Draw!"),
      " data (CC BY 4.0).");
  }

  showError(text) {
    if (this.error) this.error.textContent = text;
  }

  update() {}
  destroy() { this.rooms?.stop(); }
}

/** Shown while a reloaded tab takes its seat back with the stored session token. */
export class RejoinScreen {
  constructor(app) {
    this.app = app;
  }

  mount(root) {
    root.append(h("main.screen.screen-landing",
      h("section.card.landing.center#rejoining", logo(),
        h("p.tagline", "Taking your seat back…"),
        h("div.spinner.dark"),
        h("button.btn.ghost#start-over", { type: "button", onclick: () => this.app.startOver() }, "Start over instead"))));
  }

  update() {}
  destroy() {}
}
