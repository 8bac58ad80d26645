import { randomUUID } from 'node:crypto';
import type { Params } from 'nestjs-pino';
import type { IncomingMessage } from 'node:http';

/** Path segments that are secrets (the arrival QR code's, `/arrive/<shiftId>/<secret>`) are logged masked. */
const SECRET_SEGMENTS = /^(\/arrive\/[^/]+\/)[^/]+/;

/** The path a log line shows: no query string (links carry tokens), no secret path segment. */
export function loggedPath(url: string): string {
  return url.split('?')[0].replace(SECRET_SEGMENTS, '$1***');
}

/**
 * Structured JSON logs. URLs lose their query string and secret segments, and headers that carry
 * credentials are removed: no personal data or secrets in logs.
 */
export function loggerParams(level: string): Params {
  return {
    pinoHttp: {
      level,
      genReqId: (req: IncomingMessage) => {
        const given = req.headers['x-request-id'];
        return typeof given === 'string' && /^[\w-]{1,64}$/.test(given) ? given : randomUUID();
      },
      redact: {
        paths: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]', '*.email', '*.token'],
        remove: true,
      },
      serializers: {
        req: (req: { id: string; method: string; url: string }) => ({
          id: req.id,
          method: req.method,
          path: loggedPath(req.url),
        }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
      customSuccessMessage: () => 'request completed',
      autoLogging: { ignore: (req: IncomingMessage) => (req.url ?? '').startsWith('/health') },
    },
  };
}
