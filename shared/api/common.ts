import { z } from "zod";

/** Every route that needs a token can answer these (a bad token, a missing scope). */
export const AUTH_ERRORS = [401, 403];

/** A list that comes whole today takes a cursor like any list, and refuses every one (400). */
export const ListQuerySchema = z.object({ cursor: z.string().max(2048).optional() }).strict();
