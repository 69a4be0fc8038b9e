import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { chainOrderAhead, readAhead } from "../../bench/read-ahead.js";
import { chainOrder } from "../../shared/app/audit.js";
import type { AuditEvent } from "../../shared/domain/audit.js";
import { verifyAudit } from "../../shared/domain/verify.js";
import type { AuditStore } from "../../shared/ports.js";
import { fixedShard } from "../support/audit-trail.js";

const tick = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

/** Sources whose pages arrive after the given delays, recording how far each was read ahead. */
function sources(pages: number[][][], delays: number[][], trace: { inFlight: number; maxInFlight: number }) {
  const read = pages.map(() => 0);
  const sourceFns = pages.map(
    (list, s) =>
      async function* () {
        trace.inFlight += 1;
        trace.maxInFlight = Math.max(trace.maxInFlight, trace.inFlight);
        try {
          for (const [p, page] of list.entries()) {
            await tick(delays[s]?.[p] ?? 0);
            read[s] = (read[s] ?? 0) + 1;
            yield page;
          }
        } finally {
          trace.inFlight -= 1;
        }
      },
  );
  return { sourceFns, read };
}

describe("readAhead", () => {
  it("yields every item in source order, whatever the timing, parallelism and depth", async () => {
    const page = fc.array(fc.integer(), { maxLength: 4 });
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(fc.tuple(page, fc.integer({ min: 0, max: 3 })), { maxLength: 4 }), {
          maxLength: 6,
        }),
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 1, max: 3 }),
        async (shape, parallel, depth) => {
          const pages = shape.map((s) => s.map(([p]) => p));
          const delays = shape.map((s) => s.map(([, d]) => d));
          const trace = { inFlight: 0, maxInFlight: 0 };
          const { sourceFns } = sources(pages, delays, trace);
          const got = await collect(readAhead(sourceFns, { parallel, depth }));
          expect(got).toEqual(pages.flat(2));
          expect(trace.maxInFlight).toBeLessThanOrEqual(parallel);
        },
      ),
      { numRuns: 150 },
    );
  });

  it("reads at most `depth` pages ahead of the consumer in each source", async () => {
    const pages = [Array.from({ length: 20 }, (_, i) => [i])];
    const trace = { inFlight: 0, maxInFlight: 0 };
    const { sourceFns, read } = sources(pages, [[]], trace);
    let consumed = 0;
    for await (const _ of readAhead(sourceFns, { parallel: 1, depth: 2 })) {
      consumed += 1;
      await tick(2);
      // The page being consumed, the buffered ones, and one the source is producing.
      expect((read[0] ?? 0) - consumed).toBeLessThanOrEqual(3);
    }
    expect(consumed).toBe(20);
  });

  it("reads the later sources while an earlier one is consumed", async () => {
    const trace = { inFlight: 0, maxInFlight: 0 };
    const { sourceFns, read } = sources([[[1]], [[2]], [[3]], [[4]]], [[5], [0], [0], [0]], trace);
    const iterator = readAhead(sourceFns, { parallel: 3, depth: 2 })[Symbol.asyncIterator]();
    expect(await iterator.next()).toEqual({ value: 1, done: false });
    await tick(5);
    expect(read).toEqual([1, 1, 1, 0]);
    expect(await collect({ [Symbol.asyncIterator]: () => iterator })).toEqual([2, 3, 4]);
  });

  it("throws a source's failure where its items would come, after every earlier item", async () => {
    async function* failing() {
      yield [3];
      throw new Error("store unavailable");
    }
    async function* fine(items: number[]) {
      yield items;
    }
    const got: number[] = [];
    const reading = (async () => {
      for await (const item of readAhead([() => fine([1, 2]), failing, () => fine([4])], {
        parallel: 3,
        depth: 1,
      }))
        got.push(item);
    })();
    await expect(reading).rejects.toThrow("store unavailable");
    expect(got).toEqual([1, 2, 3]);
  });
});

/** An in-memory store with pages of `pageSize` events. */
function memoryStore(shards: AuditEvent[][], pageSize: number): AuditStore {
  return {
    shardCount: () => shards.length,
    query: () => Promise.reject(new Error("not used")),
    async *readShard(shard: number, afterSeq = 0) {
      const events = (shards[shard] ?? []).filter((e) => e.seq > afterSeq);
      for (let i = 0; i < events.length; i += pageSize) {
        await tick(i % 3);
        yield events.slice(i, i + pageSize);
      }
    },
  };
}

describe("chainOrderAhead", () => {
  const trail = [fixedShard(0, 13), fixedShard(1, 0), fixedShard(2, 7), fixedShard(3, 21)];

  it("gives chainOrder's events in chainOrder's order, from any start per shard", async () => {
    const store = memoryStore(trail, 4);
    const after = (shard: number) => (shard === 1 ? null : shard * 2);
    const ahead = await collect(chainOrderAhead(store, after, { parallel: 3, depth: 2 }));
    expect(ahead).toEqual(await collect(chainOrder(store, after)));
    expect(ahead.length).toBe(13 - 0 + (7 - 4) + (21 - 6));
  });

  it("feeds the verifier the same findings as the sequential reader, tampering included", async () => {
    const tampered = trail.map((shard) => [...shard]);
    const third = tampered[2]?.[2] as AuditEvent;
    tampered[2]?.splice(2, 1, { ...third, recipientId: "someone-else" });
    tampered[3]?.splice(5, 1);
    const store = memoryStore(tampered, 5);
    const verify = (events: AsyncIterable<AuditEvent>) =>
      verifyAudit({ events, checkpoints: [], keys: { keys: [] }, shards: 4 });
    const sequential = await verify(chainOrder(store));
    expect(sequential.valid).toBe(false);
    expect(await verify(chainOrderAhead(store))).toEqual(sequential);
  });
});
