// Where to put a small floating toolbar next to a selection.

export interface Box {
  top: number;
  left: number;
  width: number;
  height: number;
}

/**
 * The toolbar's top-left corner, in the coordinates of `area` (the scrolled content of the
 * text pane: `area.top` is the scroll offset, `area.height` the visible height). Above the
 * selection when there is room in view, else below it; centred on the selection and kept
 * inside the area's width.
 */
export function placeToolbar(
  sel: Box,
  size: { width: number; height: number },
  area: Box,
  gap = 8,
): { top: number; left: number; below: boolean } {
  const aboveTop = sel.top - size.height - gap;
  const below = aboveTop < area.top;
  const top = below ? sel.top + sel.height + gap : aboveTop;
  const minLeft = area.left + 4;
  const maxLeft = Math.max(minLeft, area.left + area.width - size.width - 4);
  const centred = sel.left + sel.width / 2 - size.width / 2;
  const left = Math.min(maxLeft, Math.max(minLeft, centred));
  return { top: Math.round(top), left: Math.round(left), below };
}
