// A local mail catcher for running Kindshift without Docker (`npm run dev:services` starts it):
// accepts every message on an SMTP port, keeps the last MAIL_CATCHER_KEEP in memory, and lists them
// on a small web page, like the Mailpit container of docker-compose.yml. Development only: it binds
// to 127.0.0.1 and shows mail as escaped text (links clickable), never the mail's own HTML.
//
//   node scripts/mail-catcher.mjs            SMTP on MAIL_CATCHER_SMTP_PORT (1025), page on MAIL_CATCHER_HTTP_PORT (8025)
//   GET /                 the inbox, newest first       GET /messages/<n>   one message
//   GET /api/messages     the same as JSON (to, subject, date, text, links)
//
// Plain JavaScript on purpose: it runs before (and without) `npm run build`.

import { createServer } from 'node:http';
import { pathToFileURL } from 'node:url';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

const escape = (s) =>
  String(s ?? '').replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c],
  );
const linksOf = (text) => [...new Set(String(text ?? '').match(/https?:\/\/[^\s<>"')]+/g) ?? [])];
// Escaped text with its links clickable (the only markup added is ours).
const linkify = (text) => escape(text).replace(/https?:\/\/[^\s<>"')]+/g, (url) => `<a href="${url}">${url}</a>`);

function page(title, body) {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(title)}</title><style>body{font:16px/1.5 system-ui,sans-serif;margin:1rem auto;max-width:60rem;padding:0 1rem}
td,th{padding:.25rem .5rem;text-align:left;vertical-align:top}pre{white-space:pre-wrap;background:#f4f4f4;padding:1rem}</style></head>
<body>${body}</body></html>`;
}

/** Starts the catcher; resolves once both ports listen. Exported for its test. */
export async function startMailCatcher({
  smtpPort = 1025,
  httpPort = 8025,
  host = '127.0.0.1',
  keep = 500,
  log = () => {},
} = {}) {
  const messages = [];
  let next = 1;

  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    banner: 'Kindshift dev mail catcher',
    onAuth: (_auth, _session, callback) => callback(null, { user: 'dev' }), // any credentials in SMTP_URL are fine
    onData(stream, _session, callback) {
      simpleParser(stream)
        .then((mail) => {
          const text = mail.text ?? '';
          const message = {
            id: next++,
            to: mail.to
              ? [mail.to]
                  .flat()
                  .map((a) => a.text)
                  .join(', ')
              : '',
            from: mail.from?.text ?? '',
            subject: mail.subject ?? '(no subject)',
            date: (mail.date ?? new Date()).toISOString(),
            text,
            links: linksOf(
              `${text}\n${
                typeof mail.html === 'string'
                  ? mail.html
                      .match(/href="([^"]+)"/g)
                      ?.map((h) => h.slice(6, -1))
                      .join('\n')
                  : ''
              }`,
            ),
          };
          messages.unshift(message);
          messages.length = Math.min(messages.length, keep);
          log(`mail-catcher: #${message.id} "${message.subject}"`); // no address: it is someone's
          callback();
        })
        .catch((error) => callback(error));
    },
  });

  const http = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const send = (status, type, body) => {
      res.writeHead(status, {
        'content-type': type,
        'cache-control': 'no-store',
        'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'",
      });
      res.end(body);
    };
    if (req.method !== 'GET') return send(405, 'text/plain', 'GET only');
    if (url.pathname === '/api/messages') return send(200, 'application/json', JSON.stringify(messages));
    if (url.pathname === '/') {
      const rows = messages
        .map(
          (m) =>
            `<tr><td>${escape(m.date.replace('T', ' ').slice(0, 19))}</td><td>${escape(m.to)}</td><td><a href="/messages/${m.id}">${escape(m.subject)}</a></td></tr>`,
        )
        .join('');
      return send(
        200,
        'text/html; charset=utf-8',
        page(
          'Mail catcher',
          `<h1>Kindshift dev mail catcher</h1><p>${messages.length} message(s); newest first. Reload to see new mail.</p>
<table><thead><tr><th>When (UTC)</th><th>To</th><th>Subject</th></tr></thead><tbody>${rows}</tbody></table>`,
        ),
      );
    }
    const match = /^\/messages\/(\d+)$/.exec(url.pathname);
    const message = match && messages.find((m) => m.id === Number(match[1]));
    if (!message) return send(404, 'text/plain', 'No such message (only the last ones are kept).');
    return send(
      200,
      'text/html; charset=utf-8',
      page(
        message.subject,
        `<p><a href="/">← inbox</a></p><h1>${escape(message.subject)}</h1>
<p>From ${escape(message.from)}<br>To ${escape(message.to)}<br>${escape(message.date)}</p>
<h2>Links</h2><ul>${message.links.map((l) => `<li><a href="${escape(l)}">${escape(l)}</a></li>`).join('')}</ul><h2>Text</h2><pre>${linkify(message.text)}</pre>`,
      ),
    );
  });

  await new Promise((resolve, reject) => {
    smtp.once('error', reject);
    smtp.listen(smtpPort, host, resolve);
  });
  await new Promise((resolve, reject) => {
    http.once('error', reject);
    http.listen(httpPort, host, resolve);
  });
  return {
    messages,
    smtpPort: smtp.server.address().port,
    httpPort: http.address().port,
    close: () => Promise.all([new Promise((r) => smtp.close(r)), new Promise((r) => http.close(r))]),
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const port = (name, fallback) => {
    const value = Number(process.env[name] ?? fallback);
    if (!Number.isInteger(value) || value < 0 || value > 65535) throw new Error(`${name} must be a port number`);
    return value;
  };
  startMailCatcher({
    smtpPort: port('MAIL_CATCHER_SMTP_PORT', 1025),
    httpPort: port('MAIL_CATCHER_HTTP_PORT', 8025),
    keep: port('MAIL_CATCHER_KEEP', 500),
    log: console.log,
  })
    .then((c) => {
      console.log(`mail-catcher: SMTP on 127.0.0.1:${c.smtpPort}, inbox at http://localhost:${c.httpPort}`);
      const stop = () => c.close().then(() => process.exit(0));
      process.on('SIGTERM', stop);
      process.on('SIGINT', stop);
    })
    .catch((error) => {
      console.error(`mail-catcher: ${error.message}`);
      process.exit(1);
    });
}
