/** One line of the results table; `ratio` is ours / ceiling (higher is better). */
export interface Row {
  engine: string;
  scenario: string;
  ours: string | number;
  ceiling: string | number;
  ratio?: number;
  /** How to print the ratio when a percentage reads badly (e.g. "12.5x" for a time ratio). */
  ratioLabel?: string;
  spread?: string;
  target: string;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length === 0 ? NaN : sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** The range of the rounds' ratios, e.g. "71-78 %". */
export function spread(ratios: number[]): string {
  const pct = ratios.map((r) => Math.round(r * 100));
  return `${Math.min(...pct)}-${Math.max(...pct)} %`;
}

export function printTable(rows: Row[]): void {
  const header = ['engine', 'scenario', 'contactd', 'ceiling', 'ratio', 'spread', 'target'];
  const lines = rows.map((r) => [r.engine, r.scenario, String(r.ours), String(r.ceiling), r.ratioLabel ?? (r.ratio === undefined ? '' : `${Math.round(r.ratio * 100)} %`), r.spread ?? '', r.target]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const format = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  console.log(`\n${format(header)}\n| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`);
  for (const line of lines) console.log(format(line));
}
