// The "Undo" window after a deletion: one item at a time, offered for a few seconds, with
// the countdown paused while the user is on the toast (hover or focus), so the time limit
// can be extended (WCAG 2.2.1).

export const UNDO_MS = 8000;

export interface Clock {
  now: () => number;
  set: (fn: () => void, ms: number) => unknown;
  clear: (handle: unknown) => void;
}

const realClock: Clock = {
  now: () => Date.now(),
  set: (fn, ms) => setTimeout(fn, ms),
  clear: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

export class UndoTimer<T> {
  private item: T | null = null;
  private handle: unknown = null;
  private deadline = 0;
  /** Time left when paused; null while running. */
  private left: number | null = null;

  constructor(
    /** Called when the offer runs out (the item can no longer be undone). */
    private readonly onExpire: (item: T) => void,
    private readonly ms = UNDO_MS,
    private readonly clock: Clock = realClock,
  ) {}

  /** Offers `item` for undo; an earlier offer ends at once (it expires). */
  offer(item: T): void {
    const prev = this.item;
    this.stop();
    this.item = null;
    if (prev !== null) this.onExpire(prev);
    this.item = item;
    this.left = null;
    this.start(this.ms);
  }

  /** Takes the item back (the user chose Undo); null when the offer has run out. */
  take(): T | null {
    const it = this.item;
    this.stop();
    this.item = null;
    this.left = null;
    return it;
  }

  /** Stops the countdown (the pointer or the focus is on the toast). */
  pause(): void {
    if (this.item === null || this.left !== null) return;
    this.left = Math.max(0, this.deadline - this.clock.now());
    this.stop();
  }

  /** Goes on counting down what was left (never less than a second and a half). */
  resume(): void {
    if (this.item === null || this.left === null) return;
    const left = Math.max(1500, this.left);
    this.left = null;
    this.start(left);
  }

  get current(): T | null {
    return this.item;
  }

  get paused(): boolean {
    return this.left !== null;
  }

  /** Ends the offer without calling back. */
  dispose(): void {
    this.stop();
    this.item = null;
    this.left = null;
  }

  private start(ms: number): void {
    this.deadline = this.clock.now() + ms;
    this.handle = this.clock.set(() => {
      this.handle = null;
      const it = this.item;
      this.item = null;
      if (it !== null) this.onExpire(it);
    }, ms);
  }

  private stop(): void {
    if (this.handle !== null) this.clock.clear(this.handle);
    this.handle = null;
  }
}
