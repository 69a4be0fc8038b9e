import { checkpointPayload, headsChanged } from "../domain/checkpoint.js";
import { verifyAudit } from "../domain/verify.js";
import { badRequest, serviceUnavailable } from "../errors.js";
import type {
  AuditStore,
  CheckpointRequester,
  CheckpointSigner,
  CheckpointStore,
  Clock,
  StoredCheckpoint,
  Verification,
} from "../ports.js";
import { chainOrder } from "./audit.js";

export interface CheckpointDeps {
  clock: Clock;
  audit: AuditStore;
  checkpoints: CheckpointStore;
  signer: CheckpointSigner;
}

/**
 * Sign the head of every shard, linked to the checkpoint before. On the timer a checkpoint
 * is written only when events have arrived since the last; on demand (`force`) always.
 * Returns null when there was nothing new to sign.
 */
export async function writeCheckpoint(
  deps: CheckpointDeps,
  force: boolean,
): Promise<StoredCheckpoint | null> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const [previous, heads] = await Promise.all([
      deps.checkpoints.latestCheckpoint(),
      deps.checkpoints.heads(),
    ]);
    if (!force && !headsChanged(previous?.payload ?? null, heads)) return null;
    const payload = checkpointPayload(deps.clock.now().toISOString(), heads, previous?.jws ?? null);
    const checkpoint = { number: (previous?.number ?? 0) + 1, jws: await deps.signer.sign(payload), payload };
    // Two checkpointers at once: the loser re-reads and links to the winner's.
    if ((await deps.checkpoints.appendCheckpoint(checkpoint)) === "ok") return checkpoint;
  }
  throw serviceUnavailable("Another checkpoint is being written; try again.", 1);
}

/** The local adapter of the requester: the checkpointer's own code, run in this process. */
export function inProcessCheckpointer(deps: CheckpointDeps): CheckpointRequester {
  return { requestCheckpoint: () => writeCheckpoint(deps, true) };
}

/** `POST /v1/audit/checkpoints`: the checkpointer signs one now, or the caller retries. */
export async function checkpointNow(requester: CheckpointRequester) {
  const checkpoint = await requester.requestCheckpoint();
  if (!checkpoint) throw serviceUnavailable("No checkpoint could be written; try again.");
  return { number: checkpoint.number, checkpoint: checkpoint.jws, payload: checkpoint.payload };
}

export async function listCheckpoints(deps: CheckpointDeps, cursor: string | undefined, limit: number) {
  const from = cursor === undefined ? 1 : Number(cursor);
  if (!Number.isInteger(from) || from < 1)
    throw badRequest("The cursor is not valid: pass nextCursor exactly as it was returned.");
  const page = await deps.checkpoints.listCheckpoints(from, limit + 1);
  const items = page.slice(0, limit);
  const last = items.at(-1);
  return {
    checkpoints: items.map((c) => c.jws),
    nextCursor: page.length > limit && last ? String(last.number + 1) : null,
  };
}

/**
 * Verify the whole trail, or incrementally from checkpoint `since` (trusted once its
 * signature verifies), so a daily check reads only what arrived since the last one.
 */
export async function verifyTrail(deps: CheckpointDeps, since: number | undefined): Promise<Verification> {
  const from = since ?? 1;
  const checkpoints = await deps.checkpoints.listCheckpoints(from, Number.MAX_SAFE_INTEGER);
  if (since !== undefined && checkpoints[0]?.number !== since)
    throw badRequest(`There is no checkpoint ${since}.`);
  const trusted = since !== undefined ? checkpoints[0]?.payload.heads : undefined;
  // Events stream from the store into the verifier page by page: memory stays flat.
  const events = chainOrder(deps.audit, (shard) => trusted?.find((h) => h.shard === shard)?.seq ?? 0);
  return verifyAudit({
    events,
    checkpoints: checkpoints.map((c) => c.jws),
    keys: (await deps.signer.publicKeys()) as never,
    shards: deps.audit.shardCount(),
    incremental: since !== undefined,
  });
}
