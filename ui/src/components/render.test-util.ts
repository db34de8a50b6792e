// Mounting a component for the component tests (happy-dom), shared by every *.test.ts here.
import { flushSync, mount, unmount } from 'svelte';

let current: Record<string, unknown> | null = null;

/** Mounts `C` with `props` in a new element of the document and returns that element. */
export function render<P extends Record<string, unknown>>(C: unknown, props: P): HTMLElement {
  const target = document.createElement('div');
  document.body.append(target);
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  current = mount(C as any, { target, props });
  flushSync();
  return target;
}

/** Unmounts what `render` mounted last, if anything. */
export function unmountRendered(): void {
  if (current) unmount(current);
  current = null;
}
