import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { type Group, routeGroups } from "../../shared/api/routes.js";

export { routeGroups };

/**
 * The one esbuild configuration every Lambda is bundled with: by the house construct at
 * synth time and by `npm run bundle:size`, so the size we watch is the size we ship.
 *
 * The AWS SDK is bundled, not left to the runtime: the versions pinned in package.json are
 * the ones the tests ran against (the runtime's copy moves when AWS updates it), and a
 * tree-shaken, minified SDK in one file loads faster at cold start than the runtime's
 * full packages resolved from disk.
 */

/** The repository root, so entries resolve the same from the CDK app, the tests and scripts. */
export const PROJECT_ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

/** Node.js 24 is the newest Lambda runtime aws-cdk-lib 2.276 knows (cdk-nag AwsSolutions-L1). */
export const NODE_TARGET = "node24";

/** ESM output still meets CommonJS dependencies that call `require`: give them one. */
export const ESM_BANNER =
  "import { createRequire as __lanternCreateRequire } from 'node:module'; const require = __lanternCreateRequire(import.meta.url);";

export const SHARED_ESBUILD = {
  bundle: true,
  platform: "node",
  format: "esm",
  target: NODE_TARGET,
  minify: true,
  sourcemap: true,
  /**
   * The maps carry mappings, not the sources: Node needs only the mappings to put file and line
   * in a stack trace, and reads the whole map at every cold start (--enable-source-maps), so
   * the sources (three quarters of its ~6 MB) would only slow that read.
   */
  sourcesContent: false,
  mainFields: ["module", "main"],
  banner: { js: ESM_BANNER },
  /** Nothing external: the SDK is bundled on purpose (see above). */
  external: [] as string[],
} as const;

/**
 * Every function's NODE_OPTIONS: stack traces through the source maps. Node then reads each
 * bundle's map at load (~6 MB for an HTTP function), which the cold-start benchmark counts.
 */
export const LAMBDA_NODE_OPTIONS = "--enable-source-maps";

/**
 * Code that must never reach a Lambda bundle: the CDK itself, the local hub, and zod's classic
 * API (its import alone was half a DocumentClient-only cold start; the schemas use zod/mini,
 * which tree-shakes, and a single `import { z } from "zod"` would bring classic back whole).
 */
export const FORBIDDEN_IN_BUNDLE = [
  /node_modules\/aws-cdk-lib\//,
  /node_modules\/constructs\//,
  /infra\/local\//,
  /node_modules\/zod\/(v4\/classic|v3)\//,
];

/** The functions that serve no route: they run on a token, a stream or a schedule. */
export type AuxiliaryFunction =
  | "authorizer"
  | "auditStreamGuard"
  | "checkpointer"
  | "auditArchiver"
  | "sweeper"
  | "deliverer";
export type FunctionName = Group | AuxiliaryFunction;

/** Route groups in the order the route table first names them: one function per group. */

/**
 * Every Lambda entry file: one per route group, plus the authorizer, the audit stream guard,
 * the checkpointer, the audit archiver, the overdue sweeper and the push deliverer.
 */
export function functionEntries(): Record<FunctionName, string> {
  const entries = {} as Record<FunctionName, string>;
  for (const group of routeGroups()) entries[group] = join(PROJECT_ROOT, "functions", `${group}.ts`);
  entries.authorizer = join(PROJECT_ROOT, "functions", "authorizer.ts");
  entries.auditStreamGuard = join(PROJECT_ROOT, "functions", "audit-stream-guard.ts");
  entries.checkpointer = join(PROJECT_ROOT, "functions", "checkpointer.ts");
  entries.auditArchiver = join(PROJECT_ROOT, "functions", "audit-archiver.ts");
  entries.sweeper = join(PROJECT_ROOT, "functions", "sweeper.ts");
  entries.deliverer = join(PROJECT_ROOT, "functions", "deliverer.ts");
  return entries;
}
