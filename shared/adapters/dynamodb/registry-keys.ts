/** Where each registry entry lives in the data table. */
export const registryKeys = {
  partner: (id: string) => ({ pk: `PARTNER#${id}`, sk: "PARTNER" }),
  client: (clientId: string) => ({ pk: `CLIENT#${clientId}`, sk: "CLIENT" }),
  webhookSecrets: (partnerId: string) => ({ pk: `PARTNER#${partnerId}`, sk: "WEBHOOK_SECRETS" }),
  contactWebhookSecrets: (partnerId: string) => ({
    pk: `PARTNER#${partnerId}`,
    sk: "CONTACT_WEBHOOK_SECRETS",
  }),
  agreement: (id: string) => ({ pk: `AGREEMENT#${id}`, sk: "AGREEMENT" }),
  routing: () => ({ pk: "ROUTING", sk: "RULES" }),
  calendar: (area: string) => ({ pk: `CALENDAR#${area}`, sk: "CALENDAR" }),
};
