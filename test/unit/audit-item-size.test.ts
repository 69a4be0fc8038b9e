import { describe, expect, it } from "vitest";
import { STORED_AS_INDEX_KEY } from "../../shared/adapters/dynamodb/audit-items.js";
import { eventFromItem } from "../../shared/adapters/dynamodb/audit-store.js";
import { auditItem } from "../../shared/adapters/dynamodb/commit.js";
import type { AuditEvent } from "../../shared/domain/audit.js";
import { DATA_CATEGORIES } from "../../shared/domain/vocabulary.js";

/**
 * An audit item costs one write unit per started KB, on the table and again on each of its six
 * indexes (each projects the whole item). A disclosure holds no member twice, no null, and its
 * digests as bytes, so the demo's largest (every data category, the demo agreements' lawful
 * basis, a UUID request id) stays under 1 KB: 7 units, where a few bytes more would make it 14.
 */

/** DynamoDB's item size: attribute names and values in UTF-8, numbers and containers as it counts them. */
function itemBytes(value: unknown): number {
  if (value === null || typeof value === "boolean") return 1;
  if (typeof value === "string") return Buffer.byteLength(value);
  if (value instanceof Uint8Array) return value.byteLength;
  if (typeof value === "number") return Math.ceil(String(Math.abs(value)).replace(".", "").length / 2) + 1;
  if (Array.isArray(value)) return 3 + value.reduce((n: number, v) => n + 1 + itemBytes(v), 0);
  return (
    3 + Object.entries(value as object).reduce((n, [k, v]) => n + 1 + Buffer.byteLength(k) + itemBytes(v), 0)
  );
}
const topLevelBytes = (item: Record<string, unknown>) =>
  Object.entries(item).reduce((n, [k, v]) => n + Buffer.byteLength(k) + itemBytes(v), 0);

const disclosure: AuditEvent = {
  id: "evt_bdc0a687-7831-46b1-bb92-ab8682dfbca3",
  shard: 15,
  seq: 123_456_789,
  at: "2026-12-02T02:16:29.849Z",
  action: "disclosure",
  actor: { partnerId: "essex-police", sub: "pc-1234-long-subject", clientId: "essex-police-app" },
  subjectId: "subj_icWcAMbIVCwbUr0Mz2_EwJmMnd9VPC1L",
  concernId: "con_cb4d9809-86d8-441d-8df4-9af423c390cd",
  notificationId: "ntf_6610bdbf-fdf4-4c83-9ac7-35f84f57e6a0",
  recipientId: "southend-mash",
  agreement: { id: "mash-southend", version: 12 },
  purpose: "safeguarding",
  lawfulBasis: [
    "UK GDPR Art. 6(1)(e)",
    "UK GDPR Art. 9(2)(g); DPA 2018 Sch. 1 para 18",
    "Children Act 2004 s11",
    "Crime and Disorder Act 1998 s115",
  ],
  dataCategories: [...DATA_CATEGORIES],
  payloadSha256: "4556acb216349eb099c0e1baae6d6abf26337be239f5c4b9f7281c71dbd7cb42",
  reason: null,
  target: null,
  requestId: "a3c1e0f2-9d1b-4f3e-8a77-0c5b8f1d2e3a",
  prevHash: "25da0362e6b634f97d970f7b4faa39b5739926fd99f2c3a18f281e48b5bbe7b1",
  hash: "5c04363076335ec496261fd879eaf14c8569eaeb4715e3fa64ee5bf4f034c4d9",
};

describe("an audit item", () => {
  it("holds each member once, under its index key where it has one, and no null", () => {
    const item = auditItem(disclosure);
    for (const [member, key] of Object.entries(STORED_AS_INDEX_KEY)) {
      expect(item[key]).toBe(disclosure[member as keyof AuditEvent]);
      expect(item).not.toHaveProperty(member);
    }
    expect(Object.values(item)).not.toContain(null);
  });

  it("reads back as the event it was written from, nulls included, and so does one written with both", () => {
    expect(eventFromItem(auditItem(disclosure))).toEqual(disclosure);
    // Items written before this layout carry the member and its index key both.
    const before = { ...auditItem(disclosure), subjectId: disclosure.subjectId, reason: null };
    expect(eventFromItem(before)).toEqual(disclosure);
  });

  it("keeps the largest demo disclosure under the 1 KB write unit", () => {
    expect(topLevelBytes(auditItem(disclosure))).toBeLessThan(1024);
  });
});
