import { writeCheckpoint } from "../shared/app/checkpoints.js";
import { jsonLogger } from "../shared/http/log.js";
import type { CheckpointAnswer, CheckpointRequest } from "../shared/ports.js";
import { signCheckpointsWith, wired } from "./wiring.js";

const log = jsonLogger();
signCheckpointsWith(() => import("../shared/adapters/signing/kms-signer.js"));

const isRequest = (event: unknown): event is CheckpointRequest =>
  (event as CheckpointRequest | null)?.force === true;

/**
 * The only writer of checkpoint rows. Runs every minute (an EventBridge schedule): signs the
 * head of every audit shard when events have arrived since the last checkpoint, so "at least
 * every minute while events arrive" holds on AWS as it does in the local hub. The audit
 * function invokes it synchronously with `{ force: true }` for `POST /v1/audit/checkpoints`
 * and answers with the checkpoint returned. The log line carries only the checkpoint number:
 * never a hash, an event or anything about a child. A failure throws, so the function's error
 * alarm sees it; the next minute tries again.
 */
export async function handler(event?: unknown): Promise<CheckpointAnswer> {
  const w = wired();
  const checkpoint = await writeCheckpoint(w, isRequest(event));
  log.info("checkpoint", { checkpoint: checkpoint ? checkpoint.number : "unchanged" });
  return { checkpoint };
}
