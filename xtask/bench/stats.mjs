// stats.mjs: the small statistics every measure reduces its samples with (median, nearest-rank
// percentile) and the rounding of the figures summary.json records.

function sorted(xs) {
  return [...xs].sort((a, b) => a - b);
}
/** The median (mean of the two middle values for an even count). */
export function median(xs) {
  const s = sorted(xs);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
/** Nearest-rank percentile. */
export function percentile(xs, p) {
  const s = sorted(xs);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
}
export const round = (x, digits = 2) => Number(x.toFixed(digits));
