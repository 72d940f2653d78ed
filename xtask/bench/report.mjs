// report.mjs: how the printed table shows a figure (ms, rate, KB, the ratio ours vs anchor)
// and the table itself. Each measure's module builds its own rows with these; browser.mjs
// prints them in one table.

export const fmtMs = (x) => `${x.toFixed(1)} ms`;
export const fmtRate = (x) => `${Math.round(x).toLocaleString('en-US')} /s`;
export const fmtKB = (n) => `${(n / 1000).toFixed(1)} KB`;
/** Ratio for quantities where smaller is better (times, bytes). */
export function smallerBetter(ours, theirs, word = ['faster', 'slower']) {
  return ours <= theirs
    ? `${(theirs / ours).toFixed(2)}x ${word[0]}`
    : `${(ours / theirs).toFixed(2)}x ${word[1]}`;
}
/** A rate as a share of the floor's. */
export const pct = (x, floorRate) => `${Math.round((100 * x) / floorRate)}%`;
export function largerBetter(ours, theirs) {
  return ours >= theirs
    ? `${(ours / theirs).toFixed(2)}x faster`
    : `${(theirs / ours).toFixed(2)}x slower`;
}

/** A Markdown table: the first row is the header; columns after the first right-aligned. */
export function table(rows) {
  const widths = [0, 1, 2, 3].map((i) => Math.max(...rows.map((r) => r[i].length)));
  const line = (r) => `| ${r.map((c, i) => (i ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join(' | ')} |`;
  const rule = `|${widths.map((w, i) => (i ? `${'-'.repeat(w + 1)}:` : '-'.repeat(w + 2))).join('|')}|`;
  return [line(rows[0]), rule, ...rows.slice(1).map(line)].join('\n');
}
