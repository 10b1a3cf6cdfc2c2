/**
 * OWASP's guard against CSV injection: a cell a spreadsheet would run as a formula (`=`, `+`, `-`
 * or `@` first) gets a leading `'`. A plain number is left alone (a phone's `+16515550100`, a
 * balance of `-20`): a spreadsheet reads it as a number, never runs it. A cell that already starts
 * with `'` before such a character gets one more. The import takes one `'` off (csv-row-mapper's
 * cellOf), so a file written here reads back as it was.
 */
export function guardFormula(cell: string): string {
  return /^'*[=+\-@]/.test(cell) && !PLAIN_NUMBER.test(cell) ? `'${cell}` : cell;
}

const PLAIN_NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;
