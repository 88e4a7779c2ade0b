// Shared state: the signed-in user, their role, and the public catalogue
// (active appointment types and providers), all kept live.
import { onAuthStateChanged, type User } from "firebase/auth";
import {
  collection, doc, getDoc, onSnapshot, query, serverTimestamp, setDoc, where,
  type Timestamp, type Unsubscribe,
} from "firebase/firestore";
import { svc } from "./firebase";
import { browserZone } from "./time";

export interface AppointmentType {
  id: string;
  name: string;
  description?: string;
  durationMinutes: number;
  bufferBeforeMinutes?: number;
  bufferAfterMinutes?: number;
  slotIntervalMinutes?: number;
  minNoticeMinutes?: number;
  horizonDays?: number;
  cancelCutoffMinutes?: number;
  price?: number;
  currency?: string;
  active: boolean;
}

export interface Provider {
  id: string;
  name: string;
  timeZone: string;
  typeIds: string[];
  active: boolean;
  bio?: string;
}

export interface Appointment {
  id: string;
  providerId: string;
  customerId: string;
  appointmentTypeId: string;
  start: Timestamp;
  end: Timestamp;
  status: "confirmed" | "cancelled" | "completed" | "no_show";
  cancellableUntil?: Timestamp;
  typeName?: string;
  providerName?: string;
  timeZone?: string;
  notes?: string;
  cancelReason?: string;
  rescheduledTo?: string;
  rescheduledFrom?: string;
  /** One occurrence of a series: the series' id and its place in it, from 1. */
  seriesId?: string;
  seriesIndex?: number;
}

export interface Session {
  user: User | null;
  admin: boolean;
  staffOf: string | null;
  profile: { name: string; email: string } | null;
}

export const session: Session = { user: null, admin: false, staffOf: null, profile: null };
export const catalogue = {
  types: new Map<string, AppointmentType>(),
  providers: new Map<string, Provider>(),
  loaded: { types: false, providers: false },
  error: "" as string,
};

type Listener = () => void;
const sessionListeners = new Set<Listener>();
const catalogueListeners = new Set<Listener>();

export function onSession(fn: Listener): () => void {
  sessionListeners.add(fn);
  return () => sessionListeners.delete(fn);
}
export function onCatalogue(fn: Listener): () => void {
  catalogueListeners.add(fn);
  return () => catalogueListeners.delete(fn);
}
const emit = (set: Set<Listener>) => set.forEach((fn) => fn());

let catalogueUnsubs: Unsubscribe[] = [];

/** Listens to the catalogue: active items for everyone, all of them for admins. */
function watchCatalogue(): void {
  catalogueUnsubs.forEach((u) => u());
  const { db } = svc();
  const typesRef = collection(db, "appointmentTypes");
  const providersRef = collection(db, "providers");
  const typesQuery = session.admin ? typesRef : query(typesRef, where("active", "==", true));
  const providersQuery = session.admin ? providersRef : query(providersRef, where("active", "==", true));
  const fail = (what: string) => (error: Error) => {
    catalogue.error = `Could not load ${what}: ${error.message}`;
    emit(catalogueListeners);
  };
  catalogueUnsubs = [
    onSnapshot(typesQuery, (snap) => {
      catalogue.types = new Map(snap.docs.map((d) => [d.id, { id: d.id, ...(d.data() as Omit<AppointmentType, "id">) }]));
      catalogue.loaded.types = true;
      emit(catalogueListeners);
    }, fail("appointment types")),
    onSnapshot(providersQuery, (snap) => {
      catalogue.providers = new Map(snap.docs.map((d) => {
        const data = d.data() as Omit<Provider, "id">;
        return [d.id, { id: d.id, ...data, typeIds: data.typeIds ?? [] }];
      }));
      catalogue.loaded.providers = true;
      emit(catalogueListeners);
    }, fail("providers")),
  ];
}

export function activeTypes(): AppointmentType[] {
  return [...catalogue.types.values()].filter((t) => t.active).sort((a, b) => a.name.localeCompare(b.name));
}

export function providersFor(typeId: string): Provider[] {
  return [...catalogue.providers.values()]
    .filter((p) => p.active && (p.typeIds ?? []).includes(typeId))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** The name typed on the sign-up form, used when the profile is created. */
export const signup = { name: "" };

/** Makes sure a signed-in user has the `customers/{uid}` profile the backend needs to book. */
export async function ensureProfile(user: User, name?: string): Promise<void> {
  const { db } = svc();
  const ref = doc(db, "customers", user.uid);
  const snap = await getDoc(ref);
  if (snap.exists()) {
    const data = snap.data() as { name: string; email: string };
    session.profile = { name: data.name, email: data.email };
    return;
  }
  const email = user.email ?? `${user.uid}@users.invalid`;
  const profile = {
    name: (name || signup.name || user.displayName || email.split("@")[0]).slice(0, 120),
    email,
    timeZone: browserZone,
    createdAt: serverTimestamp(),
  };
  await setDoc(ref, profile);
  session.profile = { name: profile.name, email };
}

export function startSession(): Promise<void> {
  const { auth } = svc();
  let first = true;
  return new Promise((resolve) => {
    onAuthStateChanged(auth, async (user) => {
      session.user = user;
      session.admin = false;
      session.staffOf = null;
      session.profile = null;
      if (user) {
        try {
          const token = await user.getIdTokenResult();
          session.admin = token.claims.admin === true;
          session.staffOf = typeof token.claims.providerId === "string" ? token.claims.providerId : null;
          await ensureProfile(user);
        } catch (error) {
          console.warn("profile", error);
        }
      }
      watchCatalogue();
      emit(sessionListeners);
      if (first) {
        first = false;
        resolve();
      }
    });
  });
}

export function money(type: AppointmentType): string {
  if (!type.price) return "Free";
  try {
    return new Intl.NumberFormat(undefined, { style: "currency", currency: type.currency || "USD" }).format(type.price);
  } catch {
    return `${type.price} ${type.currency ?? ""}`;
  }
}

export const REASON_MESSAGES: Record<string, string> = {
  invalid_request: "The booking request was not valid.",
  unknown_provider: "This provider does not exist.",
  provider_inactive: "This provider is not taking bookings at the moment.",
  unknown_type: "This appointment type does not exist.",
  type_inactive: "This appointment type is not offered at the moment.",
  type_not_offered: "This provider does not offer this appointment type.",
  not_on_slot: "That time is not one of the bookable start times.",
  outside_availability: "That time is outside the provider's working hours.",
  too_soon: "That time is too soon to book.",
  too_far: "That time is too far ahead to book.",
  slot_taken: "Sorry, someone else just booked that time.",
  limit_reached: "The provider is fully booked that day.",
  unknown_customer: "We could not find your customer profile.",
  not_reschedulable: "That appointment can no longer be rescheduled.",
  too_many_upcoming: "You already hold as many upcoming appointments as can be booked at once.",
  processing_failed: "We could not process this booking request. Please try again.",
};
