#!/usr/bin/env -S node --max-semi-space-size=4
// persistlab-server: the bundled Redis 7.0-compatible engine, with redis-server's command line.
import { ConfigError, loadConfig } from "../src/engine/config/load-config.ts";
import { startServer } from "../src/engine/server/boot.ts";
import { runEngineTool } from "../src/engine/tools/run-tool.ts";
import { renderVersionLine } from "../src/engine/server/version.ts";

const argv = process.argv.slice(2);
const first = argv[0];
if (first === "-v" || first === "--version") {
  process.stdout.write(`${renderVersionLine()}\n`);
  process.exit(0);
}
if (first === "-h" || first === "--help") {
  process.stdout.write(
    "Usage: persistlab-server [/path/to/redis.conf] [options] [-]\n" +
      "       persistlab-server - (read config from stdin)\n" +
      "       persistlab-server -v or --version\n" +
      "       persistlab-server --check-rdb <file> | --check-aof [--fix] <file|manifest>\n\n" +
      "Examples:\n" +
      "       persistlab-server (run the server with default conf)\n" +
      "       persistlab-server /etc/redis/6379.conf\n" +
      "       persistlab-server --port 7777\n" +
      "       persistlab-server --port 7777 --appendonly yes --appendfsync always --dir /tmp/data\n",
  );
  process.exit(0);
}
if (first === "--check-rdb" || first === "--check-aof") {
  process.exit(await runEngineTool(first.slice(2), argv.slice(1)));
}
try {
  await startServer({ config: loadConfig(argv), exitOnShutdown: true });
} catch (error) {
  if (error instanceof ConfigError) {
    process.stderr.write(error.message + "\n");
    process.exit(1);
  }
  process.stderr.write(`Fatal error: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
