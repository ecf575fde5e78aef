/** Demo users by token (the ticket desk's): a real app asks its session or JWT service. */
const USERS: Readonly<Record<string, string>> = { 'demo-token': 'ada', 'agent-token': 'grace' };

/** Who is connecting. */
export interface User {
  readonly name: string;
}

/** The user a handshake's `auth` names, or null (Lifeline answers UNAUTHORIZED). */
export function userFor(auth: { readonly token?: unknown }): User | null {
  const name = typeof auth.token === 'string' ? USERS[auth.token] : undefined;
  return name ? { name } : null;
}
