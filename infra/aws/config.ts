import type { Node } from "constructs";

export type Stage = "dev" | "prod";

export interface LanternConfig {
  stage: Stage;
  auditRetentionYears: number;
  auditShards: number;
  throttle: { rateLimit: number; burstLimit: number };
  /** Each public (no-token) method's own throttle, well below the stage's. */
  publicThrottle: { rateLimit: number; burstLimit: number };
  /** WAF: requests from one IP address in any 5 minutes before it is blocked (429). */
  ipRateLimit: number;
  /** Concurrency reserved for the concerns function (POST /v1/concerns); 0 reserves none. */
  concernsReservedConcurrency: number;
  /** Defaults for the deploy-time parameters; unset means the deployer must pass them. */
  issuer?: string;
  audience: string;
  jwksUrl?: string;
  /** Alerts for people through GOV.UK Notify; off unless its template ids and console URL are given. */
  notify?: NotifyConfig;
}

export interface NotifyConfig {
  emailTemplateId: string;
  smsTemplateId: string;
  /**
   * The console's address for alert links. Not taken from the stack's own console site: its
   * distribution depends on the API, which depends on the functions that would need it.
   */
  consoleUrl: string;
}

function notifyFrom(node: Node): NotifyConfig | undefined {
  const emailTemplateId = stringFrom(node, "notifyEmailTemplateId");
  const smsTemplateId = stringFrom(node, "notifySmsTemplateId");
  const consoleUrl = stringFrom(node, "consoleUrl");
  if (!emailTemplateId && !smsTemplateId && !consoleUrl) return undefined;
  if (!emailTemplateId || !smsTemplateId || !consoleUrl) {
    throw new Error(
      "Context notifyEmailTemplateId, notifySmsTemplateId and consoleUrl must be given together.",
    );
  }
  if (!/^https:\/\//.test(consoleUrl)) {
    throw new Error(`Context consoleUrl must be an https URL; got ${consoleUrl}.`);
  }
  return { emailTemplateId, smsTemplateId, consoleUrl };
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
    publicThrottle: {
      rateLimit: numberFrom(node, "publicThrottleRate", 5, 1, 10_000),
      burstLimit: numberFrom(node, "publicThrottleBurst", 10, 1, 5_000),
    },
    // WAF's smallest rate limit is 10; 1,500 in 5 minutes is 5 a second from one address.
    ipRateLimit: numberFrom(node, "ipRateLimit", 1_500, 10, 2_000_000_000),
    concernsReservedConcurrency: numberFrom(node, "concernsReservedConcurrency", 10, 0, 1_000),
    issuer: stringFrom(node, "issuer"),
    audience: stringFrom(node, "audience") ?? "lantern",
    jwksUrl: stringFrom(node, "jwksUrl"),
    notify: notifyFrom(node),
  };
}
