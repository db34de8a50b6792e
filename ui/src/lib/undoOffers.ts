// One Undo offer at a time across the app: offering to undo a deleted pack ends the offer
// for a deleted annotation, and the other way round (the toast shows one item).

const dismissers = new Map<string, () => void>();

/** Registers how to end `name`'s offer. */
export function registerUndo(name: string, dismiss: () => void): void {
  dismissers.set(name, dismiss);
}

/** Ends every other offer: `name` is about to offer an undo. */
export function offering(name: string): void {
  for (const [n, dismiss] of dismissers) if (n !== name) dismiss();
}
