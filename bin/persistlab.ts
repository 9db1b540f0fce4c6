#!/usr/bin/env node
// persistlab CLI entry point: hands argv to the harness CLI and exits with its code.
import { main } from "../src/harness/cli/main.ts";

const code = await main(process.argv.slice(2));
process.exit(code);
