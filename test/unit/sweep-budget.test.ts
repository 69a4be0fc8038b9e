import { describe, expect, it } from "vitest";
import { sweepOverdue, type TimelinessDeps } from "../../shared/app/timeliness.js";
import type { NotificationRecord } from "../../shared/ports.js";

/**
 * The overdue sweep stops when its share of the run is spent, so a backlog (or an index that
 * keeps answering) cannot starve the push outbox that runs after it.
 */
describe("the overdue sweep's time budget", () => {
  const candidate = (i: number) => ({ id: `ntf_${i}`, recipientId: "essex-mash" }) as NotificationRecord;

  /** A due index that never runs dry, and a store on which every transition conflicts slowly. */
  function endlessBacklog() {
    let pages = 0;
    const deps = {
      clock: { now: () => new Date("2026-12-01T09:00:00Z") },
      registry: { getPartner: async () => null },
      timeliness: {
        due: async () => {
          pages++;
          return Array.from({ length: 50 }, (_, i) => candidate(pages * 50 + i));
        },
        markOverdue: async () => {
          await new Promise((resolve) => setTimeout(resolve, 2));
          return "ok" as const;
        },
      },
      ids: { next: (prefix: string) => `${prefix}_x` },
    } as unknown as TimelinessDeps;
    return { deps, pages: () => pages };
  }

  it("reads nothing once its budget is already spent", async () => {
    // Prepare
    const { deps, pages } = endlessBacklog();

    // Act
    const marked = await sweepOverdue(deps, Date.now() - 1);

    // Assess
    expect(marked).toBe(0);
    expect(pages()).toBe(0);
  });

  it("ends within its budget however long the backlog", async () => {
    // Prepare
    const { deps } = endlessBacklog();
    const started = Date.now();

    // Act
    const marked = await sweepOverdue(deps, started + 150);

    // Assess: it marked some and stopped, overrunning by at most the page in hand (50 × ~2 ms).
    expect(marked).toBeGreaterThan(0);
    expect(Date.now() - started).toBeLessThan(150 + 400);
  });
});
