import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { DEFAULTS } from "../../config.js";

const LOOPBACK = /^https?:\/\/(127\.\d+\.\d+\.\d+|localhost|\[::1\])(:\d+)?\/?$/;

/**
 * One document client per process. Against a loopback endpoint (DynamoDB Local) with no
 * credentials configured, dummy ones are used: the emulator accepts any.
 */
export function dynamoClient(
  endpoint: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): DynamoDBClient {
  const local = endpoint !== undefined && LOOPBACK.test(endpoint);
  return new DynamoDBClient({
    ...(endpoint ? { endpoint } : {}),
    region: env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? DEFAULTS.region,
    ...(local && !env.AWS_ACCESS_KEY_ID
      ? { credentials: { accessKeyId: "local", secretAccessKey: "local" } }
      : {}),
  });
}

export function documentClient(endpoint: string | undefined, env: NodeJS.ProcessEnv = process.env) {
  return DynamoDBDocumentClient.from(dynamoClient(endpoint, env), {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });
}
