/**
 * Steps through `total` matches, wrapping at both ends. `current` is -1 before the first
 * step; then the first step goes to `startFrom` (forward) or the match before it (back).
 */
export function stepMatch(current: number, total: number, dir: 1 | -1, startFrom = 0): number {
  if (total <= 0) return -1;
  const wrap = (i: number) => ((i % total) + total) % total;
  if (current < 0 || current >= total) {
    return dir > 0 ? wrap(startFrom) : wrap(startFrom - 1);
  }
  return wrap(current + dir);
}
