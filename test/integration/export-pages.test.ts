import { describe, expect, it } from "vitest";
import { type ExportPosition, exportEvents } from "../../shared/app/audit.js";
import type { Caller } from "../../shared/app/context.js";
import { DEMO_PARTNERS } from "../../shared/demo-registry.js";
import type { AuditEvent } from "../../shared/domain/audit.js";
import { verifyAudit } from "../../shared/domain/verify.js";
import { freshStore } from "../support/store.js";

const ig: Caller = {
  partner: DEMO_PARTNERS[0] as Caller["partner"],
  sub: "ig-1",
  clientId: "essex-police-ig",
  scopes: new Set(["audit:read"]),
  requestId: "req-export",
};

describe("exporting the trail in pages", () => {
  it("gives, page after page, exactly the whole trail in chain order, every page audited", async () => {
    // Prepare: the seeded registry's events over 3 shards.
    const store = await freshStore({ shards: 3 });
    const deps = { ...store, notifications: store.concerns };

    // Act
    const pages: string[] = [];
    let from: ExportPosition | undefined;
    do {
      const page = await exportEvents(deps, ig, "json", from, 4);
      pages.push(page.text);
      from = page.next ?? undefined;
    } while (from);
    const whole = await exportEvents(deps, ig, "json", undefined, 1_000_000);

    // Assess
    const paged = pages
      .join("")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as AuditEvent);
    const once = whole.text
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as AuditEvent);
    expect(pages.length).toBeGreaterThan(3);
    expect(pages.slice(0, -1).every((p) => p.trim().split("\n").length === 4)).toBe(true);
    // Every page recorded itself before it was read, and so did the one-shot export; pages
    // see those of their own records that land on shards not yet passed.
    expect(once.filter((e) => e.action === "audit_exported")).toHaveLength(pages.length + 1);
    expect(paged.map((e) => e.id)).toEqual(
      once.map((e) => e.id).filter((id) => paged.some((p) => p.id === id)),
    );
    expect(paged.filter((e) => e.action === "audit_exported").length).toBeGreaterThanOrEqual(1);
    const order = paged.map((e) => [e.shard, e.seq] as const);
    expect(order).toEqual([...order].sort((a, b) => a[0] - b[0] || a[1] - b[1]));
    expect((await verifyAudit({ events: paged, checkpoints: [], keys: { keys: [] }, shards: 3 })).valid).toBe(
      true,
    );
  });
});
