import type { Node } from "constructs";

export type Stage = "dev" | "prod";

export interface LanternConfig {
  stage: Stage;
  auditRetentionYears: number;
  auditShards: number;
  throttle: { rateLimit: number; burstLimit: number };
  /** Defaults for the deploy-time parameters; unset means the deployer must pass them. */
  issuer?: string;
  audience: string;
  jwksUrl?: string;
}

function numberFrom(node: Node, key: string, fallback: number, min: number, max: number): number {
  const raw: unknown = node.tryGetContext(key);
  const value = raw === undefined ? fallback : Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`Context ${key} must be a whole number from ${min} to ${max}; got ${String(raw)}.`);
  }
  return value;
}

function stringFrom(node: Node, key: string): string | undefined {
  const raw: unknown = node.tryGetContext(key);
  return typeof raw === "string" && raw !== "" ? raw : undefined;
}

/** Read and check the CDK context (cdk.json, or `-c key=value`); fail synth on a bad value. */
export function readConfig(node: Node): LanternConfig {
  const stage: unknown = node.tryGetContext("stage") ?? "dev";
  if (stage !== "dev" && stage !== "prod")
    throw new Error(`Context stage must be dev or prod; got ${String(stage)}.`);
  return {
    stage,
    auditRetentionYears: numberFrom(node, "auditRetentionYears", 7, 1, 99),
    auditShards: numberFrom(node, "auditShards", 4, 1, 64),
    throttle: {
      rateLimit: numberFrom(node, "throttleRate", 50, 1, 10_000),
      burstLimit: numberFrom(node, "throttleBurst", 100, 1, 5_000),
    },
    issuer: stringFrom(node, "issuer"),
    audience: stringFrom(node, "audience") ?? "lantern",
    jwksUrl: stringFrom(node, "jwksUrl"),
  };
}
