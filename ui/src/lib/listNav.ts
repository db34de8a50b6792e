/**
 * The selection after a navigation key in a list of `count` items. Clamps at both ends
 * (no wrapping). Returns null when the key is not a navigation key.
 * `selected` is -1 when nothing is selected.
 */
export function navigate(selected: number, count: number, key: string, page = 10): number | null {
  if (count <= 0) return key === 'ArrowDown' || key === 'ArrowUp' ? -1 : null;
  const clamp = (i: number) => Math.max(0, Math.min(count - 1, i));
  switch (key) {
    case 'ArrowDown':
      return selected < 0 ? 0 : clamp(selected + 1);
    case 'ArrowUp':
      return selected < 0 ? 0 : clamp(selected - 1);
    case 'Home':
      return 0;
    case 'End':
      return count - 1;
    case 'PageDown':
      return clamp((selected < 0 ? 0 : selected) + page);
    case 'PageUp':
      return clamp((selected < 0 ? 0 : selected) - page);
    default:
      return null;
  }
}
