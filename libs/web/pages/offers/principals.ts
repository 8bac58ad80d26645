import type { FastifyRequest } from 'fastify';
import type { Principal } from '../../../identity/index.js';
import { principalOf } from '../../page-renderer.js';

/** The signed-in volunteer's account (the controllers' @Allow('volunteer') guarantees the kind). */
export const volunteerIdOf = (request: FastifyRequest) =>
  (principalOf(request) as Extract<Principal, { kind: 'volunteer' }>).accountId;

/** The signed-in coordinator (the controllers' @Allow('coordinator') guarantees the kind). */
export const coordinatorOf = (request: FastifyRequest) =>
  principalOf(request) as Extract<Principal, { kind: 'coordinator' }>;
