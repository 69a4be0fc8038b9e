/**
 * A handler that answers one status with whatever its use case returns. Most handlers are
 * only that; the few that also set headers (a 201's Location) or send text stay written out.
 * The status and body are still checked against the route's declared response, since the
 * handler built here is given the route's own handler type.
 */
export const answer =
  <S extends number>(status: S) =>
  <Input, Body>(useCase: (input: Input) => Promise<Body>) =>
  async (input: Input): Promise<{ status: S; body: Body }> => ({ status, body: await useCase(input) });

/** The answer most handlers give: 200 with the use case's result. */
export const ok = answer(200);
