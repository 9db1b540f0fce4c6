// The list type: a growable ring buffer, O(1) push/pop at both ends and O(1) indexing.

/** A Redis list of latin1 strings. */
export class ListValue {
  private items: (string | undefined)[];
  private head = 0;
  private count = 0;

  constructor(initial: readonly string[] = []) {
    this.items = new Array<string | undefined>(Math.max(8, initial.length * 2));
    for (const item of initial) this.pushBack(item);
  }

  /** Number of elements. */
  get length(): number {
    return this.count;
  }

  /** Element at index (0-based from the head), undefined when out of range. */
  at(index: number): string | undefined {
    if (index < 0 || index >= this.count) return undefined;
    return this.items[(this.head + index) % this.items.length];
  }

  /** Replaces the element at an in-range index. */
  setAt(index: number, value: string): void {
    this.items[(this.head + index) % this.items.length] = value;
  }

  /** Adds at the head. */
  pushFront(value: string): void {
    this.growIfFull();
    this.head = (this.head - 1 + this.items.length) % this.items.length;
    this.items[this.head] = value;
    this.count += 1;
  }

  /** Adds at the tail. */
  pushBack(value: string): void {
    this.growIfFull();
    this.items[(this.head + this.count) % this.items.length] = value;
    this.count += 1;
  }

  /** Removes and returns the head. */
  popFront(): string | undefined {
    if (this.count === 0) return undefined;
    const value = this.items[this.head];
    this.items[this.head] = undefined;
    this.head = (this.head + 1) % this.items.length;
    this.count -= 1;
    return value;
  }

  /** Removes and returns the tail. */
  popBack(): string | undefined {
    if (this.count === 0) return undefined;
    const index = (this.head + this.count - 1) % this.items.length;
    const value = this.items[index];
    this.items[index] = undefined;
    this.count -= 1;
    return value;
  }

  /** Elements from start to end inclusive (already clamped by the caller). */
  slice(start: number, end: number): string[] {
    const result: string[] = [];
    for (let index = start; index <= end && index < this.count; index += 1) {
      result.push(this.items[(this.head + index) % this.items.length] as string);
    }
    return result;
  }

  /** All elements head to tail. */
  toArray(): string[] {
    return this.slice(0, this.count - 1);
  }

  /** Replaces the whole content (for LREM, LINSERT, LTRIM). */
  replaceAll(values: readonly string[]): void {
    this.items = new Array<string | undefined>(Math.max(8, values.length * 2));
    this.head = 0;
    this.count = 0;
    for (const value of values) this.pushBack(value);
  }

  /** A deep copy. */
  clone(): ListValue {
    return new ListValue(this.toArray());
  }

  private growIfFull(): void {
    if (this.count < this.items.length) return;
    const next = new Array<string | undefined>(this.items.length * 2);
    for (let index = 0; index < this.count; index += 1) {
      next[index] = this.items[(this.head + index) % this.items.length];
    }
    this.items = next;
    this.head = 0;
  }
}
