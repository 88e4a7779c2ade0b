// The booking screen's view: type, provider (or any) and a live week of free
// times in the browser's zone. What the week holds and how it moves is the
// model's (../week); the booking dialog is ./booking's; this file listens to
// the slot sheets and draws.
import { doc, getDoc, onSnapshot, type Unsubscribe } from "firebase/firestore";
import { svc } from "../firebase";
import { h, replace, focusSoon, errorText } from "../dom";
import {
  activeTypes, catalogue, money, onCatalogue, providersFor, session,
  type Appointment, type AppointmentType, type Provider,
} from "../data";
import {
  addDays, browserZone, formatDateTime, formatDayLong, formatDayNum, formatDayShort,
  formatRange, formatTime, weekStart, zoneLabel,
} from "../time";
import {
  ANY_PROVIDER as ANY, bookingRoute, canGoBack, initialWeek, keepProvider, keepType, rescheduleWeek,
  sheetIds, shiftWeek, shownProviders, slotsByDay, weekDays, type Sheet, type Slot,
} from "../week";
import { openBookingDialog } from "./booking";

export function bookView(root: HTMLElement, params: URLSearchParams): () => void {
  const state = {
    typeId: params.get("type") ?? "",
    providerId: params.get("provider") ?? ANY,
    week: initialWeek(params.get("week"), new Date()),
    rescheduleOf: params.get("rescheduleOf") ?? "",
    previous: null as Appointment | null,
  };
  const sheets = new Map<string, Sheet | null>(); // slot doc id -> data (null: no such sheet)
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
    return shownProviders(state.typeId ? providersFor(state.typeId) : [], state.providerId);
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
    state.typeId = keepType(types.map((t) => t.id), state.typeId);
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
    state.providerId = keepProvider(providers.map((p) => p.id), state.providerId);
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

  function resubscribe(): void {
    const wanted = new Set(sheetIds(relevantProviders().map((p) => p.id), state.week));
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
        sheets.set(id, snap.exists() ? (snap.data() as Sheet) : null);
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

  function moveTo(week: Date): void {
    state.week = week;
    resubscribe();
  }

  function drawWeekBar(): void {
    const now = new Date();
    const back = canGoBack(state.week, now);
    replace(weekBar,
      h("button", {
        class: "btn ghost", type: "button", disabled: !back, "aria-label": "Previous week",
        onclick: () => moveTo(shiftWeek(state.week, -1)),
      }, "‹ Previous"),
      h("h3", { class: "week-label", id: "week-label", "aria-live": "polite" }, formatRange(state.week, addDays(state.week, 6))),
      h("div", { class: "weekbar-right" },
        back ? h("button", {
          class: "btn ghost", type: "button",
          onclick: () => moveTo(weekStart(new Date())),
        }, "Today") : null,
        h("button", {
          class: "btn ghost", type: "button", "aria-label": "Next week",
          onclick: () => moveTo(shiftWeek(state.week, 1)),
        }, "Next ›")));
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
    const now = new Date();
    const { days, loading } = slotsByDay({
      week: state.week, type, watched: listeners.keys(), sheets, now,
      nameOf: (id) => catalogue.providers.get(id)?.name ?? id,
    });
    grid.setAttribute("aria-busy", loading ? "true" : "false");
    let total = 0;
    const columns = weekDays(state.week, now).map(({ date: day, key, today, past }) => {
      const slots = days.get(key) ?? [];
      total += slots.length;
      const label = formatDayLong(day);
      return h("div", {
        class: `day${today ? " today" : ""}${past ? " past" : ""}${slots.length ? "" : " none"}`,
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
              onclick: () => moveTo(shiftWeek(state.week, 1)),
            }, "Try next week"))
        : null);
    if (focusedKey) {
      const again = grid.querySelector<HTMLElement>(`[data-start="${focusedKey}"]`);
      if (again) again.focus();
    }
  }

  function openBooking(slot: Slot): void {
    const type = selectedType();
    if (!type) return;
    openBookingDialog(dialog, slot, {
      type,
      anyProvider: state.providerId === ANY,
      rescheduleOf: state.rescheduleOf,
      returnTo: bookingRoute(state),
      onRescheduled: () => {
        state.rescheduleOf = "";
        state.previous = null;
        drawIntro();
        drawTypes();
      },
    });
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
        state.week = rescheduleWeek(state.week, params.get("week"), state.previous.start.toDate(), new Date());
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
