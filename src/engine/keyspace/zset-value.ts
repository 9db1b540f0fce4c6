// The sorted-set type: member → score map plus an array kept sorted by (score, member).
// Insertion is a binary search plus splice: O(log n) compare, O(n) memmove, fast for the sizes
// Redis keeps in listpacks and fine up to ~10^5 members.

/** One element of a sorted set. */
export interface ZSetEntry {
  readonly member: string;
  readonly score: number;
}

/** A Redis sorted set. */
export class ZSetValue {
  readonly scores = new Map<string, number>();
  private sorted: ZSetEntry[] = [];

  /** Number of members. */
  get length(): number {
    return this.sorted.length;
  }

  /** Score of a member or undefined. */
  score(member: string): number | undefined {
    return this.scores.get(member);
  }

  /** Adds or updates a member; returns true when it was new. */
  add(member: string, score: number): boolean {
    const previous = this.scores.get(member);
    if (previous !== undefined) {
      if (previous === score) return false;
      this.sorted.splice(this.indexOf(member, previous), 1);
    }
    this.scores.set(member, score);
    this.sorted.splice(this.lowerBound(score, member), 0, { member, score });
    return previous === undefined;
  }

  /** Removes a member; returns true when it existed. */
  remove(member: string): boolean {
    const score = this.scores.get(member);
    if (score === undefined) return false;
    this.sorted.splice(this.indexOf(member, score), 1);
    this.scores.delete(member);
    return true;
  }

  /** 0-based rank in ascending order, or undefined. */
  rank(member: string): number | undefined {
    const score = this.scores.get(member);
    return score === undefined ? undefined : this.indexOf(member, score);
  }

  /** Entry at an ascending rank. */
  at(rank: number): ZSetEntry | undefined {
    return this.sorted[rank];
  }

  /** Entries by ascending rank, start..end inclusive (clamped by the caller). */
  range(start: number, end: number): ZSetEntry[] {
    return this.sorted.slice(start, end + 1);
  }

  /** All entries in ascending order (shared array: do not mutate). */
  entries(): readonly ZSetEntry[] {
    return this.sorted;
  }

  /** First rank whose entry sorts at or after (score, member); member "" = lowest for the score. */
  lowerBound(score: number, member: string): number {
    let low = 0;
    let high = this.sorted.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      const entry = this.sorted[middle] as ZSetEntry;
      if (entry.score < score || (entry.score === score && entry.member < member)) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  /** First rank whose score is greater than `score` (or ≥ when inclusive is false... see callers). */
  upperBoundScore(score: number): number {
    let low = 0;
    let high = this.sorted.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((this.sorted[middle] as ZSetEntry).score <= score) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  /** A deep copy. */
  clone(): ZSetValue {
    const copy = new ZSetValue();
    for (const [member, score] of this.scores) copy.scores.set(member, score);
    copy.sorted = this.sorted.slice();
    return copy;
  }

  private indexOf(member: string, score: number): number {
    return this.lowerBound(score, member);
  }
}
