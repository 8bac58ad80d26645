/**
 * A value made safe for a spreadsheet cell. Statements and exports are opened in Excel, LibreOffice
 * and Google Sheets, which run a cell starting with = + - @ (or a tab / carriage return before one)
 * as a formula; a leading apostrophe makes them show it as text instead (OWASP "CSV injection").
 * Numbers are ours and pass unchanged; quoting and commas are the CSV writer's job.
 */
export function safeCell(value: string | number | null | undefined): string | number {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return value;
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}
