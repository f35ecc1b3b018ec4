// Live sessions: follow the presenter by polling the session's state (phones every 2 seconds;
// the presenter's one screen each second, so answers show up quickly).
// Without this file the pages still work: participants reload and vote with the plain form,
// the presenter presses buttons.
import { initAll } from "./build/govuk-frontend.min.js";

const POLL_MS = 2000;

// Each tick is a little early or late, so phones that a slow moment bunched together drift
// apart again instead of asking at the same instant for the rest of the session.
const jittered = (ms) => ms * (0.9 + Math.random() * 0.2);

// A phone's room page: when the state changes it fetches only the part that follows the
// presenter, at a random moment within the next poll interval, so a room full of phones
// does not ask for it all at once. Votes are sent the same way and answered with the part.
const follow = (root, every) => {
  const stage = root.querySelector("#live-stage");
  const status = root.querySelector("#live-status");
  const partUrl = root.dataset.livePart;
  let waiting = false;

  // The part carries its version: a later poll that finds a newer one fetches it again.
  const show = (html, announce) => {
    const hadFocus = stage.contains(document.activeElement);
    stage.innerHTML = html;
    initAll({ scope: stage });
    const part = stage.firstElementChild;
    root.dataset.version = part?.dataset.version ?? root.dataset.version;
    if (announce && status) {
      status.textContent = part?.dataset.status ?? "";
    }
    // Focus that was in the old part goes to what changed: the message after a vote (an
    // error summary or a success banner takes it itself), else the stage's heading.
    if (hadFocus && !stage.contains(document.activeElement)) {
      const banner = announce ? null : stage.querySelector(".govuk-notification-banner");
      banner?.setAttribute("tabindex", "-1");
      (banner ?? stage.querySelector("h2"))?.focus();
    }
  };

  stage.addEventListener("submit", async (event) => {
    const form = event.target;
    event.preventDefault();
    try {
      const response = await fetch(partUrl, {
        method: "POST",
        body: new FormData(form),
        credentials: "same-origin",
      });
      if (!response.ok) {
        throw new Error(String(response.status));
      }
      show(await response.text(), false);
    } catch {
      HTMLFormElement.prototype.submit.call(form); // send it the plain way instead
    }
  });

  return () => {
    if (waiting) {
      return;
    }
    waiting = true;
    window.setTimeout(async () => {
      try {
        const response = await fetch(partUrl, { credentials: "same-origin" });
        if (response.status === 404) {
          window.location.reload();
          return;
        }
        if (response.ok) {
          show(await response.text(), true);
        }
      } catch {
        // Not fetched: the next poll still sees a newer version and tries again.
      }
      waiting = false;
    }, Math.random() * every);
  };
};

for (const root of document.querySelectorAll("[data-live-poll]")) {
  const url = root.dataset.livePoll;
  const count = root.querySelector("#live-count");
  const every = Number(root.dataset.interval) || POLL_MS;
  // A phone's pass lets the server answer its poll without opening the session cookie.
  const headers = root.dataset.livePass ? { "X-Live-Pass": root.dataset.livePass } : {};
  const changed = root.dataset.livePart ? follow(root, every) : () => window.location.reload();

  const poll = async () => {
    try {
      // "no-cache" revalidates with the stored ETag: an unchanged state is a bodiless 304.
      const response = await fetch(url, { cache: "no-cache", credentials: "same-origin", headers });
      if (response.ok) {
        const state = await response.json();
        if (state.version > Number(root.dataset.version)) {
          changed();
        }
        if (count && state.counts) {
          count.textContent = String(state.counts.total);
        }
      }
    } catch {
      // A dropped connection on conference wifi: try again at the next tick.
    }
    window.setTimeout(poll, jittered(every));
  };
  window.setTimeout(poll, jittered(every));
}
