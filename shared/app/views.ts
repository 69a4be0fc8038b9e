/**
 * The members of a stored record that a view shows just as they are stored, in the order
 * given (the answer's member order), so a view writes out only the members it changes.
 */
export function pick<T extends object, K extends keyof T>(record: T, members: readonly K[]): Pick<T, K> {
  const view = {} as Pick<T, K>;
  for (const member of members) view[member] = record[member];
  return view;
}
