/** One layout for every email: a heading, short paragraphs, an optional button; HTML and plain text. */
export interface EmailContent {
  heading: string;
  paragraphs: string[];
  button?: { label: string; url: string };
  footer?: string[];
}

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

export function renderEmail(content: EmailContent): { html: string; text: string } {
  const footer = content.footer ?? ['Kindshift — volunteering that fits your life.'];
  const html = `<!doctype html><html lang="en"><body style="font-family:system-ui,sans-serif;line-height:1.5;color:#1f2933;max-width:560px;margin:auto;padding:16px">
<h1 style="font-size:20px">${escapeHtml(content.heading)}</h1>
${content.paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`).join('\n')}
${content.button ? `<p><a href="${escapeHtml(content.button.url)}" style="display:inline-block;background:#0b6e4f;color:#fff;padding:10px 18px;border-radius:6px;text-decoration:none">${escapeHtml(content.button.label)}</a></p>` : ''}
<hr style="border:none;border-top:1px solid #ddd"><p style="font-size:12px;color:#52606d">${footer.map(escapeHtml).join('<br>')}</p>
</body></html>`;
  const text = [
    content.heading,
    '',
    ...content.paragraphs.flatMap((p) => [p, '']),
    ...(content.button ? [`${content.button.label}: ${content.button.url}`, ''] : []),
    '--',
    ...footer,
  ].join('\n');
  return { html, text };
}
