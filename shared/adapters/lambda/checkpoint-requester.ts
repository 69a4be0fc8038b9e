import { InvokeCommand, type InvokeCommandOutput, LambdaClient } from "@aws-sdk/client-lambda";
import { serviceUnavailable } from "../../errors.js";
import type {
  CheckpointAnswer,
  CheckpointRequest,
  CheckpointRequester,
  StoredCheckpoint,
} from "../../ports.js";

// The wiring imports this module on the first request for a checkpoint; the client comes with
// it, so the bundle keeps only InvokeCommand (a dynamic import of the package keeps them all).
export { LambdaClient };

/**
 * On AWS: invoke the checkpointer function synchronously and return the checkpoint it wrote.
 * The audit function may invoke that one function and write no checkpoint row itself. A
 * checkpointer that fails or cannot be reached is a 503 (retry), never a 500: nothing was
 * written that the caller could see half of.
 */
export class LambdaCheckpointRequester implements CheckpointRequester {
  constructor(
    private readonly lambda: LambdaClient,
    private readonly functionName: string,
  ) {}

  async requestCheckpoint(): Promise<StoredCheckpoint | null> {
    const request: CheckpointRequest = { force: true };
    let out: InvokeCommandOutput;
    try {
      out = await this.lambda.send(
        new InvokeCommand({
          FunctionName: this.functionName,
          InvocationType: "RequestResponse",
          Payload: new TextEncoder().encode(JSON.stringify(request)),
        }),
      );
    } catch {
      throw serviceUnavailable("The checkpointer could not be reached; try again.");
    }
    // FunctionError: the checkpointer threw (e.g. it lost the race five times); no row of ours is half written.
    if (out.FunctionError || !out.Payload) {
      throw serviceUnavailable("The checkpointer did not write a checkpoint; try again.");
    }
    const answer = JSON.parse(new TextDecoder().decode(out.Payload)) as CheckpointAnswer;
    return answer.checkpoint ?? null;
  }
}
