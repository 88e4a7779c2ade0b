// The booking screen: service, provider (or any) and a live view of free
// times in the browser's zone. What the week holds and how it moves is the
// model's (../week, ../day_strip); the steps are ./book_pickers', the times
// a week on a desktop (./book_week) and a day at a time on a phone
// (./book_day); the booking dialog is ./booking's. This file holds the
// screen's state, listens to the slot sheets and picks the layout.
import "../book.css";
import { doc, getDoc, onSnapshot, type Unsubscribe } from "firebase/firestore";
import { svc } from "../firebase";
import { h, replace, focusSoon, errorText } from "../dom";
import { catalogue, onCatalogue, providersFor, session, type Appointment, type AppointmentType, type Provider } from "../data";
import { browserZone, dayKey, formatDateTime, zoneLabel } from "../time";
import {
  ANY_PROVIDER as ANY, bookingRoute, initialWeek, parseDay, rescheduleWeek, sheetIds, sheetsOfView, shownProviders,
  slotsByDay, viewIds, type Sheet, type Slot, type TypeSlotsView,
} from "../week";
import { openBookingDialog } from "./booking";
import { drawProviders, drawTypes, type PickerLayout } from "./book_pickers";
import { drawWeekBar, drawWeekGrid, type Times } from "./book_week";
import { drawDayStrip } from "./book_day";
import { drawJoinHook } from "./waitlist";

/** Below this width the free times show a day at a time and chosen steps fold. */
const PHONE = "(max-width: 720px)";

export function bookView(root: HTMLElement, params: URLSearchParams): () => void {
  const now = new Date();
  const state = {
    typeId: params.get("type") ?? "",
    providerId: params.get("provider") ?? ANY,
    typeLocked: false,
    week: initialWeek(params.get("week"), now),
    rescheduleOf: params.get("rescheduleOf") ?? "",
    previous: null as Appointment | null,
    /** The day the customer opened on a phone, and the date the link asked for. */
    pickedDay: null as string | null,
    fromDay: (() => { const d = parseDay(params.get("week"), now); return d ? dayKey(d) : null; })(),
    /** The start a link asks to book (the waitlist's "tell me" mail): its dialog opens once, if it is free. */
    wanted: wantedStart(params.get("start")),
  };
  const phone = window.matchMedia(PHONE);
  const layout: PickerLayout = { folding: phone.matches, opened: new Set() };
  // watched document -> its sheet, or a view document's sheets (null: no such document)
  const sheets = new Map<string, Sheet | Sheet[] | null>();
  const listeners = new Map<string, Unsubscribe>();
  let sheetError = "";
  let frame = 0;

  const heading = h("h1", null, "Book an appointment");
  const intro = h("div");
  const typePicker = h("div", { class: "picker-wrap" });
  const providerPicker = h("div", { class: "picker-wrap" });
  const nav = h("div");
  const times = h("div", { id: "week", "aria-live": "off" });
  const waitlistHook = h("div");
  const dialog = h("dialog", { class: "dialog", "aria-labelledby": "dialog-title" });
  dialog.addEventListener("close", () => replace(dialog));

  replace(root,
    h("section", { class: "page book" },
      h("div", { class: "page-head" }, heading, intro),
      h("div", { class: "choices" },
        h("section", { class: "card step", "aria-labelledby": "step-type" },
          h("h2", { id: "step-type" }, stepNum("1"), h("span", { class: "step-q" }, "What would you like to book?")),
          typePicker),
        h("section", { class: "card step", "aria-labelledby": "step-provider" },
          h("h2", { id: "step-provider" }, stepNum("2"), h("span", { class: "step-q" }, "With whom?")),
          providerPicker)),
      h("section", { class: "card step slots", "aria-labelledby": "step-time" },
        h("div", { class: "slots-head" },
          h("h2", { id: "step-time" }, stepNum("3"), "Pick a time"),
          h("p", { class: "zone-note", id: "zone-note" },
            clockIcon(),
            " Times in your time zone: ", h("strong", null, zoneLabel(browserZone)))),
        nav,
        times,
        waitlistHook)),
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

  function drawPickers(): void {
    state.typeLocked = Boolean(state.rescheduleOf && state.previous);
    drawTypes(typePicker, state, layout, () => { drawPickers(); resubscribe(); }, drawPickers);
    drawProviders(providerPicker, state, layout, resubscribe, drawPickers);
  }

  // ------------------------------------------------------------- listeners

  /**
   * One provider: their day sheets. Any provider: the typeSlots view, one
   * document per UTC date whatever the number of providers (it may lag the
   * sheets by a moment; the booking checks the provider's own sheet).
   */
  function wantedDocs(): Set<string> {
    const anyone = state.providerId === ANY;
    const ids = anyone
      ? (state.typeId && relevantProviders().length ? viewIds(state.typeId, state.week) : [])
      : sheetIds(relevantProviders().map((p) => p.id), state.week);
    return new Set(ids.map((id) => `${anyone ? "typeSlots" : "slots"}/${id}`));
  }

  function resubscribe(): void {
    const wanted = wantedDocs();
    for (const [path, unsub] of listeners) {
      if (!wanted.has(path)) {
        unsub();
        listeners.delete(path);
        sheets.delete(path);
      }
    }
    const { db } = svc();
    const typeId = state.typeId;
    for (const path of wanted) {
      if (listeners.has(path)) continue;
      listeners.set(path, onSnapshot(doc(db, path), (snap) => {
        const data = snap.exists() ? snap.data() : null;
        sheets.set(path, !data ? null : path.startsWith("typeSlots/")
          ? sheetsOfView(typeId, data as TypeSlotsView)
          : (data as Sheet));
        schedule();
      }, (error) => {
        sheetError = errorText(error);
        schedule();
      }));
    }
    schedule();
  }

  function schedule(): void {
    if (frame) return;
    frame = requestAnimationFrame(() => {
      frame = 0;
      drawTimes();
    });
  }

  // ------------------------------------------------------------------ times

  function moveTo(week: Date): void {
    state.week = week;
    state.pickedDay = null;
    state.fromDay = null;
    resubscribe();
  }

  function drawTimes(): void {
    // Redrawing replaces the buttons; keep the keyboard where it was.
    const active = (document.activeElement as HTMLElement | null)?.dataset;
    const focusedKey = active?.start ? `[data-start="${active.start}"]` : active?.day ? `[data-day="${active.day}"]` : "";
    const type = selectedType();
    const message = sheetError
      ? h("p", { class: "empty error-state", role: "alert" }, `Could not load free times: ${sheetError}`)
      : !type || !relevantProviders().length
        ? h("p", { class: "empty" }, catalogue.loaded.types ? "Choose a service and a provider to see free times." : "Loading…")
        : null;
    if (message || !type) {
      replace(nav);
      replace(times, message);
      replace(waitlistHook);
      return;
    }
    const now = new Date();
    const { days, loading } = slotsByDay({
      week: state.week, type, watched: listeners.keys(), sheets, now,
      nameOf: (id) => catalogue.providers.get(id)?.name ?? id,
    });
    times.setAttribute("aria-busy", loading ? "true" : "false");
    const t: Times = { week: state.week, now, days, loading, pick: openBooking, moveTo };
    if (phone.matches) {
      nav.className = "strip";
      times.className = "day-panel";
      drawDayStrip(nav, times, t, {
        picked: state.pickedDay, from: state.fromDay,
        onPick: (key) => { state.pickedDay = key; drawTimes(); },
      });
    } else {
      nav.className = "weekbar";
      times.className = "week";
      drawWeekBar(nav, t);
      drawWeekGrid(times, t);
    }
    if (state.wanted !== null && !loading) offerWanted(days);
    drawJoinHook(waitlistHook, dialog, { typeId: type.id, providerId: state.providerId, week: state.week,
      returnTo: bookingRoute(state) });
    if (focusedKey) root.querySelector<HTMLElement>(focusedKey)?.focus();
  }

  function offerWanted(days: Map<string, Slot[]>): void {
    const wanted = state.wanted;
    state.wanted = null; // once: taken meanwhile, the week shows what is free instead
    for (const slots of days.values()) {
      const slot = slots.find((s) => s.start.getTime() === wanted);
      if (slot) { openBooking(slot); return; }
    }
  }

  function openBooking(slot: Slot): void {
    const type = selectedType();
    if (!type) return;
    openBookingDialog(dialog, slot, {
      type,
      anyProvider: state.providerId === ANY,
      rescheduleOf: state.rescheduleOf,
      // Back from signing in, the same day opens again.
      returnTo: bookingRoute({ ...state, week: state.pickedDay ? new Date(`${state.pickedDay}T00:00`) : state.week }),
      onRescheduled: () => {
        state.rescheduleOf = "";
        state.previous = null;
        drawIntro();
        drawPickers();
      },
    });
  }

  // ------------------------------------------------------------------ setup

  function drawAll(): void {
    drawIntro();
    drawPickers();
    resubscribe();
  }

  function onLayout(): void {
    layout.folding = phone.matches;
    layout.opened.clear();
    drawPickers();
    drawTimes();
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
    drawPickers();
    resubscribe();
  });
  phone.addEventListener("change", onLayout);
  drawAll();
  focusSoon(heading);

  return () => {
    offCatalogue();
    phone.removeEventListener("change", onLayout);
    listeners.forEach((u) => u());
    listeners.clear();
    if (frame) cancelAnimationFrame(frame);
    if (dialog.open) dialog.close();
  };
}

function stepNum(n: string): HTMLElement {
  return h("span", { class: "step-num", "aria-hidden": "true" }, n);
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

/** An instant from a link (`2026-12-07T09:00:00Z`), as milliseconds; null when absent or unreadable. */
function wantedStart(text: string | null): number | null {
  const ms = text ? Date.parse(text) : NaN;
  return Number.isFinite(ms) ? ms : null;
}
