import { createHmac, timingSafeEqual } from "node:crypto";
import type { RouteSpec } from "../api/routes.js";
import type { Caller } from "../app/context.js";
import { invalidCursor } from "../errors.js";

/**
 * Tamper-evident cursors, for every paged route at once. A store's cursor (a position) leaves
 * the hub only sealed: `<position>.<HMAC-SHA256>` over the position and what it was issued
 * for: the route, its path parameters, its filters (every query member but `cursor` and
 * `limit`: the page size may change between pages) and the caller (partner and `sub`). A
 * cursor edited, made up, or presented for another query or by another caller is one 400,
 * before anything is read, so no crafted position ever reaches a store.
 */

export interface CursorBinding {
  readonly text: string;
}

/** What a cursor is issued for; the order of query members does not matter. */
export function cursorBinding(
  route: Pick<RouteSpec, "operationId">,
  caller: Pick<Caller, "sub" | "partner"> | null,
  params: Record<string, unknown>,
  query: Record<string, unknown>,
): CursorBinding {
  const filters = Object.entries(query)
    .filter(([name, value]) => name !== "cursor" && name !== "limit" && value !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : 1));
  const pathParams = Object.entries(params).sort(([a], [b]) => (a < b ? -1 : 1));
  return {
    text: JSON.stringify([
      route.operationId,
      pathParams,
      filters,
      caller?.partner.id ?? null,
      caller?.sub ?? null,
    ]),
  };
}

const macOf = (key: Uint8Array, binding: CursorBinding, position: string) =>
  createHmac("sha256", key).update(binding.text).update("\n").update(position).digest("base64url");

export function sealCursor(key: Uint8Array, binding: CursorBinding, position: string): string {
  return `${position}.${macOf(key, binding, position)}`;
}

/** The position inside a cursor this hub issued for exactly this binding; otherwise a 400. */
export function openCursor(key: Uint8Array, binding: CursorBinding, cursor: string): string {
  const dot = cursor.lastIndexOf(".");
  const position = cursor.slice(0, Math.max(dot, 0));
  const given = Buffer.from(cursor.slice(dot + 1), "utf8");
  const expected = Buffer.from(macOf(key, binding, position), "utf8");
  // Byte lengths first: timingSafeEqual throws on unequal lengths, and a throw here is a 500.
  if (dot <= 0 || given.length !== expected.length || !timingSafeEqual(given, expected))
    throw invalidCursor();
  return position;
}
