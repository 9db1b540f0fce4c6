// Public exports of the engine (used by bin/ and by the harness's micro-benchmarks only).
export { loadConfig, ConfigError } from "./config/load-config.ts";
export { startServer, type RunningServer } from "./server/boot.ts";
export { RespParser } from "./resp/parser.ts";
export { ReplyWriter } from "./resp/reply-writer.ts";
