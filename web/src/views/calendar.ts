// "Add to calendar": always the backend's GET /appointments/{id}.ics, the
// same file (and UID) as the confirmation mail's attachment, so a calendar
// never holds two events for one appointment and the cancellation's
// METHOD:CANCEL removes the one it has. When the download fails the app says
// so rather than make a file of its own that no cancel could ever match.
import { saveFile, toast } from "../dom";
import { svc } from "../firebase";

const FAILED = "Could not download the calendar file. Please try again in a moment.";

export async function downloadIcs(appointmentId: string): Promise<void> {
  try {
    const user = svc().auth.currentUser;
    const headers: Record<string, string> = {};
    if (user) headers.Authorization = `Bearer ${await user.getIdToken()}`;
    const response = await fetch(`/appointments/${encodeURIComponent(appointmentId)}.ics`, { headers });
    const type = response.headers.get("content-type") ?? "";
    if (response.ok && type.includes("text/calendar")) {
      saveFile(await response.blob(), `appointment-${appointmentId}.ics`);
      return;
    }
  } catch {
    // offline, or the token could not be refreshed: the same message below
  }
  toast(FAILED);
}
