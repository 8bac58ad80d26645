import fc from 'fast-check';
import { safeCell } from './csv-cell.js';

describe('CSV cells', () => {
  it.each([
    ['=SUM(A1:A9)', "'=SUM(A1:A9)"],
    ['+44 20 7946 0000', "'+44 20 7946 0000"],
    ['-1', "'-1"],
    ['@import', "'@import"],
    ['\t=1', "'\t=1"],
    ['\r=1', "'\r=1"],
    ['Riverside Soup Kitchen', 'Riverside Soup Kitchen'],
    ['Sorted tins, then = labels', 'Sorted tins, then = labels'],
    ['', ''],
  ])('%j → %j', (input, output) => {
    expect(safeCell(input)).toBe(output);
  });

  it('keeps our numbers and blanks out missing values', () => {
    expect(safeCell(-15)).toBe(-15);
    expect(safeCell(null)).toBe('');
    expect(safeCell(undefined)).toBe('');
  });

  it('no text cell ever starts with a formula character, and safe text is unchanged', () => {
    fc.assert(
      fc.property(fc.string(), (value) => {
        const cell = String(safeCell(value));
        return !/^[=+\-@\t\r]/.test(cell) && (cell === value || cell === `'${value}`);
      }),
    );
  });
});
