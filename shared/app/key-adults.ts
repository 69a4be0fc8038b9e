import type { Partner } from "../domain/registry.js";
import { LanternError } from "../errors.js";
import type { Clock, Ids, NotificationRecord, NotificationStore } from "../ports.js";
import { aboutNotification, type Caller, callerEvent } from "./context.js";

export const NOT_A_KEY_ADULT = "not_a_key_adult";

const notAKeyAdult = () =>
  new LanternError(
    NOT_A_KEY_ADULT,
    403,
    "Not a Key Adult",
    "This school receives Operation Encompass notifications through its named Key Adults only.",
  );

/**
 * A school that names its trained Key Adults hears through them alone (some forces send to
 * nobody untrained): anyone else of the school may not open, acknowledge or record an
 * outcome. A refused opening is a refused disclosure, so it is audited; the reason names no
 * person. A school without `keyAdults` is open to all its staff, as before.
 */
export async function refuseUnlessKeyAdult(
  deps: { clock: Clock; ids: Ids; notifications: Pick<NotificationStore, "audit"> },
  caller: Caller,
  n: NotificationRecord,
  action: "open" | "respond",
): Promise<void> {
  const keyAdults = caller.partner.type === "school" ? caller.partner.keyAdults : undefined;
  if (!keyAdults || keyAdults.length === 0 || keyAdults.some((k) => k.sub === caller.sub)) return;
  if (action === "open") {
    await deps.notifications.audit([
      callerEvent(deps, caller, "disclosure_refused", { ...aboutNotification(n), reason: NOT_A_KEY_ADULT }),
    ]);
  }
  throw notAKeyAdult();
}

/**
 * Staff contact details (a Key Adult's email and mobile, an escalation contact's phone and
 * email) are personal data: only information governance and the partner itself see them.
 * Every other reader of the registry gets the record without them (names and subs stay:
 * they say who answers, not how to reach them).
 */
export function withoutContactDetailsUnlessEntitled<P extends Pick<Partner, "id" | "keyAdults">>(
  viewer: Pick<Partner, "id" | "governance">,
  partner: P & { escalationContact?: Partner["escalationContact"] },
): P {
  if (viewer.governance === true || viewer.id === partner.id) return partner;
  const hidden = { ...partner };
  if (partner.keyAdults) {
    hidden.keyAdults = partner.keyAdults.map(({ email: _email, mobile: _mobile, ...adult }) => adult);
  }
  if (partner.escalationContact) {
    const { phone: _phone, email: _email, ...contact } = partner.escalationContact;
    hidden.escalationContact = contact;
  }
  return hidden;
}
