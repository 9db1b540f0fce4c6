// Micro suite: recording costs of the measurement path (HDR histogram, timeline, history line).
import type { MicroSuite } from "../suite.ts";
import { createHistogram, recordLatencyUs } from "../../stats/histogram.ts";
import { TimelineRecorder } from "../../stats/timeline.ts";

/** Histogram and history recording. */
export const statsSuite: MicroSuite = {
  name: "stats",
  description: "HDR histogram record, timeline record, history JSON line",
  addTasks(bench) {
    const histogram = createHistogram();
    const timeline = new TimelineRecorder(500);
    let i = 0;
    bench.add("hdr record", () => {
      recordLatencyUs(histogram, 100 + (i++ % 5000));
    });
    bench.add("timeline record", () => {
      timeline.record(i++ % 60_000, "ok", 250);
    });
    bench.add("history line (JSON)", () => {
      JSON.stringify({
        run: "aof-always#1",
        id: i++,
        client: 3,
        f: "SET",
        key: "key:123",
        value: "w1|xxxxxxxx",
        type: "ok",
        invokeUs: 1000,
        completeUs: 1200,
      });
    });
  },
};
