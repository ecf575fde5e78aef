/** The default `isAuthError` (options.ts), apart from classify.ts so that one can load lazily. */

/** Default auth-refusal predicate: messages such as "unauthorized", "jwt expired", "invalid token", "invalid credentials". @internal */
export function defaultIsAuthError(error: { message: string; data?: unknown }): boolean {
  return /unauthori[sz]ed|jwt|invalid token|token (expired|invalid|missing)|authentication|not authenticated|forbidden|auth(entication)? (error|failed)|credentials/i.test(error.message);
}
