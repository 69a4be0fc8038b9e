import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import type { JSONWebKeySet } from "jose";
import type { AuditEvent } from "../../shared/domain/audit.js";
import { verifyAudit } from "../../shared/domain/verify.js";

/**
 * The auditor's offline verifier:
 *   npm run -s audit:verify -- --events trail.ndjson --checkpoints checkpoints.json --keys keys.json
 * Exit 0 when the trail is valid, 1 with every problem listed, 2 when the files cannot be read.
 * It uses the same module as GET /v1/audit/verify, so the two always agree.
 */
function readCheckpoints(text: string): string[] {
  const parsed: unknown = JSON.parse(text);
  if (Array.isArray(parsed)) return parsed as string[];
  return (parsed as { checkpoints: string[] }).checkpoints;
}

export async function verifyFiles(paths: {
  events: string;
  checkpoints: string;
  keys: string;
  incremental?: boolean;
}) {
  const events = readFileSync(paths.events, "utf8")
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as AuditEvent);
  return verifyAudit({
    events,
    checkpoints: readCheckpoints(readFileSync(paths.checkpoints, "utf8")),
    keys: JSON.parse(readFileSync(paths.keys, "utf8")) as JSONWebKeySet,
    incremental: paths.incremental ?? false,
  });
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      events: { type: "string" },
      checkpoints: { type: "string" },
      keys: { type: "string" },
      incremental: { type: "boolean", default: false },
    },
  });
  if (!values.events || !values.checkpoints || !values.keys) {
    process.stderr.write(
      "Usage: npm run -s audit:verify -- --events <file.ndjson> --checkpoints <file.json> --keys <jwks.json> [--incremental]\n",
    );
    return 2;
  }
  let result: Awaited<ReturnType<typeof verifyFiles>>;
  try {
    result = await verifyFiles({
      events: values.events,
      checkpoints: values.checkpoints,
      keys: values.keys,
      incremental: values.incremental,
    });
  } catch (error: unknown) {
    process.stderr.write(
      `audit:verify: cannot read the files (${error instanceof Error ? error.message : String(error)})\n`,
    );
    return 2;
  }
  const summary = `${result.eventsChecked} events, ${result.checkpointsChecked} checkpoints`;
  if (result.valid) {
    process.stdout.write(`valid: ${summary}\n`);
    return 0;
  }
  process.stdout.write(`INVALID: ${summary}, ${result.problems.length} problem(s)\n`);
  for (const p of result.problems) {
    const where = p.checkpoint !== undefined ? `checkpoint ${p.checkpoint}` : `shard ${p.shard} seq ${p.seq}`;
    process.stdout.write(`  ${where}: ${p.problem}: ${p.detail}\n`);
  }
  return 1;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`audit:verify: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(2);
    },
  );
}
