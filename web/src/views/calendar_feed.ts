// The provider's calendar feed on the working-hours page: the secret iCal
// address of their own calendar, saved and removed through the REST API
// (PUT/DELETE /providers/{id}/calendar-feed), and the backend's last import
// (`calendarFeeds/{providerId}.status`), watched live. The address is a
// secret, readable only by admins and that provider's staff.
import { doc, onSnapshot, type Timestamp } from "firebase/firestore";
import { svc } from "../firebase";
import { h, replace, errorText } from "../dom";
import { callApi } from "../api";
import { feedStatusText, feedUrl, type FeedStatus } from "../time_off";
import type { Panel } from "./time_off";

interface FeedDoc {
  url?: string;
  status?: { state?: "ok" | "error"; checkedAt?: Timestamp; importedAt?: Timestamp; events?: number; error?: string | null };
}

const date = (t: Timestamp | undefined) => (t && typeof t.toDate === "function" ? t.toDate() : null);

export function calendarFeedPanel(): Panel {
  let providerId = "";
  let zone = "UTC";
  let stopDoc: (() => void) | null = null;
  let stored: FeedDoc | null = null;
  let edited = false;

  const url = h("input", {
    id: "feed-url", type: "url", inputmode: "url", autocomplete: "off", spellcheck: "false",
    placeholder: "https://calendar.google.com/calendar/ical/…/private-…/basic.ics",
    "aria-describedby": "feed-url-hint",
  });
  url.addEventListener("input", () => { edited = true; });
  const lastCheck = h("p", { class: "feed-status", id: "feed-status", role: "status" });
  const message = h("div", { class: "save-status", id: "feed-message", "aria-live": "polite" });
  const saveBtn = h("button", { class: "btn primary", type: "submit", id: "save-feed" }, "Save feed");
  const removeBtn = h("button", { class: "btn ghost danger", type: "button", id: "remove-feed", onclick: () => void remove() }, "Remove feed");

  const form = h("form", { class: "stack", novalidate: true },
    h("div", { class: "field" },
      h("label", { for: "feed-url" }, "Secret iCal address"),
      h("span", { class: "hint", id: "feed-url-hint" },
        "Google Calendar: Settings › your calendar › Integrate calendar › “Secret address in iCal format”. ",
        "Outlook: Settings › Calendar › Shared calendars › Publish a calendar › ICS link."),
      url),
    h("div", { class: "actions start" }, saveBtn, removeBtn));
  form.addEventListener("submit", (event) => { event.preventDefault(); void save(); });

  const el = h("section", { class: "card", "aria-labelledby": "feed-title" },
    h("h2", { id: "feed-title" }, "Calendar feed"),
    h("p", { class: "muted intro" }, "Events in the provider's own calendar block those times (events marked free do not). The feed is read every 15 minutes."),
    form, h("h3", { class: "small-head" }, "Last import"), lastCheck, message);

  function statusOf(d: FeedDoc | null): FeedStatus | null {
    const s = d?.status;
    if (!s) return null;
    return { state: s.state, checkedAt: date(s.checkedAt), importedAt: date(s.importedAt), events: s.events, error: s.error };
  }

  function draw(): void {
    if (!edited) url.value = stored?.url ?? "";
    removeBtn.hidden = !stored?.url;
    const status = statusOf(stored);
    lastCheck.dataset.state = stored?.url ? status?.state ?? "pending" : "none";
    replace(lastCheck, stored?.url ? feedStatusText(status, zone) : "No feed saved.");
  }

  async function save(): Promise<void> {
    const checked = feedUrl(url.value);
    if (!checked.url) {
      replace(message, h("p", { class: "form-error", role: "alert" }, checked.error));
      url.setAttribute("aria-invalid", "true");
      url.focus();
      return;
    }
    url.removeAttribute("aria-invalid");
    saveBtn.disabled = true;
    try {
      const result = await callApi<unknown>("PUT", `/providers/${encodeURIComponent(providerId)}/calendar-feed`, { url: checked.url });
      if (!result.ok) {
        replace(message, h("div", { class: "form-error validation", role: "alert" },
          h("strong", null, `Not saved: ${result.detail}`),
          result.errors.length ? h("ul", null, result.errors.map((e) => h("li", null, e))) : null));
        return;
      }
      edited = false;
      replace(message, h("p", { class: "ok", role: "status" }, "✓ Feed saved. Its events are imported within 15 minutes."));
    } catch (e) {
      replace(message, h("p", { class: "form-error", role: "alert" }, `Not saved: ${errorText(e)}`));
    } finally {
      saveBtn.disabled = false;
    }
  }

  async function remove(): Promise<void> {
    removeBtn.disabled = true;
    try {
      const result = await callApi<unknown>("DELETE", `/providers/${encodeURIComponent(providerId)}/calendar-feed`);
      if (!result.ok && result.status !== 404) {
        replace(message, h("p", { class: "form-error", role: "alert" }, `Not removed: ${result.detail}`));
        return;
      }
      edited = false;
      url.value = "";
      replace(message, h("p", { class: "ok", role: "status" }, "✓ Feed removed."));
    } catch (e) {
      replace(message, h("p", { class: "form-error", role: "alert" }, `Not removed: ${errorText(e)}`));
    } finally {
      removeBtn.disabled = false;
    }
  }

  function stop(): void {
    stopDoc?.();
    stopDoc = null;
  }

  return {
    el,
    show(id: string, inZone: string): void {
      if (id === providerId && inZone === zone) return;
      const zoneOnly = id === providerId;
      providerId = id;
      zone = inZone;
      if (zoneOnly) { draw(); return; }
      stop();
      stored = null;
      edited = false;
      url.value = "";
      replace(message);
      replace(lastCheck, "Loading…");
      stopDoc = onSnapshot(doc(svc().db, "calendarFeeds", id), (snap) => {
        stored = snap.exists() ? (snap.data() as FeedDoc) : null;
        draw();
      }, (e) => replace(lastCheck, h("span", { class: "form-error" }, `Could not load the feed: ${errorText(e)}`)));
    },
    stop,
  };
}
