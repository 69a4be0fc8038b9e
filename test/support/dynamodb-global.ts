import type { TestProject } from "vitest/node";
import { startDynamoLocal } from "../../infra/local/dynamodb-local.js";

declare module "vitest" {
  export interface ProvidedContext {
    dynamoEndpoint: string;
  }
}

/** One in-memory DynamoDB Local for the whole run, stopped (its process group) at the end. */
export default async function setup(project: TestProject) {
  const dynamo = await startDynamoLocal({ dbPath: null });
  project.provide("dynamoEndpoint", dynamo.endpoint);
  return async () => {
    await dynamo.stop();
  };
}
