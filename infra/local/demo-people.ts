/**
 * The people of the demo, one for each kind of user the contract names. Each belongs to one
 * OAuth client of the demo registry: the development issuer signs a person in only through
 * their own organisation's client, so the hub maps the token's `client_id` to a partner
 * exactly as for any API client, and never takes the partner from the browser.
 */
export interface DemoPerson {
  sub: string;
  name: string;
  role: string;
  clientId: string;
  scope: string;
}

const GOVERNANCE_SCOPES = [
  "agreements:read",
  "agreements:manage",
  "partners:read",
  "partners:manage",
  "routing:read",
  "routing:manage",
  "audit:read",
  "audit:review",
  "audit:checkpoint",
].join(" ");
const INBOX_SCOPES = "notifications:read notifications:respond";

export const DEMO_PEOPLE: DemoPerson[] = [
  {
    sub: "pc-1234",
    name: "PC Jane Smith",
    role: "Police officer, Essex Police",
    clientId: "essex-police-app",
    scope: "concerns:submit concerns:read",
  },
  {
    sub: "ig-officer",
    name: "Priya Shah",
    role: "Information governance, Essex Police",
    clientId: "essex-police-ig",
    scope: GOVERNANCE_SCOPES,
  },
  {
    sub: "duty-sw",
    name: "Sam Okoro",
    role: "Duty social worker, Essex MASH",
    clientId: "essex-mash-portal",
    scope: INBOX_SCOPES,
  },
  {
    sub: "dsl",
    name: "Helen Carter",
    role: "Key Adult (designated safeguarding lead), St Mary's Primary School",
    clientId: "st-marys-primary-app",
    scope: INBOX_SCOPES,
  },
  {
    sub: "yos-worker",
    name: "Tom Reid",
    role: "Case worker, Essex Youth Offending Service",
    clientId: "essex-yos-app",
    scope: INBOX_SCOPES,
  },
  {
    sub: "edt-duty",
    name: "Ana Lopes",
    role: "Duty social worker, Essex Emergency Duty Team (local authority)",
    clientId: "essex-edt-app",
    scope: INBOX_SCOPES,
  },
  {
    sub: "named-nurse",
    name: "Grace Bell",
    role: "Named nurse for safeguarding, Essex Safeguarding Health",
    clientId: "essex-health-app",
    scope: INBOX_SCOPES,
  },
];

/** The console's sign-in choices: one per organisation client, named for the people who use it. */
export const CONSOLE_CLIENTS: { clientId: string; name: string }[] = [
  { clientId: "essex-police-app", name: "Essex Police: officers" },
  { clientId: "essex-police-ig", name: "Essex Police: information governance" },
  { clientId: "essex-mash-portal", name: "Essex MASH" },
  { clientId: "st-marys-primary-app", name: "St Mary's Primary School" },
  { clientId: "essex-yos-app", name: "Essex Youth Offending Service" },
  { clientId: "essex-edt-app", name: "Essex Emergency Duty Team (local authority)" },
  { clientId: "essex-health-app", name: "Essex Safeguarding Health" },
];

/** Every scope a console may ask for; the issuer grants each person only their own. */
export const CONSOLE_SCOPES = [
  "concerns:submit",
  "concerns:read",
  "notifications:read",
  "notifications:respond",
  ...GOVERNANCE_SCOPES.split(" "),
];
