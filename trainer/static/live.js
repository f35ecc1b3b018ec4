// Live sessions: follow the presenter by polling the session's state (phones every 2 seconds;
// the presenter's one screen each second, so answers show up quickly).
// Without this file the pages still work: participants reload, the presenter presses buttons.
const POLL_MS = 2000;

for (const root of document.querySelectorAll("[data-live-poll]")) {
  const url = root.dataset.livePoll;
  const version = Number(root.dataset.version);
  const count = root.querySelector("#live-count");
  const every = Number(root.dataset.interval) || POLL_MS;
  // A phone's pass lets the server answer its poll without opening the session cookie.
  const headers = root.dataset.livePass ? { "X-Live-Pass": root.dataset.livePass } : {};

  const poll = async () => {
    try {
      // "no-cache" revalidates with the stored ETag: an unchanged state is a bodiless 304.
      const response = await fetch(url, { cache: "no-cache", credentials: "same-origin", headers });
      if (response.ok) {
        const state = await response.json();
        if (state.version !== version) {
          window.location.reload();
          return;
        }
        if (count && state.counts) {
          count.textContent = String(state.counts.total);
        }
      }
    } catch {
      // A dropped connection on conference wifi: try again at the next tick.
    }
    window.setTimeout(poll, every);
  };
  window.setTimeout(poll, every);
}
