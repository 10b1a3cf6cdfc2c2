/** When to try a failed delivery again. */

/** The wait before the next attempt after `failures` failed ones: the schedule's step, ±20 % jitter; past its end the last step repeats. */
export function backoffMs(scheduleSeconds: readonly number[], failures: number, random: () => number = Math.random): number {
  const step = scheduleSeconds[Math.min(failures, scheduleSeconds.length) - 1] ?? 0;
  // Jitter spreads the retries of endpoints that failed together (a receiver's outage) apart.
  return Math.round(step * 1000 * (0.8 + 0.4 * random()));
}

/** A `Retry-After` value (seconds, or an HTTP date) as milliseconds from `now`; undefined when absent or unreadable. */
export function retryAfterMs(header: string | null | undefined, now = Date.now()): number | undefined {
  if (!header) return undefined;
  const trimmed = header.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
