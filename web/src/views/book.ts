// The booking screen: type, provider (or any), a live week of free times
// in the browser's zone, and the booking dialog that follows the request
// from pending to confirmed or rejected.
import {
  collection, doc, getDoc, onSnapshot, serverTimestamp, setDoc, Timestamp, type Unsubscribe,
} from "firebase/firestore";
import { svc } from "../firebase";
import { h, replace, focusSoon, errorText } from "../dom";
import {
  activeTypes, catalogue, money, onCatalogue, providersFor, session, REASON_MESSAGES,
  type Appointment, type AppointmentType, type Provider,
} from "../data";
import {
  addDays, browserZone, dayKey, formatDateTime, formatDayLong, formatDayNum, formatDayShort,
  formatRange, formatTime, isoDates, sameDay, weekStart, zoneLabel,
} from "../time";
import { go } from "../router";
import { downloadIcs } from "./calendar";

interface SheetDoc {
  providerId: string;
  date: string;
  timeZone: string;
  available?: Record<string, Timestamp[]>;
}

const ANY = "any";

export function bookView(root: HTMLElement, params: URLSearchParams): () => void {
  const state = {
    typeId: params.get("type") ?? "",
    providerId: params.get("provider") ?? ANY,
    week: weekStart(parseDay(params.get("week")) ?? new Date()),
    rescheduleOf: params.get("rescheduleOf") ?? "",
    previous: null as Appointment | null,
  };
  const sheets = new Map<string, SheetDoc | null>(); // slot doc id -> data (null: none yet)
  const listeners = new Map<string, Unsubscribe>();
  let sheetError = "";
  let frame = 0;

  const heading = h("h1", null, "Book an appointment");
  const intro = h("div");
  const typePicker = h("div", { class: "picker-wrap" });
  const providerPicker = h("div", { class: "picker-wrap" });
  const weekBar = h("div", { class: "weekbar" });
  const grid = h("div", { class: "week", id: "week", "aria-live": "off" });
  const dialog = h("dialog", { class: "dialog", "aria-labelledby": "dialog-title" });
  dialog.addEventListener("close", () => replace(dialog));

  replace(root,
    h("section", { class: "page book" },
      h("div", { class: "page-head" }, heading, intro),
      h("div", { class: "choices" },
        h("section", { class: "card step", "aria-labelledby": "step-type" },
          h("h2", { id: "step-type" }, h("span", { class: "step-num", "aria-hidden": "true" }, "1"), "What would you like to book?"),
          typePicker),
        h("section", { class: "card step", "aria-labelledby": "step-provider" },
          h("h2", { id: "step-provider" }, h("span", { class: "step-num", "aria-hidden": "true" }, "2"), "With whom?"),
          providerPicker)),
      h("section", { class: "card step slots", "aria-labelledby": "step-time" },
        h("div", { class: "slots-head" },
          h("h2", { id: "step-time" }, h("span", { class: "step-num", "aria-hidden": "true" }, "3"), "Pick a time"),
          h("p", { class: "zone-note", id: "zone-note" },
            clockIcon(),
            " Times in your time zone: ", h("strong", null, zoneLabel(browserZone)))),
        weekBar,
        grid)),
    dialog);

  // ---------------------------------------------------------------- pickers

  function selectedType(): AppointmentType | undefined {
    return catalogue.types.get(state.typeId);
  }

  function relevantProviders(): Provider[] {
    const all = state.typeId ? providersFor(state.typeId) : [];
    if (state.providerId === ANY) return all;
    return all.filter((p) => p.id === state.providerId);
  }

  function drawIntro(): void {
    if (state.rescheduleOf) {
      const prev = state.previous;
      replace(intro, h("div", { class: "banner info", role: "note" },
        h("strong", null, "Rescheduling. "),
        prev
          ? `Your ${prev.typeName || "appointment"} on ${formatDateTime(prev.start.toDate())} stays booked until the new time is confirmed.`
          : "Pick a new time; your current appointment stays booked until the new one is confirmed.",
        " ",
        h("a", { href: "#/appointments" }, "Keep the current time")));
    } else {
      replace(intro, h("p", { class: "lede" }, "Choose a service and a free time. You get an answer within seconds."));
    }
  }

  function drawTypes(): void {
    const types = activeTypes();
    if (!catalogue.loaded.types) {
      replace(typePicker, h("p", { class: "muted" }, "Loading services…"));
      return;
    }
    if (!types.length) {
      replace(typePicker, h("p", { class: "empty" }, "No services are offered at the moment."));
      return;
    }
    if (!state.typeId || !catalogue.types.get(state.typeId)?.active) state.typeId = types[0].id;
    const locked = Boolean(state.rescheduleOf && state.previous);
    replace(typePicker, h("fieldset", { class: "cards" },
      h("legend", { class: "sr-only" }, "Service"),
      types.map((t) => {
        const id = `type-${t.id}`;
        const input = h("input", {
          type: "radio", name: "type", id, value: t.id, checked: t.id === state.typeId,
          disabled: locked && t.id !== state.typeId,
          onchange: () => { state.typeId = t.id; drawProviders(); resubscribe(); },
        });
        return h("div", { class: "choice" }, input,
          h("label", { for: id },
            h("span", { class: "choice-title" }, t.name),
            h("span", { class: "choice-meta" }, `${t.durationMinutes} min · ${money(t)}`),
            t.description ? h("span", { class: "choice-desc" }, t.description) : null));
      })));
  }

  function drawProviders(): void {
    if (!catalogue.loaded.providers) {
      replace(providerPicker, h("p", { class: "muted" }, "Loading providers…"));
      return;
    }
    const providers = state.typeId ? providersFor(state.typeId) : [];
    if (!providers.length) {
      replace(providerPicker, h("p", { class: "empty" }, "Nobody offers this service at the moment."));
      return;
    }
    if (state.providerId !== ANY && !providers.some((p) => p.id === state.providerId)) state.providerId = ANY;
    const option = (value: string, title: string, meta: string, initials: string) => {
      const id = `provider-${value}`;
      return h("div", { class: "choice" },
        h("input", {
          type: "radio", name: "provider", id, value, checked: state.providerId === value,
          onchange: () => { state.providerId = value; resubscribe(); },
        }),
        h("label", { for: id, class: "with-avatar" },
          h("span", { class: `avatar ${value === ANY ? "any" : ""}`, "aria-hidden": "true" }, initials),
          h("span", null,
            h("span", { class: "choice-title" }, title),
            h("span", { class: "choice-meta" }, meta))));
    };
    replace(providerPicker, h("fieldset", { class: "cards" },
      h("legend", { class: "sr-only" }, "Provider"),
      option(ANY, "Any provider", "First free provider", "✱"),
      providers.map((p) => option(p.id, p.name, zoneLabel(p.timeZone), initialsOf(p.name)))));
  }

  // ------------------------------------------------------------- listeners

  /** Provider-local dates that can hold a start inside the shown week (zones differ by < 2 days). */
  function wantedDocs(): string[] {
    const dates = isoDates(addDays(state.week, -2), addDays(state.week, 8));
    return relevantProviders().flatMap((p) => dates.map((d) => `${p.id}_${d}`));
  }

  function resubscribe(): void {
    const wanted = new Set(wantedDocs());
    for (const [id, unsub] of listeners) {
      if (!wanted.has(id)) {
        unsub();
        listeners.delete(id);
        sheets.delete(id);
      }
    }
    const { db } = svc();
    for (const id of wanted) {
      if (listeners.has(id)) continue;
      listeners.set(id, onSnapshot(doc(db, "slots", id), (snap) => {
        sheets.set(id, snap.exists() ? (snap.data() as SheetDoc) : null);
        schedule();
      }, (error) => {
        sheetError = errorText(error);
        schedule();
      }));
    }
    drawWeekBar();
    schedule();
  }

  function schedule(): void {
    if (frame) return;
    frame = requestAnimationFrame(() => {
      frame = 0;
      drawGrid();
    });
  }

  // ------------------------------------------------------------- week view

  function drawWeekBar(): void {
    const end = addDays(state.week, 6);
    const thisWeek = weekStart(new Date());
    const atStart = state.week.getTime() <= thisWeek.getTime();
    replace(weekBar,
      h("button", {
        class: "btn ghost", type: "button", disabled: atStart, "aria-label": "Previous week",
        onclick: () => { state.week = addDays(state.week, -7); resubscribe(); },
      }, "‹ Previous"),
      h("h3", { class: "week-label", id: "week-label", "aria-live": "polite" }, formatRange(state.week, end)),
      h("div", { class: "weekbar-right" },
        atStart ? null : h("button", {
          class: "btn ghost", type: "button",
          onclick: () => { state.week = thisWeek; resubscribe(); },
        }, "Today"),
        h("button", {
          class: "btn ghost", type: "button", "aria-label": "Next week",
          onclick: () => { state.week = addDays(state.week, 7); resubscribe(); },
        }, "Next ›")));
  }

  interface Slot { start: Date; providers: string[] }

  function slotsByDay(): { days: Map<string, Slot[]>; loading: boolean } {
    const type = selectedType();
    const days = new Map<string, Slot[]>();
    let loading = false;
    if (!type) return { days, loading: !catalogue.loaded.types };
    const now = Date.now();
    const earliest = now + (type.minNoticeMinutes ?? 0) * 60_000;
    const latest = now + (type.horizonDays ?? 60) * 86_400_000;
    const from = state.week.getTime();
    const to = addDays(state.week, 7).getTime();
    const byStart = new Map<number, string[]>();
    for (const id of listeners.keys()) {
      if (!sheets.has(id)) {
        loading = true;
        continue;
      }
      const sheet = sheets.get(id);
      if (!sheet?.available) continue;
      for (const ts of sheet.available[type.id] ?? []) {
        const ms = ts.toMillis();
        if (ms < from || ms >= to || ms < earliest || ms > latest) continue;
        const list = byStart.get(ms) ?? [];
        if (!list.includes(sheet.providerId)) list.push(sheet.providerId);
        byStart.set(ms, list);
      }
    }
    const order = (ids: string[]) => ids.sort((a, b) =>
      (catalogue.providers.get(a)?.name ?? a).localeCompare(catalogue.providers.get(b)?.name ?? b));
    for (const ms of [...byStart.keys()].sort((a, b) => a - b)) {
      const start = new Date(ms);
      const key = dayKey(start);
      const list = days.get(key) ?? [];
      list.push({ start, providers: order(byStart.get(ms)!) });
      days.set(key, list);
    }
    return { days, loading };
  }

  function drawGrid(): void {
    const focusedKey = (document.activeElement as HTMLElement | null)?.dataset?.start;
    const type = selectedType();
    if (sheetError) {
      replace(grid, h("p", { class: "empty error-state", role: "alert" }, `Could not load free times: ${sheetError}`));
      return;
    }
    if (!type || !relevantProviders().length) {
      replace(grid, h("p", { class: "empty" }, catalogue.loaded.types ? "Choose a service and a provider to see free times." : "Loading…"));
      return;
    }
    const { days, loading } = slotsByDay();
    grid.setAttribute("aria-busy", loading ? "true" : "false");
    const today = new Date();
    let total = 0;
    const columns = [0, 1, 2, 3, 4, 5, 6].map((i) => {
      const day = addDays(state.week, i);
      const key = dayKey(day);
      const slots = days.get(key) ?? [];
      total += slots.length;
      const past = day < new Date(today.getFullYear(), today.getMonth(), today.getDate());
      const label = formatDayLong(day);
      return h("div", {
        class: `day${sameDay(day, today) ? " today" : ""}${past ? " past" : ""}${slots.length ? "" : " none"}`,
        role: "group", "aria-label": label, dataset: { day: key },
      },
        h("div", { class: "day-head" },
          h("span", { class: "dow" }, formatDayShort(day)),
          h("span", { class: "date" }, formatDayNum(day)),
          h("span", { class: "count" }, slots.length ? `${slots.length} free` : "")),
        h("div", { class: "day-slots" },
          loading && !slots.length
            ? h("span", { class: "skeleton", "aria-hidden": "true" })
            : slots.length
              ? slots.map((s) => h("button", {
                  class: "slot", type: "button",
                  dataset: { start: s.start.toISOString(), providers: s.providers.join(",") },
                  "aria-label": `${formatTime(s.start)}, ${label}${s.providers.length > 1 ? `, ${s.providers.length} providers free` : ""}`,
                  onclick: () => openBooking(s),
                }, formatTime(s.start)))
              : h("span", { class: "no-slots" }, past ? "—" : "No free times")));
    });
    replace(grid,
      h("div", { class: "week-grid" }, columns),
      !loading && total === 0
        ? h("div", { class: "empty week-empty" },
            h("p", null, "No free times this week."),
            h("button", {
              class: "btn", type: "button",
              onclick: () => { state.week = addDays(state.week, 7); resubscribe(); },
            }, "Try next week"))
        : null);
    if (focusedKey) {
      const again = grid.querySelector<HTMLElement>(`[data-start="${focusedKey}"]`);
      if (again) again.focus();
    }
  }

  // ---------------------------------------------------------------- booking

  /** This screen's route with the current choices, to come back to after signing in. */
  function here(): string {
    const q = new URLSearchParams({ type: state.typeId, provider: state.providerId, week: dayKey(state.week) });
    if (state.rescheduleOf) q.set("rescheduleOf", state.rescheduleOf);
    return `book?${q}`;
  }

  function openBooking(slot: { start: Date; providers: string[] }): void {
    const type = selectedType();
    if (!type) return;
    const providerId = slot.providers[0];
    const provider = catalogue.providers.get(providerId);
    const end = new Date(slot.start.getTime() + type.durationMinutes * 60_000);
    const title = h("h2", { id: "dialog-title" }, state.rescheduleOf ? "Move your appointment here?" : "Confirm your booking");
    const close = () => dialog.close();

    const summary = h("dl", { class: "summary" },
      h("dt", null, "Service"), h("dd", null, `${type.name} · ${type.durationMinutes} min · ${money(type)}`),
      h("dt", null, "With"), h("dd", null, provider?.name ?? providerId,
        state.providerId === ANY && slot.providers.length > 1 ? h("span", { class: "muted" }, " (first free provider)") : null),
      h("dt", null, "When"), h("dd", null,
        h("strong", null, formatDayLong(slot.start)), h("br"),
        `${formatTime(slot.start)} – ${formatTime(end)} `, h("span", { class: "muted" }, `(${browserZone})`),
        provider && provider.timeZone !== browserZone
          ? h("span", { class: "muted block" }, `${formatTime(slot.start, provider.timeZone)} for ${provider.name.split(" ").slice(-1)[0]} (${provider.timeZone})`)
          : null));

    if (!session.user) {
      replace(dialog,
        h("div", { class: "dialog-body" }, title, summary,
          h("p", null, "Sign in or create an account to book this time."),
          h("div", { class: "actions" },
            h("button", { class: "btn ghost", type: "button", onclick: close }, "Back"),
            h("button", { class: "btn primary", type: "button", onclick: () => { close(); go(`signin?next=${encodeURIComponent(here())}`); } }, "Sign in to book"))));
      dialog.showModal();
      return;
    }

    const notes = h("textarea", { id: "notes", maxlength: "1000", rows: "2", placeholder: "Anything the provider should know (optional)" });
    const error = h("p", { class: "form-error", role: "alert" });
    const confirm = h("button", { class: "btn primary", type: "submit" }, state.rescheduleOf ? "Reschedule" : "Book");
    const form = h("form", { class: "dialog-body", method: "dialog" },
      title, summary,
      h("div", { class: "field" }, h("label", { for: "notes" }, "Notes"), notes),
      error,
      h("div", { class: "actions" },
        h("button", { class: "btn ghost", type: "button", onclick: close }, "Back"),
        confirm));
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      confirm.disabled = true;
      confirm.textContent = "Sending…";
      error.textContent = "";
      try {
        await submitRequest(type, providerId, slot.start, notes.value.trim());
      } catch (e) {
        confirm.disabled = false;
        confirm.textContent = state.rescheduleOf ? "Reschedule" : "Book";
        error.textContent = errorText(e);
      }
    });
    replace(dialog, form);
    dialog.showModal();
    focusSoon(confirm);
  }

  async function submitRequest(type: AppointmentType, providerId: string, start: Date, notes: string): Promise<void> {
    const { db } = svc();
    const user = session.user!;
    const ref = doc(collection(db, "bookingRequests"));
    const data: Record<string, unknown> = {
      customerId: user.uid,
      providerId,
      appointmentTypeId: type.id,
      start: Timestamp.fromDate(start),
      status: "pending",
      createdAt: serverTimestamp(),
    };
    if (notes) data.notes = notes;
    if (state.rescheduleOf) data.rescheduleOf = state.rescheduleOf;
    await setDoc(ref, data);
    showPending(type, providerId, start);
    let settled = false;
    let poll = 0;
    let stopListening: () => void = () => undefined;
    const settle = (req: Record<string, unknown> | undefined): void => {
      if (settled || !req || req.status === "pending") return;
      settled = true;
      stopListening();
      window.clearInterval(poll);
      if (req.status === "confirmed") showConfirmed(type, providerId, start, String(req.appointmentId ?? ref.id));
      else showRejected(String(req.reason ?? ""), String(req.message ?? ""));
    };
    stopListening = onSnapshot(ref, (snap) => settle(snap.data()), (e) => {
      if (!settled) showRejected("", errorText(e));
    });
    // The listener is the fast path; a slow re-read is the safety net for
    // an update a listener misses (seen now and then under load).
    poll = window.setInterval(() => {
      getDoc(ref).then((snap) => settle(snap.data())).catch(() => undefined);
    }, 3000);
    dialog.addEventListener("close", () => {
      settled = true;
      stopListening();
      window.clearInterval(poll);
    }, { once: true });
  }

  function statusBody(kind: string, title: string, ...rest: (Node | string | null)[]): HTMLElement {
    const heading = h("h2", { id: "dialog-title", tabindex: "-1" }, title);
    const body = h("div", { class: `dialog-body status ${kind}`, "data-status": kind },
      h("div", { class: "status-icon", "aria-hidden": "true" }, kind === "confirmed" ? "✓" : kind === "rejected" ? "!" : ""),
      heading, ...rest);
    replace(dialog, body);
    focusSoon(heading);
    return body;
  }

  function showPending(type: AppointmentType, providerId: string, start: Date): void {
    statusBody("pending", "Booking requested…",
      h("p", { role: "status" }, `Waiting for ${catalogue.providers.get(providerId)?.name ?? "the provider"}'s calendar to confirm ${type.name.toLowerCase()} on ${formatDateTime(start)}.`));
  }

  function showConfirmed(type: AppointmentType, providerId: string, start: Date, appointmentId: string): void {
    const provider = catalogue.providers.get(providerId);
    const rescheduled = Boolean(state.rescheduleOf);
    statusBody("confirmed", rescheduled ? "Rescheduled" : "You're booked",
      h("p", { role: "status" }, `${type.name} with ${provider?.name ?? providerId}, ${formatDateTime(start)}.`),
      h("div", { class: "actions" },
        h("button", {
          class: "btn ghost", type: "button",
          onclick: () => downloadIcs(appointmentId),
        }, "Add to calendar"),
        h("button", { class: "btn ghost", type: "button", onclick: () => dialog.close() }, "Book another"),
        h("button", { class: "btn primary", type: "button", onclick: () => { dialog.close(); go("appointments"); } }, "My appointments")));
    if (rescheduled) {
      state.rescheduleOf = "";
      state.previous = null;
      drawIntro();
      drawTypes();
    }
  }

  function showRejected(reason: string, message: string): void {
    const friendly = REASON_MESSAGES[reason];
    statusBody("rejected", friendly ?? "Not booked",
      h("p", { role: "alert", class: "reject-message" }, message || friendly || "The booking was not accepted."),
      reason ? h("p", { class: "muted small" }, `Reason code: ${reason}`) : null,
      h("div", { class: "actions" },
        h("button", { class: "btn primary", type: "button", onclick: () => dialog.close() }, "Pick another time")));
  }

  // ------------------------------------------------------------------ setup

  function drawAll(): void {
    drawIntro();
    drawTypes();
    drawProviders();
    resubscribe();
  }

  if (state.rescheduleOf && session.user) {
    getDoc(doc(svc().db, "appointments", state.rescheduleOf)).then((snap) => {
      if (snap.exists()) {
        state.previous = { id: snap.id, ...(snap.data() as Omit<Appointment, "id">) };
        state.typeId = state.previous.appointmentTypeId;
        const was = state.previous.start.toDate();
        if (!params.get("week") && was.getTime() > Date.now()) state.week = weekStart(was);
        drawAll();
      }
    }).catch(() => undefined);
  }
  const offCatalogue = onCatalogue(() => {
    drawTypes();
    drawProviders();
    resubscribe();
  });
  drawAll();
  focusSoon(heading);

  return () => {
    offCatalogue();
    listeners.forEach((u) => u());
    listeners.clear();
    if (frame) cancelAnimationFrame(frame);
    if (dialog.open) dialog.close();
  };
}

function parseDay(text: string | null): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text ?? "");
  if (!m) return null;
  const d = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return d < new Date() ? null : d;
}

function clockIcon(): SVGSVGElement {
  const ns = "http://www.w3.org/2000/svg";
  const svg = document.createElementNS(ns, "svg");
  svg.setAttribute("viewBox", "0 0 24 24");
  svg.setAttribute("class", "icon");
  svg.setAttribute("aria-hidden", "true");
  const circle = document.createElementNS(ns, "circle");
  circle.setAttribute("cx", "12"); circle.setAttribute("cy", "12"); circle.setAttribute("r", "9");
  const hands = document.createElementNS(ns, "path");
  hands.setAttribute("d", "M12 7v5l3 2");
  svg.append(circle, hands);
  return svg;
}

export function initialsOf(name: string): string {
  const words = name.replace(/^(Dr\.?|Mr\.?|Mrs\.?|Ms\.?|Prof\.?)\s+/i, "").split(/\s+/).filter(Boolean);
  return (words[0]?.[0] ?? "?").toUpperCase() + (words.length > 1 ? words[words.length - 1][0].toUpperCase() : "");
}
