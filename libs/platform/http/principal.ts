/** Who is calling. Resolved once per request by the AuthGuard. */
export type Principal =
  | { kind: 'operator' }
  | { kind: 'coordinator'; accountId: string; organisationId: string; sessionId: string }
  | { kind: 'volunteer'; accountId: string; sessionId: string }
  | { kind: 'api_key'; apiKeyId: string; organisationId: string };

export type PrincipalKind = Principal['kind'];
