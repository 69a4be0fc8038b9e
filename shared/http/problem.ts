import type { APIGatewayProxyResult } from "aws-lambda";
import { type LanternError, serviceUnavailable } from "../errors.js";

export const PROBLEM_TYPE_BASE = "https://lantern.example/problems/";

/** An RFC 9457 problem+json response. */
export function problemResponse(error: LanternError, instance?: string): APIGatewayProxyResult {
  const body: Record<string, unknown> = {
    type: `${PROBLEM_TYPE_BASE}${error.code}`,
    title: error.title,
    status: error.status,
    detail: error.detail,
  };
  if (instance) body.instance = instance;
  if (error.extra.errors) body.errors = error.extra.errors;
  return {
    statusCode: error.status,
    headers: { "Content-Type": "application/problem+json", ...error.extra.headers },
    body: JSON.stringify(body),
  };
}

/** Names of store errors that mean "busy, try again", not "broken". */
const BUSY = new Set([
  "ThrottlingException",
  "ProvisionedThroughputExceededException",
  "RequestLimitExceeded",
  "TransactionConflictException",
  "TransactionCanceledException",
  "TimeoutError",
]);

/** Network failures between the hub and its store: transient, the caller may retry. */
const UNREACHABLE = new Set([
  "ECONNRESET",
  "ECONNREFUSED",
  "ETIMEDOUT",
  "EPIPE",
  "EAI_AGAIN",
  "UND_ERR_SOCKET",
]);

export function busyProblem(error: unknown): LanternError | null {
  const name = error instanceof Error ? error.name : "";
  const code = (error as { code?: unknown } | null)?.code;
  if (BUSY.has(name) || (typeof code === "string" && UNREACHABLE.has(code))) {
    return serviceUnavailable("The hub is busy; try again shortly.", 1);
  }
  return null;
}

export const internalProblem = (requestId: string): APIGatewayProxyResult => ({
  statusCode: 500,
  headers: { "Content-Type": "application/problem+json" },
  body: JSON.stringify({
    type: `${PROBLEM_TYPE_BASE}internal-error`,
    title: "Internal error",
    status: 500,
    detail: `Something went wrong on our side. Quote request ${requestId} to the Lantern service desk.`,
  }),
});
