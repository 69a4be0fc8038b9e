import { randomUUID } from "node:crypto";
import { TransactWriteCommand, type TransactWriteCommandInput } from "@aws-sdk/lib-dynamodb";
import type { Caller } from "../shared/app/context.js";
import { submitConcern } from "../shared/app/submit-concern.js";
import { DEMO_PARTNERS } from "../shared/demo-registry.js";
import { amyConcern } from "../test/support/fixtures.js";
import { type BenchResult, log, percentile, round, since } from "./stats.js";
import { type BenchStore, benchStore } from "./store.js";

/**
 * 1. Submit latency of the domain path (submitConcern with the real DynamoDB stores) over a
 * bare TransactWriteItems of exactly the items Lantern wrote for one submission (concern, two
 * notifications, two audit events, with the same conditions): the ratio is Lantern's own work
 * (registry reads, routing, agreement checks, minimising, hashing, reading the shard head).
 */

const police = DEMO_PARTNERS.find((p) => p.id === "essex-police");
if (!police) throw new Error("the demo registry has no essex-police");
export const caller: Caller = {
  partner: police,
  sub: "pc-1234",
  clientId: "essex-police-app",
  scopes: new Set(["concerns:submit"]),
  requestId: "bench",
};
export const subjectKey = Buffer.alloc(32, 7);

type Send = (command: unknown, ...rest: unknown[]) => Promise<unknown>;

/** One real submission, recording the TransactWriteItems it sends. */
export async function captureTransaction(
  store: BenchStore,
): Promise<{ input: TransactWriteCommandInput; calls: string[]; notificationIds: string[] }> {
  const target = store.doc as unknown as { send: Send };
  const original = target.send.bind(store.doc);
  let captured: TransactWriteCommandInput | undefined;
  const calls: string[] = [];
  target.send = (command, ...rest) => {
    calls.push((command as object).constructor.name);
    if (command instanceof TransactWriteCommand) captured = structuredClone(command.input);
    return original(command, ...rest);
  };
  let notificationIds: string[] = [];
  try {
    const response = await submitConcern({ ...store, subjectKey }, caller, amyConcern(), undefined);
    notificationIds = (response.body as { notifications: { id: string }[] }).notifications.map((n) => n.id);
  } finally {
    delete (target as { send?: Send }).send;
  }
  if (!captured) throw new Error("submitConcern sent no TransactWriteItems");
  return { input: captured, calls, notificationIds };
}

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;

/**
 * The captured items with fresh keys of the same length: new UUIDs in the data items' keys, and
 * audit events on a shard Lantern never uses, so every conditional put succeeds as Lantern's do.
 */
export function replay(
  input: TransactWriteCommandInput,
  auditTable: string,
  n: number,
): TransactWriteCommandInput {
  let k = 0;
  const items = (input.TransactItems ?? []).map((item) => {
    const put = item.Put;
    if (!put) return item;
    const copy = structuredClone(put.Item ?? {}) as Record<string, unknown>;
    if (put.TableName === auditTable) {
      copy.shard = 9000;
      copy.seq = n * 10 + k++;
    } else {
      const fresh = randomUUID();
      for (const key of ["pk", "gsi1sk", "gsi2sk"]) {
        if (typeof copy[key] === "string") copy[key] = (copy[key] as string).replace(UUID, fresh);
      }
    }
    return { Put: { ...put, Item: copy } };
  });
  return { TransactItems: items, ClientRequestToken: randomUUID() };
}

export async function benchSubmit(
  endpoint: string,
  options: { warmup: number; iterations: number },
): Promise<BenchResult> {
  const store = await benchStore(endpoint);
  const { input: captured, calls } = await captureTransaction(store);
  const items = captured.TransactItems ?? [];
  const itemBytes = items.map((i) => JSON.stringify(i.Put?.Item ?? {}).length);
  log(`submit: one submission writes ${items.length} items (${itemBytes.join(", ")} bytes as JSON)`);
  log(`submit: and sends ${calls.length} DynamoDB requests: ${calls.join(", ")}`);

  const lantern: number[] = [];
  const bare: number[] = [];
  const total = options.warmup + options.iterations;
  // Interleaved, so both see the same table sizes and the same JVM state.
  for (let i = 0; i < total; i++) {
    let start = performance.now();
    await submitConcern({ ...store, subjectKey }, caller, amyConcern(), undefined);
    const a = since(start);
    start = performance.now();
    await store.doc.send(new TransactWriteCommand(replay(captured, store.tables.audit, i)));
    const b = since(start);
    if (i >= options.warmup) {
      lantern.push(a);
      bare.push(b);
    }
  }
  const p50 = percentile(lantern, 50);
  const p99 = percentile(lantern, 99);
  const b50 = percentile(bare, 50);
  const b99 = percentile(bare, 99);
  return {
    name: "submit latency p50 (submitConcern, DynamoDB Local)",
    figure: round(p50),
    unit: "ms",
    baseline: round(b50),
    baselineLabel: "bare TransactWriteItems of the same 5 items, p50",
    ratio: round(p50 / b50),
    ratioMeaning: "x the bare transaction",
    details: {
      iterations: options.iterations,
      warmup: options.warmup,
      p50Ms: round(p50),
      p99Ms: round(p99),
      meanMs: round(lantern.reduce((s, x) => s + x, 0) / lantern.length),
      baselineP50Ms: round(b50),
      baselineP99Ms: round(b99),
      ratioP50: round(p50 / b50),
      ratioP99: round(p99 / b99),
      items: items.length,
      itemJsonBytes: itemBytes,
      dynamoRequestsPerSubmission: calls,
    },
  };
}
