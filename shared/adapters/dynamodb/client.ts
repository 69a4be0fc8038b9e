import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { DEFAULTS, ENV } from "../../config.js";

const LOOPBACK = /^https?:\/\/(127\.\d+\.\d+\.\d+|localhost|\[::1\])(:\d+)?\/?$/;

/**
 * One document client per process. Against a loopback endpoint (DynamoDB Local) with no
 * credentials configured, dummy ones are used: the emulator accepts any. The embedded store
 * keeps the hub's tables under the hub's own access key id, in one pinned region (the
 * emulator keeps a database per key id and region), whatever AWS credentials are about.
 */
export function dynamoClient(
  endpoint: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): DynamoDBClient {
  const local = endpoint !== undefined && LOOPBACK.test(endpoint);
  const embedded = local ? env[ENV.dynamodbAccessKeyId] : undefined;
  if (embedded) {
    return new DynamoDBClient({
      endpoint,
      region: DEFAULTS.region,
      credentials: { accessKeyId: embedded, secretAccessKey: "local" },
    });
  }
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
