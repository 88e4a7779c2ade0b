// The schedule's live data through the client SDK: for each shown provider,
// its appointments starting in the shown days, its time off (and the
// business's closures), and the day sheets of the shown days (open hours and
// free starts). Listeners are kept while their provider and days stay shown,
// so a booking made elsewhere redraws the grid without a reload.
import {
  collection, doc, onSnapshot, query, where, Timestamp, type DocumentData, type Unsubscribe,
} from "firebase/firestore";
import { svc } from "../firebase";
import { errorText } from "../dom";
import { dayBounds, type Column, type Status } from "../schedule";

export interface DeskAppointment {
  id: string;
  providerId: string;
  customerId: string;
  customerName: string;
  appointmentTypeId: string;
  typeName: string;
  start: Date;
  end: Date;
  status: Status;
  notes: string;
  internalNotes: string;
  cancelReason: string;
  history: { at: Date | null; status: string; by: string; note?: string }[];
}

export interface TimeOffBlock { id: string; start: Date; end: Date; title: string; allProviders: boolean; providerIds: string[] }

export interface SheetData {
  open: { start: Date; end: Date }[];
  available: Record<string, Timestamp[]>;
}

export interface ScheduleData {
  appointments: Map<string, DeskAppointment[]>;
  timeOff: Map<string, TimeOffBlock[]>;
  closures: TimeOffBlock[];
  sheets: Map<string, SheetData | null>;
  error: string;
}

const when = (t: unknown): Date | null => (t instanceof Timestamp ? t.toDate() : null);

function toAppointment(id: string, d: DocumentData): DeskAppointment {
  return {
    id,
    providerId: d.providerId,
    customerId: d.customerId ?? "",
    customerName: d.customerName ?? "Customer",
    appointmentTypeId: d.appointmentTypeId ?? "",
    typeName: d.typeName ?? d.appointmentTypeId ?? "",
    start: when(d.start) ?? new Date(0),
    end: when(d.end) ?? new Date(0),
    status: d.status,
    notes: typeof d.notes === "string" ? d.notes : "",
    internalNotes: typeof d.internalNotes === "string" ? d.internalNotes : "",
    cancelReason: d.cancelReason ?? "",
    history: (Array.isArray(d.history) ? d.history : []).map((e: DocumentData) => ({
      at: when(e.at), status: String(e.status ?? ""), by: String(e.by ?? ""), note: e.note ?? undefined,
    })),
  };
}

function toTimeOff(id: string, d: DocumentData): TimeOffBlock | null {
  const start = when(d.start);
  const end = when(d.end);
  if (!start || !end) return null;
  return { id, start, end, title: d.title ?? "", allProviders: d.allProviders === true, providerIds: d.providerIds ?? [] };
}

export const sheetId = (c: Column) => `${c.providerId}_${c.date}`;

/** Watches what `columns` need; `onChange` runs after every answer. Call `stop` when leaving. */
export function scheduleWatcher(onChange: (data: ScheduleData) => void) {
  const data: ScheduleData = { appointments: new Map(), timeOff: new Map(), closures: [], sheets: new Map(), error: "" };
  const listeners = new Map<string, Unsubscribe>();
  const fail = (error: Error) => { data.error = errorText(error); onChange(data); };

  function keep(key: string, start: () => Unsubscribe): void {
    if (!listeners.has(key)) listeners.set(key, start());
  }

  function show(columns: Column[], zones: Map<string, string>): void {
    const { db } = svc();
    const wanted = new Set<string>();
    const byProvider = new Map<string, string[]>();
    for (const c of columns) byProvider.set(c.providerId, [...(byProvider.get(c.providerId) ?? []), c.date]);
    for (const [providerId, dates] of byProvider) {
      const zone = zones.get(providerId) ?? "UTC";
      const from = dayBounds(dates[0], zone).start;
      const to = dayBounds(dates[dates.length - 1], zone).end;
      const apptKey = `appointments:${providerId}:${dates[0]}:${dates.length}`;
      wanted.add(apptKey);
      keep(apptKey, () => onSnapshot(query(collection(db, "appointments"),
        where("providerId", "==", providerId), where("start", ">=", Timestamp.fromDate(from)),
        where("start", "<", Timestamp.fromDate(to))), (snap) => {
        data.appointments.set(providerId, snap.docs.map((s) => toAppointment(s.id, s.data())));
        onChange(data);
      }, fail));
      const offKey = `timeOff:${providerId}`;
      wanted.add(offKey);
      keep(offKey, () => onSnapshot(query(collection(db, "timeOff"), where("providerIds", "array-contains", providerId)),
        (snap) => {
          data.timeOff.set(providerId, snap.docs.map((s) => toTimeOff(s.id, s.data())).filter((t): t is TimeOffBlock => !!t));
          onChange(data);
        }, fail));
    }
    wanted.add("closures");
    keep("closures", () => onSnapshot(query(collection(db, "timeOff"), where("allProviders", "==", true)), (snap) => {
      data.closures = snap.docs.map((s) => toTimeOff(s.id, s.data())).filter((t): t is TimeOffBlock => !!t);
      onChange(data);
    }, fail));
    for (const c of columns) {
      const id = sheetId(c);
      wanted.add(`sheet:${id}`);
      keep(`sheet:${id}`, () => onSnapshot(doc(db, "slots", id), (snap) => {
        const d = snap.data();
        data.sheets.set(id, d ? {
          open: (d.open ?? []).map((r: DocumentData) => ({ start: when(r.start)!, end: when(r.end)! })),
          available: d.available ?? {},
        } : null);
        onChange(data);
      }, fail));
    }
    for (const [key, stop] of listeners) {
      if (!wanted.has(key)) {
        stop();
        listeners.delete(key);
      }
    }
    // Appointment lists of providers no longer shown would otherwise linger.
    for (const providerId of [...data.appointments.keys()]) if (!byProvider.has(providerId)) data.appointments.delete(providerId);
  }

  function stop(): void {
    listeners.forEach((u) => u());
    listeners.clear();
  }

  return { data, show, stop };
}
