import type { TestProject } from "vitest/node";
import { startDynamoLocal } from "../../infra/local/dynamodb-local.js";

declare module "vitest" {
  export interface ProvidedContext {
    dynamoEndpoint: string;
  }
}

/**
 * One in-memory DynamoDB Local for the whole run, stopped (its process group) at the end.
 * Shared (any credential sees its tables): it holds synthetic fixtures only, and every test
 * file and test hub reaches it with whatever credentials its environment has.
 */
export default async function setup(project: TestProject) {
  const dynamo = await startDynamoLocal({ dbPath: null, access: "shared" });
  project.provide("dynamoEndpoint", dynamo.endpoint);
  return async () => {
    await dynamo.stop();
  };
}
