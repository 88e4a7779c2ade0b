// "My account": download everything the business holds about you (GET
// /customers/{uid}/export, a JSON file) and delete your account (DELETE
// /customers/{uid}: the backend erases your data and ends your sign-in).
// Deleting cannot be undone, so it asks you to type your e-mail first.
import "./account.css";
import { signOut } from "firebase/auth";
import { svc } from "../firebase";
import { h, replace, saveFile, toast } from "../dom";
import { session } from "../data";
import { callApi } from "../api";
import { go } from "../router";

const EXPORT_FAILED = "Could not download your data. Please try again in a moment.";

async function downloadExport(uid: string): Promise<void> {
  try {
    const token = await session.user!.getIdToken();
    const response = await fetch(`/customers/${encodeURIComponent(uid)}/export`,
      { headers: { Authorization: `Bearer ${token}` } });
    if (response.ok) {
      saveFile(await response.blob(), `my-data-${uid}.json`);
      return;
    }
  } catch {
    // offline, or the token could not be refreshed: the same message below
  }
  toast(EXPORT_FAILED);
}

export function accountView(root: HTMLElement): void {
  const user = session.user!;
  const email = user.email ?? "";
  const confirmInput = h("input", {
    id: "erase-confirm", type: "email", autocomplete: "off", spellcheck: "false",
    "aria-describedby": "erase-help",
  }) as HTMLInputElement;
  const status = h("p", { class: "erase-status", role: "status", "aria-live": "polite" });
  const eraseButton = h("button", { class: "btn danger", type: "submit", disabled: true }, "Delete my account");
  confirmInput.addEventListener("input", () => {
    eraseButton.disabled = confirmInput.value.trim().toLowerCase() !== email.toLowerCase();
  });

  async function erase(event: Event): Promise<void> {
    event.preventDefault();
    if (eraseButton.disabled) return;
    eraseButton.disabled = true;
    status.textContent = "Deleting your account…";
    const result = await callApi<{ state: string }>("DELETE", `/customers/${encodeURIComponent(user.uid)}`);
    if (!result.ok) {
      status.textContent = result.detail;
      eraseButton.disabled = false;
      return;
    }
    // The account no longer exists: the local sign-in is all that is left.
    await signOut(svc().auth).catch(() => undefined);
    toast(result.data.state === "done" ? "Your account and your data were deleted."
      : "Your account was deleted; the rest of your data follows within minutes.");
    go("book");
  }

  replace(root, h("section", { class: "page account-page" },
    h("div", { class: "page-head" },
      h("h1", null, "My account"),
      h("p", { class: "lede" }, "Signed in as ", h("strong", null, email))),
    h("section", { class: "card", "aria-labelledby": "export-title" },
      h("h2", { id: "export-title" }, "Download my data"),
      h("p", null, "One file with your profile, your appointments and their history, your booking requests, " +
        "and the mails and text messages we sent you."),
      h("button", { class: "btn", type: "button", id: "download-data", onclick: () => downloadExport(user.uid) },
        "Download my data")),
    h("section", { class: "card danger-zone", "aria-labelledby": "erase-title" },
      h("h2", { id: "erase-title" }, "Delete my account"),
      h("p", null, "Your upcoming appointments are cancelled, your name and contact details are removed from " +
        "past ones, and you are signed out everywhere. This cannot be undone."),
      h("form", { class: "erase-form", onsubmit: erase },
        h("label", { for: "erase-confirm" }, "Type your e-mail to confirm"),
        confirmInput,
        h("p", { id: "erase-help", class: "hint" }, email),
        eraseButton),
      status)));
}
