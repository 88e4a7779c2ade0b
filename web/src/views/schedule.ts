// The schedule page for admins and provider staff (#/schedule): a day or
// week of appointments, time off and open hours per provider, live from
// Firestore; free starts of a chosen type to book on a customer's behalf;
// each appointment opens its details and actions. Staff see their own
// provider only; admins all, with a provider filter. The address keeps the
// view, date, provider and type (`?view=week&date=YYYY-MM-DD&provider=&type=`).
import "./schedule.css";
import { h, replace, focusSoon } from "../dom";
import { catalogue, onCatalogue, session, type Provider } from "../data";
import { columnsOf, parseDate, shiftDate, todayIn, viewDates, type Column, type ViewKind } from "../schedule";
import { formatTime } from "../time";
import { scheduleWatcher, type DeskAppointment, type ScheduleData } from "./schedule_data";
import { appointmentButton, drawGrid } from "./schedule_grid";
import { openBookOnBehalf } from "./schedule_book";
import { confirmMove, openAppointment } from "./schedule_appointment";
import { providerWaitlist } from "./waitlist";

const ALL = "all";

export function scheduleView(root: HTMLElement, params: URLSearchParams): () => void {
  let view: ViewKind = params.get("view") === "week" ? "week" : "day";
  let date = parseDate(params.get("date")) ?? "";
  let providerFilter = params.get("provider") ?? ALL;
  let typeId = params.get("type") ?? "";
  let showCancelled = false;
  let moving: DeskAppointment | null = null;
  let pendingFocus = "";
  let data: ScheduleData | null = null;

  const dialog = h("dialog", { class: "dialog", id: "schedule-dialog" });
  const status = h("p", { class: "save-status", id: "schedule-status", role: "status", "aria-live": "polite", tabindex: "-1" });
  const toolbar = h("div", { class: "sch-toolbar", role: "toolbar", "aria-label": "Schedule view" });
  const banner = h("div", { class: "sch-banner", id: "schedule-banner" });
  const gridBox = h("div", { class: "sch-scroll" });
  const watcher = scheduleWatcher((d) => { data = d; draw(); });
  // Staff see who waits for a time with their provider (issue 18).
  const waiting = session.staffOf ? providerWaitlist(session.staffOf) : null;

  replace(root, h("section", { class: "page schedule" },
    h("div", { class: "page-head" },
      h("h1", null, "Schedule"),
      h("p", { class: "lede" }, "Each column is in its provider's time zone. Pick a free time to book for a customer; pick an appointment to act on it.")),
    toolbar, banner, status, gridBox, waiting?.el ?? null, dialog));

  const shown = (): Provider[] => {
    const mine = [...catalogue.providers.values()]
      .filter((p) => session.admin || p.id === session.staffOf)
      .sort((a, b) => a.name.localeCompare(b.name));
    return providerFilter === ALL || !session.admin ? mine : mine.filter((p) => p.id === providerFilter);
  };
  const zones = () => new Map([...catalogue.providers.values()].map((p) => [p.id, p.timeZone]));

  function syncAddress(): void {
    const q = new URLSearchParams({ view, date, ...(session.admin && providerFilter !== ALL ? { provider: providerFilter } : {}), ...(typeId ? { type: typeId } : {}) });
    history.replaceState(null, "", `#/schedule?${q}`);
  }

  function offeredTypes(providers: Provider[]) {
    const ids = new Set(providers.flatMap((p) => p.typeIds));
    return [...catalogue.types.values()].filter((t) => ids.has(t.id) && t.active).sort((a, b) => a.name.localeCompare(b.name));
  }

  function drawToolbar(providers: Provider[]): void {
    const types = offeredTypes(providers);
    if (typeId && !types.some((t) => t.id === typeId)) typeId = "";
    if (!typeId && types.length) typeId = types[0].id;
    const everyone = [...catalogue.providers.values()].sort((a, b) => a.name.localeCompare(b.name));
    const step = (dir: -1 | 1, label: string, text: string, id: string) => h("button", {
      class: "btn small", type: "button", id, "aria-label": label,
      onclick: () => { date = shiftDate(view, date, dir); refresh(id); },
    }, text);
    const viewBtn = (kind: ViewKind, text: string) => h("button", {
      class: `btn small${view === kind ? " primary" : ""}`, type: "button", id: `view-${kind}`, "aria-pressed": String(view === kind),
      onclick: () => { view = kind; refresh(`view-${kind}`); },
    }, text);
    const dates = viewDates(view, date);
    replace(toolbar,
      h("div", { class: "sch-group", role: "group", "aria-label": "View" }, viewBtn("day", "Day"), viewBtn("week", "Week")),
      h("div", { class: "sch-group" },
        step(-1, view === "day" ? "Previous day" : "Previous week", "‹", "sch-prev"),
        h("button", { class: "btn small", type: "button", id: "sch-today", onclick: () => { date = today(); refresh("sch-today"); } }, "Today"),
        step(1, view === "day" ? "Next day" : "Next week", "›", "sch-next"),
        h("label", { class: "sr-only", for: "sch-date" }, "Date"),
        h("input", { id: "sch-date", type: "date", value: date, onchange: (e: Event) => {
          const picked = parseDate((e.target as HTMLInputElement).value);
          if (picked) { date = picked; refresh("sch-date"); }
        } }),
        h("span", { class: "sch-range", id: "sch-range" }, dates.length > 1 ? `${dates[0]} – ${dates[dates.length - 1]}` : dates[0])),
      session.admin ? h("div", { class: "field inline" },
        h("label", { for: "sch-provider" }, "Provider"),
        h("select", { id: "sch-provider", onchange: (e: Event) => { providerFilter = (e.target as HTMLSelectElement).value; refresh("sch-provider"); } },
          h("option", { value: ALL, selected: providerFilter === ALL }, "All providers"),
          everyone.map((p) => h("option", { value: p.id, selected: p.id === providerFilter }, p.name)))) : null,
      h("div", { class: "field inline" },
        h("label", { for: "sch-type" }, "Free times for"),
        h("select", { id: "sch-type", onchange: (e: Event) => { typeId = (e.target as HTMLSelectElement).value; refresh("sch-type"); } },
          h("option", { value: "", selected: !typeId }, "(none)"),
          types.map((t) => h("option", { value: t.id, selected: t.id === typeId }, `${t.name} (${t.durationMinutes} min)`)))),
      h("div", { class: "field inline" },
        h("input", { id: "sch-cancelled", type: "checkbox", checked: showCancelled, onchange: (e: Event) => {
          showCancelled = (e.target as HTMLInputElement).checked; draw();
        } }),
        h("label", { for: "sch-cancelled" }, "Show cancelled")));
  }

  function today(): string {
    const first = shown()[0];
    return todayIn(first?.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone, new Date());
  }

  /** Redraws everything after a toolbar choice and puts focus back on that control. */
  function refresh(focusId: string): void {
    syncAddress();
    start();
    focusSoon(toolbar.querySelector<HTMLElement>(`#${focusId}`));
  }

  function columns(): Column[] {
    return columnsOf(viewDates(view, date), shown().map((p) => p.id));
  }

  function start(): void {
    const providers = shown();
    if (!date) date = today();
    drawToolbar(providers);
    if (!providers.length) {
      replace(gridBox, h("p", { class: "muted" }, catalogue.loaded.providers ? "No provider to show." : "Loading providers…"));
      return;
    }
    watcher.show(columns(), zones());
    draw();
  }

  function drawBanner(): void {
    if (!moving) { replace(banner); return; }
    const zone = catalogue.providers.get(moving.providerId)?.timeZone ?? "UTC";
    replace(banner, h("div", { class: "sch-moving", role: "status" },
      h("span", null, `Moving ${moving.customerName}'s appointment (${formatTime(moving.start, zone)}): pick a free time below.`),
      h("button", { class: "btn small", type: "button", id: "move-stop", onclick: () => stopMoving() }, "Stop moving")));
  }

  function stopMoving(): void {
    const id = moving?.id ?? "";
    moving = null;
    drawBanner();
    draw();
    focusSoon(appointmentButton(gridBox, id));
  }

  /** The focused grid element's identity, to find it again after a live redraw. */
  function focusKey(): string {
    const el = document.activeElement as HTMLElement | null;
    if (!el || !gridBox.contains(el)) return "";
    const col = el.closest<HTMLElement>(".sch-col");
    if (el.dataset.appointment) return `.sch-appt[data-appointment="${el.dataset.appointment}"]`;
    if (col && el.dataset.start) return `.sch-col[data-provider="${col.dataset.provider}"][data-date="${col.dataset.date}"] [data-start="${el.dataset.start}"]`;
    return "";
  }

  function draw(): void {
    if (!data || !date) return;
    const providers = new Map([...catalogue.providers.values()].map((p) => [p.id, { name: p.name, timeZone: p.timeZone }]));
    const type = catalogue.types.get(moving ? moving.appointmentTypeId : typeId);
    const key = focusKey();
    replace(gridBox,
      data.error ? h("p", { class: "form-error", role: "alert" }, `Could not load the schedule: ${data.error}`) : null,
      drawGrid({
        columns: columns(), data, providers, now: new Date(), week: view === "week",
        typeId: type?.id ?? "", durationMinutes: type?.durationMinutes ?? 30,
        mode: moving ? "move" : "book", movingId: moving?.id ?? "", slotProvider: moving?.providerId ?? "", showCancelled,
        onSlot: (column, at) => (moving ? move(moving, at) : book(column, at)),
        onAppointment: (a) => act(a),
      }));
    const again = pendingFocus ? appointmentButton(gridBox, pendingFocus) : key ? gridBox.querySelector<HTMLElement>(key) : null;
    if (again) {
      if (pendingFocus) pendingFocus = "";
      again.focus();
    }
  }

  function announce(message: string, focusId = ""): void {
    replace(status, message);
    if (focusId) {
      pendingFocus = focusId;
      draw();
    } else {
      focusSoon(status);
    }
  }

  function book(column: Column, at: Date): void {
    const provider = catalogue.providers.get(column.providerId);
    const type = catalogue.types.get(typeId);
    if (!provider || !type) return;
    const opener = document.activeElement as HTMLElement | null;
    dialog.addEventListener("close", () => { if (!pendingFocus && opener?.isConnected) opener.focus(); }, { once: true });
    openBookOnBehalf(dialog, {
      providerId: provider.id, providerName: provider.name, zone: provider.timeZone,
      typeId: type.id, typeName: type.name, start: at,
    }, (id) => announce(`Booked ${formatTime(at, provider.timeZone)} with ${provider.name}.`, id));
  }

  function act(a: DeskAppointment): void {
    const provider = catalogue.providers.get(a.providerId);
    const zone = provider?.timeZone ?? "UTC";
    // Escape or Close: back to the appointment (its button may have been redrawn meanwhile).
    dialog.addEventListener("close", () => {
      if (!pendingFocus && !moving && !status.contains(document.activeElement)) focusSoon(appointmentButton(gridBox, a.id));
    }, { once: true });
    openAppointment(dialog, a, {
      zone, providerName: provider?.name ?? a.providerId, now: new Date(),
      onMove: (chosen) => {
        moving = chosen;
        drawBanner();
        draw();
        focusSoon(gridBox.querySelector<HTMLElement>(".sch-slot") ?? banner.querySelector<HTMLElement>("#move-stop"));
      },
      onDone: (changed, message) => announce(message, changed.status === "confirmed" && !message.startsWith("Appointment cancelled") ? changed.id : ""),
    });
  }

  function move(a: DeskAppointment, at: Date): void {
    const zone = catalogue.providers.get(a.providerId)?.timeZone ?? "UTC";
    confirmMove(dialog, a, at, zone, (newId) => {
      moving = null;
      drawBanner();
      announce(`Moved ${a.customerName}'s appointment to ${formatTime(at, zone)}.`, newId);
    });
  }

  const off = onCatalogue(() => { if (!dialog.open) start(); });
  start();
  return () => {
    off();
    watcher.stop();
    waiting?.stop();
    if (dialog.open) dialog.close();
  };
}
