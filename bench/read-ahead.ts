import type { AuditEvent } from "../shared/domain/audit.js";
import type { AuditStore } from "../shared/ports.js";

/**
 * Reading the trail for verification while it is being verified: several shards are read at
 * once, each a bounded number of pages ahead, and their events are yielded in chain order
 * (shard by shard, seq by seq), exactly the order `chainOrder` gives, so the verifier and its
 * findings are unchanged. The store's round trips then overlap the hashing instead of
 * alternating with it. Memory stays bounded: at most `parallel` × `depth` pages are held.
 */

/** One source's pages, read ahead of its consumer by at most `depth` pages. */
class PageBuffer<T> {
  private readonly pages: T[][] = [];
  private finished = false;
  private failure: { error: unknown } | null = null;
  private wakeConsumer: (() => void) | null = null;
  private wakeProducer: (() => void) | null = null;

  constructor(
    source: () => AsyncIterable<T[]>,
    private readonly depth: number,
  ) {
    void this.fill(source);
  }

  private async fill(source: () => AsyncIterable<T[]>): Promise<void> {
    try {
      for await (const page of source()) {
        this.pages.push(page);
        this.notifyConsumer();
        while (this.pages.length >= this.depth) {
          await new Promise<void>((resolve) => {
            this.wakeProducer = resolve;
          });
        }
      }
    } catch (error: unknown) {
      // Kept for the consumer: it is thrown where the events are read, in chain order.
      this.failure = { error };
    } finally {
      this.finished = true;
      this.notifyConsumer();
    }
  }

  private notifyConsumer() {
    const wake = this.wakeConsumer;
    this.wakeConsumer = null;
    wake?.();
  }

  async *drain(): AsyncIterable<T> {
    for (;;) {
      const page = this.pages.shift();
      if (page) {
        const wake = this.wakeProducer;
        this.wakeProducer = null;
        wake?.();
        yield* page;
        continue;
      }
      if (this.failure) throw this.failure.error;
      if (this.finished) return;
      await new Promise<void>((resolve) => {
        this.wakeConsumer = resolve;
      });
    }
  }
}

/**
 * The items of `sources` in order, source after source, with up to `parallel` sources being
 * read at once, each at most `depth` pages ahead.
 */
export async function* readAhead<T>(
  sources: readonly (() => AsyncIterable<T[]>)[],
  options: { parallel: number; depth: number },
): AsyncIterable<T> {
  const parallel = Math.max(1, options.parallel);
  const depth = Math.max(1, options.depth);
  const buffers = new Map<number, PageBuffer<T>>();
  let started = 0;
  for (let i = 0; i < sources.length; i++) {
    // Sources start as earlier ones are consumed, so `parallel` stay in flight.
    for (; started < Math.min(i + parallel, sources.length); started++) {
      buffers.set(started, new PageBuffer(sources[started] as () => AsyncIterable<T[]>, depth));
    }
    const buffer = buffers.get(i) as PageBuffer<T>;
    buffers.delete(i);
    yield* buffer.drain();
  }
}

/**
 * Not wired into `verifyTrail` yet, on measurement: against DynamoDB Local on 2 cores reading
 * 4 shards at once ran at 0.72-0.88x the sequential reader and one page ahead at 0.72-0.95x
 * (benchmark 8 in bench/README.md), because the emulator's reads cost ~50-80 times the hashing
 * and compete for the same cores. On DynamoDB proper, where a page's read is network latency rather than
 * our CPU, it is the lever to measure there first.
 */
export const VERIFY_READ_AHEAD = { parallel: 4, depth: 2 };

/** `chainOrder`, reading several shards at once: the same events in the same order. */
export function chainOrderAhead(
  audit: AuditStore,
  after: (shard: number) => number | null = () => 0,
  options = VERIFY_READ_AHEAD,
): AsyncIterable<AuditEvent> {
  const sources: (() => AsyncIterable<AuditEvent[]>)[] = [];
  for (let shard = 0; shard < audit.shardCount(); shard++) {
    const from = after(shard);
    if (from !== null) sources.push(() => audit.readShard(shard, from));
  }
  return readAhead(sources, options);
}
