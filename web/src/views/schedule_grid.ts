// Draws the schedule grid: an hour axis and one column per provider day, in
// that provider's zone; open hours as the background, time off hatched,
// appointments as buttons (name, type, status in words, a notes marker), and
// the free starts of the chosen type as buttons to book (or, while moving an
// appointment, to move it there). Every block is a button in time order, so
// the grid is used with Tab and Enter like the rest of the page.
import { h } from "../dom";
import { boxOf, freeStarts, hourSpan, STATUS_LABELS, type Box, type Column } from "../schedule";
import { formatTime } from "../time";
import { sheetId, type DeskAppointment, type ScheduleData, type TimeOffBlock } from "./schedule_data";

const PX_PER_MINUTE = 1.6;

export interface GridInput {
  columns: Column[];
  data: ScheduleData;
  providers: Map<string, { name: string; timeZone: string }>;
  /** The type whose free starts are offered, and its length; "" offers none. */
  typeId: string;
  durationMinutes: number;
  /** "move" while an appointment is being rescheduled. */
  mode: "book" | "move";
  movingId: string;
  /** Free starts only in this provider's columns (a move keeps the provider); "" for all. */
  slotProvider: string;
  showCancelled: boolean;
  week: boolean;
  now: Date;
  onSlot: (column: Column, start: Date) => void;
  onAppointment: (appointment: DeskAppointment) => void;
}

interface Placed<T> { item: T; box: Box }

function place<T extends { start: Date; end: Date }>(items: T[], column: Column, zone: string): Placed<T>[] {
  return items.flatMap((item) => {
    const box = boxOf(item, column.date, zone);
    return box ? [{ item, box }] : [];
  });
}

const dayLabel = (date: string) => new Intl.DateTimeFormat(undefined, { weekday: "short", day: "numeric", month: "short", timeZone: "UTC" })
  .format(new Date(`${date}T12:00:00Z`));

export function drawGrid(input: GridInput): HTMLElement {
  const { columns, data, providers, now } = input;
  const laid = columns.map((column) => {
    const zone = providers.get(column.providerId)?.timeZone ?? "UTC";
    const sheet = data.sheets.get(sheetId(column)) ?? null;
    const offs: TimeOffBlock[] = [...(data.timeOff.get(column.providerId) ?? []), ...data.closures];
    const appointments = (data.appointments.get(column.providerId) ?? [])
      .filter((a) => input.showCancelled || a.status !== "cancelled");
    const offered = input.typeId && (!input.slotProvider || input.slotProvider === column.providerId);
    const starts = offered ? freeStarts(sheet?.available, input.typeId, now) : [];
    const slots = starts.map((start, i) => {
      const next = starts[i + 1];
      const length = Math.min(input.durationMinutes, next ? (next.getTime() - start.getTime()) / 60_000 : input.durationMinutes);
      return { start, end: new Date(start.getTime() + length * 60_000) };
    });
    return {
      column, zone,
      open: place(sheet?.open ?? [], column, zone),
      offs: place(offs, column, zone),
      appointments: place(appointments, column, zone).sort((a, b) => a.box.top - b.box.top),
      slots: place(slots, column, zone),
      loading: !data.sheets.has(sheetId(column)),
    };
  });
  const [fromHour, toHour] = hourSpan(laid.flatMap((l) => [...l.open, ...l.appointments, ...l.slots].map((p) => p.box)));
  const top = (b: Box) => `${(b.top - fromHour * 60) * PX_PER_MINUTE}px`;
  const height = (b: Box) => `${Math.max(b.height * PX_PER_MINUTE - 2, 14)}px`;
  // Set through the CSSOM: the Content-Security-Policy (style-src 'self') drops style attributes.
  const at = <T extends HTMLElement>(el: T, b: Box): T => styled(el, { top: top(b), height: height(b) });
  const bodyHeight = (toHour - fromHour) * 60 * PX_PER_MINUTE;

  const axis = styled(h("div", { class: "sch-axis", "aria-hidden": "true" },
    Array.from({ length: toHour - fromHour }, (_, i) => styled(h("span", { class: "sch-hour" },
      `${String(fromHour + i).padStart(2, "0")}:00`), { top: `${i * 60 * PX_PER_MINUTE}px` }))), { height: `${bodyHeight}px` });

  const cols = laid.map((l) => {
    const provider = providers.get(l.column.providerId);
    const name = provider?.name ?? l.column.providerId;
    const label = input.week ? `${dayLabel(l.column.date)}, ${name}` : name;
    const headId = `sch-head-${l.column.providerId}-${l.column.date}`;
    return h("section", {
      class: "sch-col", role: "region", "aria-labelledby": headId,
      dataset: { provider: l.column.providerId, date: l.column.date },
    },
      h("h2", { class: "sch-col-head", id: headId },
        input.week ? h("span", { class: "sch-day" }, dayLabel(l.column.date)) : null,
        h("span", { class: "sch-provider" }, name),
        h("span", { class: "sch-zone" }, l.zone.replace(/_/g, " "))),
      styled(h("div", { class: "sch-body" },
        l.open.map((o) => at(h("div", { class: "sch-open", "aria-hidden": "true" }), o.box)),
        l.offs.map((o) => at(h("div", { class: "sch-off", dataset: { timeOff: o.item.id } },
          h("span", null, `Time off${o.item.allProviders ? " (closure)" : ""}: ${formatTime(o.item.start, l.zone)}–${formatTime(o.item.end, l.zone)}`,
            o.item.title ? ` · ${o.item.title}` : "")), o.box)),
        l.slots.map((s) => at(h("button", {
          type: "button", class: `sch-slot${input.mode === "move" ? " move" : ""}`,
          dataset: { start: s.item.start.toISOString() },
          "aria-label": `${input.mode === "move" ? "Move here" : "Book"}: ${label}, ${formatTime(s.item.start, l.zone)}`,
          onclick: () => input.onSlot(l.column, s.item.start),
        }, h("span", { "aria-hidden": "true" }, `${input.mode === "move" ? "Move" : "+"} ${formatTime(s.item.start, l.zone)}`)), s.box)),
        l.appointments.map(({ item: a, box }) => at(h("button", {
          type: "button", class: `sch-appt status-${a.status}${a.id === input.movingId ? " moving" : ""}`,
          dataset: { appointment: a.id, start: a.start.toISOString() },
          // The name says what the block shows, in the same order, so a
          // voice-control user can say what they see (WCAG 2.5.3).
          "aria-label": `${a.customerName} ${formatTime(a.start, l.zone)}–${formatTime(a.end, l.zone)}, ${STATUS_LABELS[a.status]} · ${a.typeName}${a.notes || a.internalNotes ? ", has notes" : ""}`,
          onclick: () => input.onAppointment(a),
        },
          h("span", { class: "sch-line" },
            h("strong", { class: "sch-name" }, a.customerName), " ",
            h("span", { class: "sch-time" }, `${formatTime(a.start, l.zone)}–${formatTime(a.end, l.zone)}`)),
          // keeps the lines' words apart in the text read from the block
          " ",
          h("span", { class: "sch-line" },
            h("span", { class: "sch-status" }, STATUS_LABELS[a.status]), " · ",
            h("span", { class: "sch-type" }, a.typeName),
            a.notes || a.internalNotes ? h("span", { class: "sch-notes", title: "Has notes" }, " · ✎ has notes") : null)), box)),
        l.loading ? h("p", { class: "sch-loading muted small" }, "Loading…") : null), { height: `${bodyHeight}px` }));
  });

  return h("div", { class: `sch-grid${input.week ? " week" : ""}`, id: "schedule-grid" },
    h("div", { class: "sch-axis-col" }, h("div", { class: "sch-col-head", "aria-hidden": "true" }), axis),
    styled(h("div", { class: "sch-cols" }, cols), { "--cols": String(columns.length) }));
}

function styled<T extends HTMLElement>(el: T, props: Record<string, string>): T {
  for (const [name, value] of Object.entries(props)) el.style.setProperty(name, value);
  return el;
}

/** The appointment block of `id` in a drawn grid, for focus after an action. */
export function appointmentButton(root: HTMLElement, id: string): HTMLElement | null {
  return root.querySelector<HTMLElement>(`.sch-appt[data-appointment="${CSS.escape(id)}"]`);
}

export const isNow = (a: DeskAppointment, now: Date) => a.start <= now && now < a.end;
