import { randomInt } from "node:crypto";
import type { ShardHead } from "../../domain/audit.js";

/**
 * One writer at a time per audit shard in this process. Appends to a shard wait behind each
 * other instead of racing for the same seq (a race costs every loser a cancelled transaction,
 * a head read and a sleep: at 100 concurrent submissions on 4 shards nearly all of them), and
 * the head a writer leaves behind is the next writer's, so no head is read while this process
 * is the shard's only writer. Another process (a second container, a second hub on the same
 * store) can still take a seq: the conditional put refuses the transaction, and the caller
 * forgets the head (`forget`) so the next writer reads it again. Nothing here is needed for
 * correctness, only for speed.
 */
export interface ShardSlot {
  readonly shard: number;
  /** The shard's head as this process last wrote or read it; null when unknown. */
  head: ShardHead | null;
}

interface Lane extends ShardSlot {
  /** Settles when the last writer queued on this shard is done. */
  tail: Promise<void>;
  /** Writers holding or waiting for this shard. */
  queued: number;
}

export class ShardWriters {
  private readonly lanes = new Map<string, Lane[]>();

  private lanesOf(table: string, shards: number): Lane[] {
    let lanes = this.lanes.get(table);
    if (!lanes || lanes.length !== shards) {
      lanes = Array.from({ length: shards }, (_, shard) => ({
        shard,
        head: null,
        tail: Promise.resolve(),
        queued: 0,
      }));
      this.lanes.set(table, lanes);
    }
    return lanes;
  }

  /** The shard with the fewest writers queued (ties broken at random, so load spreads). */
  private pick(lanes: readonly Lane[]): Lane {
    const fewest = Math.min(...lanes.map((l) => l.queued));
    const candidates = lanes.filter((l) => l.queued === fewest);
    return candidates[randomInt(candidates.length)] as Lane;
  }

  /**
   * Run `work` as the only writer of a shard of `table` in this process: `shard` when given (a
   * resend must go to the shard it was built for), else the least busy one.
   */
  async exclusive<T>(
    table: string,
    shards: number,
    work: (slot: ShardSlot) => Promise<T>,
    shard?: number,
  ): Promise<T> {
    const lanes = this.lanesOf(table, shards);
    const lane = shard === undefined ? this.pick(lanes) : (lanes[shard] as Lane);
    lane.queued++;
    const before = lane.tail;
    let release = () => {};
    lane.tail = new Promise<void>((resolve) => {
      release = resolve;
    });
    await before;
    try {
      return await work(lane);
    } finally {
      lane.queued--;
      release();
    }
  }
}
