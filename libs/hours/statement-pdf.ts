import PDFDocument from 'pdfkit';
import { DateTime } from 'luxon';
import { formatHours } from './core/credit.js';
import type { IssuedStatement } from './hours-statements.service.js';

const MARGIN = 56;
const INK = '#1f2933';
const MUTED = '#52606d';
const RULE = '#9aa5b1';

const longDate = (iso: string) => DateTime.fromISO(iso).toFormat('d LLLL yyyy');
const hoursText = (minutes: number) => `${formatHours(minutes)} h`;

/**
 * The statement as a PDF: a tidy, "signed-looking" page a school, court or employer can file —
 * organisation, volunteer, period, each entry, totals, the reference and the verification link,
 * and a signature line. `compress: false` is for tests that read the text back.
 */
export function statementPdf(statement: IssuedStatement, options: { compress?: boolean } = {}): Promise<Buffer> {
  const onBehalfOf = statement.organisationName ?? statement.totals.map((t) => t.organisationName).join(', ');
  const doc = new PDFDocument({
    size: 'A4',
    margin: MARGIN,
    compress: options.compress ?? true,
    info: {
      Title: `Volunteer hours statement ${statement.ref}`,
      Author: 'Kindshift',
      Subject: `${statement.scope.volunteerName}: ${formatHours(statement.totalMinutes)} hours with ${onBehalfOf || 'no organisation'}`,
      CreationDate: statement.issuedAt,
    },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  header(doc, statement);
  if (statement.totals.length === 0) {
    doc.moveDown().fillColor(INK).fontSize(11).text('No volunteering hours were credited in this period.');
  }
  for (const total of statement.totals) {
    section(
      doc,
      total.organisationName,
      statement.lines.filter((l) => l.organisationId === total.organisationId),
      total.minutes,
    );
  }
  footer(doc, statement, onBehalfOf);
  doc.end();
  return done;
}

function header(doc: PDFKit.PDFDocument, s: IssuedStatement) {
  doc.fillColor(MUTED).fontSize(10).text('KINDSHIFT', { characterSpacing: 2 });
  doc.moveDown(0.3).fillColor(INK).fontSize(22).font('Helvetica-Bold').text('Volunteer hours statement');
  doc.moveDown(0.6).font('Helvetica').fontSize(11);
  const period = `${s.scope.from ? longDate(s.scope.from) : 'First entry'} to ${longDate(s.scope.to)}`;
  const facts: Array<[string, string]> = [
    ['Volunteer', s.scope.volunteerName],
    ['Organisation', s.organisationName ?? 'All organisations (one section each)'],
    ['Period', period],
    ['Total', `${hoursText(s.totalMinutes)} (${s.lines.length} ${s.lines.length === 1 ? 'entry' : 'entries'})`],
    ['Issued', DateTime.fromJSDate(s.issuedAt, { zone: 'utc' }).toFormat("d LLLL yyyy, HH:mm 'UTC'")],
    ['Reference', s.ref],
  ];
  for (const [label, value] of facts) {
    const y = doc.y;
    doc.fillColor(MUTED).text(label, MARGIN, y, { width: 110 });
    doc.fillColor(INK).text(value, MARGIN + 110, y, { width: doc.page.width - 2 * MARGIN - 110 });
    doc.moveDown(0.2);
  }
}

function section(doc: PDFKit.PDFDocument, organisation: string, lines: IssuedStatement['lines'], minutes: number) {
  const width = doc.page.width - 2 * MARGIN;
  const cols = { date: MARGIN, title: MARGIN + 95, hours: MARGIN + width - 70 };
  ensureRoom(doc, 80);
  doc.moveDown(1).x = MARGIN;
  doc.font('Helvetica-Bold').fontSize(13).fillColor(INK).text(organisation, MARGIN);
  doc.moveDown(0.3).font('Helvetica-Bold').fontSize(9).fillColor(MUTED);
  let y = doc.y;
  doc
    .text('DATE', cols.date, y)
    .text('SHIFT OR ACTIVITY', cols.title, y)
    .text('HOURS', cols.hours, y, { width: 70, align: 'right' });
  y += 14;
  doc
    .moveTo(MARGIN, y - 3)
    .lineTo(MARGIN + width, y - 3)
    .strokeColor(RULE)
    .lineWidth(0.5)
    .stroke();
  doc.font('Helvetica').fontSize(10).fillColor(INK);
  for (const line of lines) {
    if (y > doc.page.height - MARGIN - 40) {
      doc.addPage();
      y = MARGIN;
    }
    doc.text(line.date, cols.date, y, { lineBreak: false });
    doc.text(line.title, cols.title, y, {
      width: cols.hours - cols.title - 10,
      lineBreak: false,
      ellipsis: true,
      height: 12,
    });
    doc.text(formatHours(line.minutes), cols.hours, y, { width: 70, align: 'right', lineBreak: false });
    y += 15;
  }
  doc
    .moveTo(MARGIN, y)
    .lineTo(MARGIN + width, y)
    .strokeColor(RULE)
    .stroke();
  doc.font('Helvetica-Bold').text(`Total with ${organisation}`, cols.title, y + 5, { lineBreak: false });
  doc.text(formatHours(minutes), cols.hours, y + 5, { width: 70, align: 'right', lineBreak: false });
  doc.font('Helvetica');
  doc.x = MARGIN;
  doc.y = y + 22;
}

function footer(doc: PDFKit.PDFDocument, s: IssuedStatement, onBehalfOf: string) {
  ensureRoom(doc, 150);
  const width = doc.page.width - 2 * MARGIN;
  doc.moveDown(2).x = MARGIN;
  doc.font('Helvetica').fontSize(10).fillColor(INK);
  doc.text(
    'These hours come from the Kindshift hours ledger: shifts the organisation recorded as attended ' +
      '(door times where recorded, otherwise the scheduled times, or as adjusted by a coordinator) and ' +
      'hours logged by the volunteer and approved by a coordinator.',
    { width },
  );
  doc.moveDown(0.8).text('Check this statement, and whether the ledger still agrees with it, at:', { width });
  doc.fillColor('#0b5cad').text(s.verifyUrl, { width, link: s.verifyUrl, underline: true });
  doc.moveDown(2.5);
  const y = doc.y;
  doc
    .moveTo(MARGIN, y)
    .lineTo(MARGIN + 240, y)
    .strokeColor(INK)
    .lineWidth(0.8)
    .stroke();
  doc
    .fillColor(INK)
    .fontSize(10)
    .text(`Issued by Kindshift on behalf of ${onBehalfOf || 'the organisations listed'}`, MARGIN, y + 6, {
      width,
    });
  doc
    .fillColor(MUTED)
    .fontSize(9)
    .text(`Reference ${s.ref}`, MARGIN, doc.y + 2);
}

function ensureRoom(doc: PDFKit.PDFDocument, points: number) {
  if (doc.y > doc.page.height - MARGIN - points) doc.addPage();
}
