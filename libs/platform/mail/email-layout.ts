/** A rendered mail, ready to spread into an OutgoingMail. */
export interface RenderedEmail {
  subject: string;
  html: string;
  text: string;
  headers?: Record<string, string>;
}
/**
 * One layout for every email: a heading, short paragraphs, optionally a detail list, one or more
 * buttons and small print; HTML and plain text. Every string is text (escaped here), never HTML.
 */
export interface EmailLink {
  label: string;
  url: string;
}

/** A button; 'secondary' is outlined, for an equally valid second choice ("Not this time"). */
export interface EmailButton extends EmailLink {
  variant?: 'primary' | 'secondary';
}

/** A line of small print, optionally ending in a link ("Need a break? Pause offers"). */
export type EmailNote = string | { text: string; link: EmailLink };

export interface EmailContent {
  heading: string;
  paragraphs: string[];
  /** Label/value rows after the paragraphs: "When: Tue 1 Dec 2026, 17:00–20:00 (Europe/London)". */
  details?: { label: string; value: string }[];
  button?: EmailLink;
  /** Buttons side by side, after `button` when both are given. */
  buttons?: EmailButton[];
  /** Small print after the buttons, before the footer. */
  notes?: EmailNote[];
  footer?: string[];
  /** Hidden preview text many mail clients show next to the subject. */
  preheader?: string;
}

export function escapeHtml(value: string): string {
  return value.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string,
  );
}

const BUTTON_STYLE = 'display:inline-block;padding:10px 18px;border-radius:6px;text-decoration:none;margin:0 8px 8px 0';
const BUTTON_COLOURS = {
  primary: 'background:#0b6e4f;color:#fff;border:2px solid #0b6e4f',
  secondary: 'background:#fff;color:#0b6e4f;border:2px solid #0b6e4f',
};

export function renderEmail(content: EmailContent): { html: string; text: string } {
  const footer = content.footer ?? ['Kindshift — volunteering that fits your life.'];
  const buttons: EmailButton[] = content.buttons ?? [];
  const notes = content.notes ?? [];
  const html = `<!doctype html><html lang="en"><body style="font-family:system-ui,sans-serif;line-height:1.5;color:#1f2933;max-width:560px;margin:auto;padding:16px">
${content.preheader ? `<div style="display:none;max-height:0;overflow:hidden">${escapeHtml(content.preheader)}</div>\n` : ''}<h1 style="font-size:20px">${escapeHtml(content.heading)}</h1>
${content.paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`).join('\n')}
${content.details?.length ? `${detailsHtml(content.details)}\n` : ''}${content.button ? `<p><a href="${escapeHtml(content.button.url)}" style="display:inline-block;background:#0b6e4f;color:#fff;padding:10px 18px;border-radius:6px;text-decoration:none">${escapeHtml(content.button.label)}</a></p>` : ''}
${buttons.length ? `<p>${buttons.map(buttonHtml).join('\n')}</p>\n` : ''}${notes.length ? `${notes.map(noteHtml).join('\n')}\n` : ''}<hr style="border:none;border-top:1px solid #ddd"><p style="font-size:12px;color:#52606d">${footer.map(escapeHtml).join('<br>')}</p>
</body></html>`;
  const labelWidth = Math.max(0, ...(content.details ?? []).map((d) => d.label.length + 1));
  const text = [
    content.heading,
    '',
    ...content.paragraphs.flatMap((p) => [p, '']),
    ...(content.details?.length
      ? [...content.details.map((d) => `${`${d.label}:`.padEnd(labelWidth)} ${d.value}`), '']
      : []),
    ...(content.button ? [`${content.button.label}: ${content.button.url}`, ''] : []),
    ...buttons.flatMap((b) => [`${b.label}: ${b.url}`, '']),
    ...notes.flatMap((n) => [typeof n === 'string' ? n : `${n.text} ${n.link.label}: ${n.link.url}`, '']),
    '--',
    ...footer,
  ].join('\n');
  return { html, text };
}

function detailsHtml(details: { label: string; value: string }[]): string {
  const rows = details.map(
    (d) =>
      `<tr><th scope="row" style="text-align:left;vertical-align:top;padding:4px 16px 4px 0;color:#52606d;font-weight:600">${escapeHtml(d.label)}</th><td style="padding:4px 0">${escapeHtml(d.value)}</td></tr>`,
  );
  return `<table role="presentation" style="border-collapse:collapse;margin:8px 0 16px">\n${rows.join('\n')}\n</table>`;
}

function buttonHtml(button: EmailButton): string {
  const colours = BUTTON_COLOURS[button.variant ?? 'primary'];
  return `<a href="${escapeHtml(button.url)}" style="${BUTTON_STYLE};${colours}">${escapeHtml(button.label)}</a>`;
}

function noteHtml(note: EmailNote): string {
  const body =
    typeof note === 'string'
      ? escapeHtml(note)
      : `${escapeHtml(note.text)} <a href="${escapeHtml(note.link.url)}" style="color:#0b6e4f">${escapeHtml(note.link.label)}</a>`;
  return `<p style="font-size:14px;color:#52606d">${body}</p>`;
}
