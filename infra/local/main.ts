import type { Server } from "node:http";
import { resolve } from "node:path";
import { documentClient, dynamoClient } from "../../shared/adapters/dynamodb/client.js";
import { DynamoRegistryStore } from "../../shared/adapters/dynamodb/registry-store.js";
import { notifySender } from "../../shared/adapters/notify-sender.js";
import type { Group } from "../../shared/api/routes.js";
import { releaseReminders } from "../../shared/app/alerts-reminders.js";
import { sweepBreaches } from "../../shared/app/breaches.js";
import { writeCheckpoint } from "../../shared/app/checkpoints.js";
import { sweepErasures } from "../../shared/app/retention.js";
import { seedRegistry } from "../../shared/app/seed.js";
import { deliverDue, sweepOverdue } from "../../shared/app/timeliness.js";
import { ConfigurationError, DEFAULTS, ENV, tableNames } from "../../shared/config.js";
import { DEMO_AGREEMENTS, DEMO_PARTNERS, DEMO_RULES } from "../../shared/demo-registry.js";
import { consoleHandler } from "./console.js";
import { CONSOLE_CLIENTS, CONSOLE_SCOPES } from "./demo-people.js";
import {
  ensureTables,
  type RunningDynamo,
  StartupError,
  startDynamoLocal,
  storeAccessKeyId,
} from "./dynamodb-local.js";
import { checkpointKeys, cursorKey, issuerKey, subjectKey } from "./keys.js";
import { CONSOLE_RESOURCE, type DevelopmentIssuer, developmentIssuer } from "./oidc.js";
import { createLocalServer, type LambdaHandler, loadGroupHandlers } from "./server.js";

/**
 * `npm start`: the embedded hub. The same Lambda handlers as on AWS, behind a local HTTP
 * server, with AWS's DynamoDB Local as the store, persisted under LANTERN_DATA_DIR.
 */

const env = process.env;
const say = (line: string) => process.stderr.write(`${line}\n`);

function listen(server: Server, port: number): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    server.once("error", (error: NodeJS.ErrnoException) => {
      if (error.code === "EADDRINUSE")
        reject(
          new StartupError(
            `Port ${port} is already in use: stop what is using it or set PORT to another port.`,
          ),
        );
      else if (error.code === "EACCES")
        reject(new StartupError(`Port ${port} cannot be used by this user: set PORT to another port.`));
      else reject(error);
    });
    server.listen(port, "127.0.0.1", () => resolvePromise());
  });
}

async function main(): Promise<void> {
  const started = Date.now();
  const port = Number(env[ENV.port] || DEFAULTS.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new StartupError(`PORT must be a port number, not ${env[ENV.port]}.`);
  const dataDir = resolve(env[ENV.dataDir] || DEFAULTS.dataDir);

  // The hub is its own development issuer unless an external one is configured.
  const hubUrl = `http://127.0.0.1:${port}`;
  let issuer: DevelopmentIssuer | null = null;
  if (!env[ENV.issuer]) {
    const { privateJwk, publicJwks } = await issuerKey(dataDir);
    env[ENV.issuer] = DEFAULTS.localIssuer;
    env[ENV.jwks] = JSON.stringify(publicJwks);
    issuer = developmentIssuer({
      privateJwk,
      hubUrl,
      audience: env[ENV.audience] || DEFAULTS.audience,
      ttlSeconds: Number(env[ENV.consoleTokenSeconds] || 3600),
    });
  } else if (!env[ENV.jwksUrl]) {
    throw new StartupError(`${ENV.issuer} is set, so ${ENV.jwksUrl} must be set too.`);
  }
  env[ENV.subjectKey] ||= subjectKey(dataDir);
  env[ENV.cursorKey] ||= cursorKey(dataDir);
  if (!env[ENV.checkpointKmsKeyId]) env[ENV.checkpointKey] = JSON.stringify(await checkpointKeys(dataDir));

  let ready = false;
  const handlers = {} as Record<Group, LambdaHandler>;
  const consolePages = consoleHandler({
    issuer: env[ENV.issuer] ?? DEFAULTS.localIssuer,
    discoveryUrl: issuer
      ? "/.well-known/openid-configuration"
      : `${(env[ENV.issuer] ?? "").replace(/\/$/, "")}/.well-known/openid-configuration`,
    resource: CONSOLE_RESOURCE,
    apiBase: "",
    scopes: CONSOLE_SCOPES,
    clients: CONSOLE_CLIENTS,
  });
  const server = createLocalServer(handlers, () => ready, {
    handle: (req, res) => (issuer?.handle(req, res) ?? false) || consolePages(req, res),
  });
  await listen(server, port);

  let dynamo: RunningDynamo | null = null;
  const timers: NodeJS.Timeout[] = [];
  const shutdown = async (code: number) => {
    ready = false;
    for (const timer of timers) clearInterval(timer);
    const closed = new Promise<void>((r) => server.close(() => r()));
    // Idle keep-alive sockets would hold close() open for a minute: end them now.
    server.closeIdleConnections();
    setTimeout(() => server.closeAllConnections(), 2000).unref();
    await closed;
    await dynamo?.stop();
    process.exit(code);
  };
  let stopping = false;
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      say(`Lantern: stopping (${signal}).`);
      void shutdown(0);
    });
  }

  try {
    if (!env[ENV.dynamodbEndpoint]) {
      const accessKeyId = storeAccessKeyId(dataDir);
      dynamo = await startDynamoLocal({ dbPath: resolve(dataDir, "dynamodb"), accessKeyId });
      env[ENV.dynamodbEndpoint] = dynamo.endpoint;
      env[ENV.dynamodbAccessKeyId] = accessKeyId;
      if (dynamo.migrated)
        say("Lantern: moved the store made by an earlier version to the hub's own credential.");
    }
    const doc = documentClient(env[ENV.dynamodbEndpoint], env);
    const tables = tableNames(env);
    await ensureTables(dynamoClient(env[ENV.dynamodbEndpoint], env), tables);
    if (env[ENV.seed] !== "none") {
      const registry = new DynamoRegistryStore(doc, tables);
      const clock = { now: () => new Date() };
      const ids = { next: (prefix: string) => `${prefix}_${crypto.randomUUID()}` };
      const seeded = await seedRegistry(
        { clock, ids, registry },
        { partners: DEMO_PARTNERS, agreements: DEMO_AGREEMENTS, rules: DEMO_RULES },
      );
      if (seeded) say("Lantern: loaded the demo registry.");
    }
    Object.assign(handlers, await loadGroupHandlers());
  } catch (error: unknown) {
    await dynamo?.stop();
    throw error;
  }
  timers.push(...startClockwork(await import("../../functions/wiring.js")));
  ready = true;
  say(
    `Lantern: serving on http://127.0.0.1:${port} (store ${env[ENV.dynamodbEndpoint]}, data ${dataDir}, ready in ${Date.now() - started} ms).`,
  );
}

/**
 * Run `work` every `seconds`, one round at a time; a failed round is logged by name and tried
 * again on the next tick. On AWS, EventBridge schedules and the queue do this.
 */
function every(seconds: number, name: string, work: () => Promise<unknown>): NodeJS.Timeout {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    work()
      .catch((error: unknown) =>
        say(`Lantern: ${name} failed (${error instanceof Error ? error.name : "unknown"}).`),
      )
      .finally(() => {
        running = false;
      });
  }, seconds * 1000);
  timer.unref();
  return timer;
}

/** The hub's clockwork: checkpoints, the overdue and erasing sweep and the push outbox. */
function startClockwork(wiring: typeof import("../../functions/wiring.js")): NodeJS.Timeout[] {
  // The hub sends alerts as the deliverer does on AWS.
  wiring.sendAlertsWith(notifySender);
  const w = wiring.wired();
  const sweepSeconds = Number(env[ENV.sweepSeconds] || 60);
  return [
    every(Number(env[ENV.checkpointSeconds] || 60), "checkpoint", () => writeCheckpoint(w, false)),
    every(sweepSeconds, "overdue sweep", async () => {
      // Each step has its share of the period: a backlog is worked off over several sweeps
      // and the push outbox, which runs every second, is never starved.
      const share = (part: number) => Date.now() + sweepSeconds * 1000 * part;
      // Reminder texts first: each is due at one moment before a school's day.
      await releaseReminders(w, share(1 / 8));
      await sweepOverdue(w, share(1 / 4));
      await sweepBreaches(w, share(1 / 4));
      await sweepErasures(w, w.clock.now(), share(1 / 2));
    }),
    every(1, "push delivery", () => deliverDue(w)),
    // Alerts for people drain on their own timer, so a slow Notify never holds up webhooks.
    ...(w.alerts ? [every(1, "alert delivery", () => deliverDue(w, "alerts"))] : []),
  ];
}

main().catch((error: unknown) => {
  if (error instanceof StartupError || error instanceof ConfigurationError) {
    say(`Lantern cannot start: ${error.message}`);
  } else {
    say(
      `Lantern cannot start: ${error instanceof Error ? error.name : "unknown error"}${error instanceof Error && "code" in error ? ` (${String(error.code)})` : ""}.`,
    );
    // The details may hold data; show them only to an operator who asks.
    if (env.LANTERN_DEBUG === "1" && error instanceof Error) say(error.stack ?? "");
  }
  process.exit(1);
});
