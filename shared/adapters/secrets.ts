import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";

/**
 * A Secrets Manager secret's string value (undefined when it has none). The wiring imports this
 * module where a secret is first read, so a function that reads none never evaluates the
 * client, and the bundle keeps only GetSecretValueCommand.
 */
export async function secretValue(
  arn: string,
  wrap: (client: SecretsManagerClient) => SecretsManagerClient,
): Promise<string | undefined> {
  const out = await wrap(new SecretsManagerClient({})).send(new GetSecretValueCommand({ SecretId: arn }));
  return out.SecretString;
}
