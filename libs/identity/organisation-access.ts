import { ForbiddenError, type Principal } from '../platform/index.js';

/**
 * A coordinator (session) or an integration (API key) acting for `organisationId`; everyone else,
 * including the coordinators of other organisations, is refused.
 */
export function assertActsForOrganisation(principal: Principal | undefined, organisationId: string): void {
  const ok =
    (principal?.kind === 'coordinator' || principal?.kind === 'api_key') && principal.organisationId === organisationId;
  if (!ok) throw new ForbiddenError('You can only see and change your own organisation.');
}

export function actingAccountId(principal: Principal): string | null {
  return principal.kind === 'coordinator' || principal.kind === 'volunteer' ? principal.accountId : null;
}

/** The signed-in volunteer's account, for routes whose @Allow('volunteer') guarantees the kind. */
export function volunteerAccountId(principal: Principal): string {
  return (principal as Extract<Principal, { kind: 'volunteer' }>).accountId;
}
