import { createUserWithEmailAndPassword, signInWithEmailAndPassword } from "firebase/auth";
import { svc } from "../firebase";
import { h, replace, errorText, focusSoon } from "../dom";
import { session, signup } from "../data";
import { go } from "../router";

export function signInView(root: HTMLElement, params: URLSearchParams): void {
  const next = params.get("next") || "book";
  let mode: "in" | "up" = params.get("mode") === "up" ? "up" : "in";

  if (session.user) {
    go(next);
    return;
  }

  function draw(): void {
    const error = h("p", { class: "form-error", role: "alert", id: "auth-error" });
    const nameField = h("input", { id: "name", name: "name", autocomplete: "name", required: mode === "up", maxlength: "120" });
    const email = h("input", { id: "email", name: "email", type: "email", autocomplete: "email", required: true });
    const password = h("input", {
      id: "password", name: "password", type: "password", required: true, minlength: "6",
      autocomplete: mode === "up" ? "new-password" : "current-password",
    });
    const submit = h("button", { class: "btn primary wide", type: "submit" }, mode === "in" ? "Sign in" : "Create account");
    const form = h("form", { class: "stack", novalidate: true, "aria-describedby": "auth-error" },
      mode === "up" ? h("div", { class: "field" }, h("label", { for: "name" }, "Your name"), nameField) : null,
      h("div", { class: "field" }, h("label", { for: "email" }, "Email"), email),
      h("div", { class: "field" }, h("label", { for: "password" }, "Password"), password,
        mode === "up" ? h("p", { class: "hint" }, "At least 6 characters.") : null),
      error,
      submit);
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      error.textContent = "";
      if (mode === "up" && !nameField.value.trim()) {
        error.textContent = "Please enter your name.";
        focusSoon(nameField);
        return;
      }
      if (!email.value.trim() || !password.value) {
        error.textContent = "Please enter your email and password.";
        focusSoon(email.value.trim() ? password : email);
        return;
      }
      submit.disabled = true;
      submit.textContent = mode === "in" ? "Signing in…" : "Creating account…";
      try {
        const { auth } = svc();
        if (mode === "in") {
          await signInWithEmailAndPassword(auth, email.value.trim(), password.value);
        } else {
          // The profile (customers/{uid}) is created with this name once signed in.
          signup.name = nameField.value.trim();
          await createUserWithEmailAndPassword(auth, email.value.trim(), password.value);
        }
        // The session listener re-renders this route once the role and
        // profile are loaded, and that render moves on to `next`.
      } catch (e) {
        error.textContent = errorText(e);
        submit.disabled = false;
        submit.textContent = mode === "in" ? "Sign in" : "Create account";
        focusSoon(error);
      }
    });
    replace(root, h("section", { class: "panel narrow auth" },
      h("h1", null, mode === "in" ? "Sign in" : "Create your account"),
      h("p", { class: "muted" }, mode === "in"
        ? "Sign in to book and manage your appointments."
        : "You need an account to book. It takes a few seconds."),
      form,
      h("p", { class: "switch" }, mode === "in" ? "New here? " : "Already have an account? ",
        h("button", {
          class: "link", type: "button",
          onclick: () => { mode = mode === "in" ? "up" : "in"; draw(); focusSoon(root.querySelector("h1")); },
        }, mode === "in" ? "Create an account" : "Sign in"))));
  }
  draw();
}
