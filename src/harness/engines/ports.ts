// Free loopback ports (port-0 probing) and per-run temporary directories.
import { mkdtemp } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** Asks the kernel for a free TCP port on 127.0.0.1 (bind port 0, read it, close). */
export function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      server.close(() => (port > 0 ? resolve(port) : reject(new Error("no port assigned"))));
    });
  });
}

/** Creates a fresh directory under the OS temp dir, named after the label. */
export function createTempDir(label: string): Promise<string> {
  return mkdtemp(join(tmpdir(), `persistlab-${label.replace(/[^a-z0-9-]+/gi, "-").slice(0, 40)}-`));
}
