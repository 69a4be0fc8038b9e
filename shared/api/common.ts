/** Every route that needs a token can answer these (a bad token, a missing scope). */
export const AUTH_ERRORS = [401, 403];
