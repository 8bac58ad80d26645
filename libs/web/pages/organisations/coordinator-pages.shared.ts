import type { FastifyRequest } from 'fastify';
import type { Principal } from '../../../identity/index.js';
import type { OrganisationResponseDto } from '../../../organisations/index.js';
import { principalOf } from '../../page-renderer.js';

type Coordinator = Extract<Principal, { kind: 'coordinator' }>;

/** The signed-in coordinator (the controllers' @Allow('coordinator') guarantees the kind). */
export const coordinatorOf = (request: FastifyRequest) => principalOf(request) as Coordinator;

/** Confirmations after POST → redirect → GET, keyed so a URL cannot inject text. */
export const DONE: Record<string, string> = {
  created: 'The shift is saved.',
  published: 'The shift is open: matching volunteers will be offered it.',
  updated: 'Your changes are saved. Booked volunteers are told about changes to the time or place.',
  cancelled: 'The shift is cancelled.',
  'series-created': 'The weekly series is saved and its first shifts are created.',
  'series-cancelled': 'The series and its upcoming shifts are cancelled.',
  revoked: 'The API key is revoked. Systems using it can no longer post shifts.',
};

/** Where a new shift or series takes place unless the coordinator picks another address. */
export function defaultAddress(organisation: OrganisationResponseDto): string {
  return (organisation.addresses.find((a) => a.isDefault) ?? organisation.addresses[0])?.id ?? '';
}
