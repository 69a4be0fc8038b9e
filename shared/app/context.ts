import type { Actor } from "../domain/audit.js";
import type { Partner } from "../domain/registry.js";

/** Who is calling: the partner their OAuth client belongs to, the user, and the request. */
export interface Caller {
  partner: Partner;
  sub: string;
  clientId: string;
  scopes: ReadonlySet<string>;
  requestId: string;
}

export function actorOf(caller: Caller): Actor {
  return { partnerId: caller.partner.id, sub: caller.sub, clientId: caller.clientId };
}
