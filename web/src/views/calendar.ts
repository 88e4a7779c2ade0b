// "Add to calendar": the backend's GET /appointments/{id}.ics when the REST
// API serves it, else an .ics built in the browser from the appointment.
import { svc } from "../firebase";
import { icsFor } from "../ics";

export interface CalendarItem {
  id: string;
  start: Date;
  end: Date;
  typeName: string;
  providerName: string;
}

function save(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

let icsRoute: Promise<boolean> | null = null;

/** Whether the REST API has the .ics route (asked once, from its OpenAPI
 * document, so that a missing route never shows up as a failed request). */
function apiHasIcs(): Promise<boolean> {
  icsRoute ??= fetch("/appointments/openapi.json")
    .then((r) => (r.ok ? r.json() : { paths: {} }))
    .then((spec: { paths?: Record<string, unknown> }) => Object.keys(spec.paths ?? {}).some((p) => p.endsWith(".ics")))
    .catch(() => false);
  return icsRoute;
}

async function fromApi(id: string): Promise<Blob | null> {
  if (!(await apiHasIcs())) return null;
  try {
    const user = svc().auth.currentUser;
    const headers: Record<string, string> = {};
    if (user) headers.Authorization = `Bearer ${await user.getIdToken()}`;
    const response = await fetch(`/appointments/${encodeURIComponent(id)}.ics`, { headers });
    const type = response.headers.get("content-type") ?? "";
    if (response.ok && type.includes("text/calendar")) return await response.blob();
  } catch {
    /* not served: build it here */
  }
  return null;
}

export async function downloadIcs(item: CalendarItem): Promise<void> {
  const name = `appointment-${item.id}.ics`;
  const served = await fromApi(item.id);
  if (served) {
    save(served, name);
    return;
  }
  const text = icsFor({
    uid: item.id,
    start: item.start,
    end: item.end,
    summary: `${item.typeName} with ${item.providerName}`,
    description: `Booked online. Reference ${item.id}.`,
  });
  save(new Blob([text], { type: "text/calendar;charset=utf-8" }), name);
}
