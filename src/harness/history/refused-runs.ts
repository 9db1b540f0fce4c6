// Writes refused before they were sent, recorded as runs instead of one line each. While the engine is down
// (killed, restarting, loading), an open loop keeps its schedule and every op fails at once with "not
// connected (command not sent)": on a full crash-loss run on the bundled engine that was 94 % of 5.72 M ops
// and 122 MB of history. Those writes never reached the engine, so nothing about them but their number, their
// span and their error matters to a reader; one line per client and unbroken run of them says exactly that:
//   {"run":"aof-always#1","refused":{"client":3,"count":1840,"firstId":...,"lastId":...,"fromUs":...,"toUs":...,"error":"not connected (command not sent)","commands":{"SET":1840}}}
// `firstId`..`lastId` bound the run's op ids (other clients' ops interleave, so `count` is the number).

/** One client's unbroken run of writes refused before they were sent. */
export interface RefusedRun {
  client: number;
  count: number;
  firstId: number;
  lastId: number;
  /** Invoke time of the first and completion time of the last (µs since the run start). */
  fromUs: number;
  toUs: number;
  error: string;
  /** How many of each command. */
  commands: Record<string, number>;
}

/** A refused run as a history line holds it (tagged with the run id, like ops). */
export interface RefusedRunRecord {
  run: string;
  refused: RefusedRun;
}

/** True for a parsed history line that is a refused run rather than an op. */
export function isRefusedRunRecord(record: object): record is RefusedRunRecord {
  return "refused" in record;
}

/** Collects the open refused run of each client; the caller writes a run out when it ends. */
export class RefusedRunCollector {
  readonly #open: Array<RefusedRun | undefined> = [];
  #openCount = 0;

  /** True when some client has an open run (a cheap test for the hot path). */
  get hasOpen(): boolean {
    return this.#openCount > 0;
  }

  /**
   * Adds a refused op to its client's run. Returns the run it ended, if any: a run ends when the error
   * text changes (then the new op starts the next run).
   */
  add(
    client: number,
    id: number,
    f: string,
    invokeUs: number,
    completeUs: number,
    error: string,
  ): RefusedRun | undefined {
    const open = this.#open[client];
    if (open !== undefined && open.error === error) {
      open.count += 1;
      open.lastId = id;
      open.toUs = completeUs;
      open.commands[f] = (open.commands[f] ?? 0) + 1;
      return undefined;
    }
    if (open === undefined) this.#openCount += 1;
    this.#open[client] = {
      client,
      count: 1,
      firstId: id,
      lastId: id,
      fromUs: invokeUs,
      toUs: completeUs,
      error,
      commands: { [f]: 1 },
    };
    return open;
  }

  /** Ends the client's open run (the client's next op was not refused); returns it, if any. */
  end(client: number): RefusedRun | undefined {
    const open = this.#open[client];
    if (open === undefined) return undefined;
    this.#open[client] = undefined;
    this.#openCount -= 1;
    return open;
  }

  /** Ends every open run, in client order. */
  endAll(): RefusedRun[] {
    const ended: RefusedRun[] = [];
    for (let client = 0; client < this.#open.length; client += 1) {
      const run = this.end(client);
      if (run !== undefined) ended.push(run);
    }
    return ended;
  }
}
