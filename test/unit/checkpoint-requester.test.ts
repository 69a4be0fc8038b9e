import { InvokeCommand, LambdaClient } from "@aws-sdk/client-lambda";
import { mockClient } from "aws-sdk-client-mock";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { LambdaCheckpointRequester } from "../../shared/adapters/lambda/checkpoint-requester.js";
import { checkpointNow } from "../../shared/app/checkpoints.js";
import { LanternError } from "../../shared/errors.js";

/**
 * POST /v1/audit/checkpoints on AWS: the audit function invokes the checkpointer (the only
 * writer of checkpoint rows) synchronously and answers with what it wrote; a checkpointer that
 * fails or cannot be reached is a 503 with Retry-After, never a 500.
 */
describe("LambdaCheckpointRequester", () => {
  const lambda = mockClient(LambdaClient);
  const FUNCTION = "lantern-dev-checkpointer";
  const stored = {
    number: 7,
    jws: "eyJhbGciOiJFUzI1NiJ9.e30.c2ln",
    payload: {
      at: "2026-12-01T22:00:00.000Z",
      heads: [{ shard: 0, seq: 3, hash: "a".repeat(64) }],
      prevCheckpointSha256: null,
    },
  };
  const requester = () =>
    new LambdaCheckpointRequester(new LambdaClient({ region: "eu-west-2", maxAttempts: 1 }), FUNCTION);
  const payload = (value: unknown) => new TextEncoder().encode(JSON.stringify(value)) as never;

  beforeEach(() => {
    lambda.reset();
  });
  afterAll(() => {
    lambda.restore();
  });

  it("asks the checkpointer synchronously for a forced checkpoint and answers with it", async () => {
    // Prepare
    lambda.on(InvokeCommand).resolves({ StatusCode: 200, Payload: payload({ checkpoint: stored }) });

    // Act
    const body = await checkpointNow(requester());

    // Assess
    const sent = lambda.commandCalls(InvokeCommand).map((c) => c.args[0].input);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ FunctionName: FUNCTION, InvocationType: "RequestResponse" });
    expect(JSON.parse(new TextDecoder().decode(sent[0]?.Payload as Uint8Array))).toEqual({ force: true });
    expect(body).toEqual({ number: 7, checkpoint: stored.jws, payload: stored.payload });
  });

  it("answers 503 with Retry-After when the checkpointer throws, cannot be reached or writes nothing", async () => {
    // Prepare
    const outcomes = [
      () =>
        lambda
          .on(InvokeCommand)
          .resolves({ StatusCode: 200, FunctionError: "Unhandled", Payload: payload({}) }),
      () => lambda.on(InvokeCommand).rejects(new Error("socket hang up")),
      () => lambda.on(InvokeCommand).resolves({ StatusCode: 200, Payload: payload({ checkpoint: null }) }),
    ];

    // Act
    const errors: unknown[] = [];
    for (const arrange of outcomes) {
      lambda.reset();
      arrange();
      errors.push(await checkpointNow(requester()).catch((e: unknown) => e));
    }

    // Assess
    for (const error of errors) {
      expect(error).toBeInstanceOf(LanternError);
      expect((error as LanternError).status).toBe(503);
      expect((error as LanternError).extra.headers).toEqual({ "Retry-After": "1" });
    }
  });
});
