// The package as a user gets it: `npm pack` holds what a user needs and nothing else; installed into an empty
// project, the commands work (list through npx, schema, validate, persistlab-server, check-aof), the same install
// runs under Deno, and docs/api.md's example (a scenario run through the API) passes against it, types included.
// `persistlab run smoke --quick` from an installed tarball runs in action.test.ts (the action's run step).
import { execa } from "execa";
import { existsSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join, posix } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { findFreePort } from "../../src/harness/engines/ports.ts";
import { makeTempDir, sendInlineCommand, waitForPing } from "../helpers/servers.ts";
import { installIntoEmptyProject, packProject, ROOT, VERSION } from "./packed.ts";

const DENO = join(ROOT, "node_modules", ".bin", "deno");
let packed: Awaited<ReturnType<typeof packProject>>;
let app: string;
const npx = (args: string[]) => execa("npx", ["--no", ...args], { cwd: app, reject: false, timeout: 60_000 });
// What npx runs (node_modules/.bin), without npx's own start-up time.
const bin = (name: string, args: string[]) =>
  execa(join(app, "node_modules", ".bin", name), args, { cwd: app, reject: false, timeout: 60_000 });

// The code blocks of docs/api.md preceded by `<!-- file: NAME -->`, by name.
function readDocFiles(): Map<string, string> {
  const text = readFileSync(join(ROOT, "docs", "api.md"), "utf8");
  return new Map(
    [...text.matchAll(/<!-- file: (\S+) -->\n```\w*\n([\s\S]*?)\n```/g)].map((m) => [m[1] ?? "", `${m[2] ?? ""}\n`]),
  );
}

beforeAll(async () => {
  packed = await packProject();
  app = await installIntoEmptyProject(packed.tarball, "installed");
}, 240_000);

describe("npm pack", () => {
  it("holds the build, scenarios, schema, README and LICENSE, and no tests, sources, fixtures or screenshots", () => {
    const paths = packed.files.map((f) => f.path);
    for (const needed of [
      "dist/bin/persistlab.js",
      "dist/bin/persistlab-server.js",
      "dist/src/index.js",
      "dist/src/index.d.ts",
      "schema/scenario.schema.json",
      "scenarios/smoke.json",
      "native/powerloss/powerloss.c",
      "README.md",
      "LICENSE",
      "package.json",
    ])
      expect(paths).toContain(needed);
    expect(
      paths.filter((p) =>
        /^(test|bench|\.ci|docs|reports)\/|vitest\.config|\.png$|\.map$|^src\/|^bin\/|tsconfig/.test(p),
      ),
    ).toEqual([]);
    expect(packed.files.filter((f) => f.path.startsWith("dist/bin/")).every((f) => (f.mode & 0o111) !== 0)).toBe(true);
    // Every declaration the API's types reach is shipped (relative imports of .d.ts files resolve).
    const shipped = new Set(paths);
    const unresolved = paths
      .filter((p) => p.endsWith(".d.ts"))
      .flatMap((p) =>
        [...readFileSync(join(app, "node_modules", "persistlab", p), "utf8").matchAll(/from "(\.[^"]+)\.ts"/g)]
          .map((m) => posix.join(posix.dirname(p), `${m[1] ?? ""}.d.ts`))
          .filter((target) => !shipped.has(target)),
      );
    expect(unresolved).toEqual([]);
    // Small: under 800 files and 800 kB packed (618 files and 571 kB once every Redis 7.0 type family landed).
    expect(packed.files.length).toBeLessThan(800);
    expect(packed.size).toBeLessThan(800_000);
  });
});

describe("installed into an empty project", () => {
  it("lists the ready-made scenarios and prints the shipped schema", async () => {
    const list = await npx(["persistlab", "list"]);
    expect(list.exitCode, list.stderr).toBe(0);
    expect(list.stdout).toMatch(/^smoke\s/m);
    const schema = await bin("persistlab", ["schema"]);
    expect(schema.exitCode, schema.stderr).toBe(0);
    expect(schema.stdout + "\n").toBe(
      readFileSync(join(app, "node_modules", "persistlab", "schema", "scenario.schema.json"), "utf8"),
    );
    const validate = await bin("persistlab", ["validate", "smoke"]);
    expect(validate.stdout).toContain("ok  ");
  });

  it("starts persistlab-server, whose AOF check-aof then finds valid", async () => {
    const dir = makeTempDir("installed-aof");
    const port = await findFreePort();
    // The bin npx runs, started directly so the test stops its own PID.
    const server = execa(
      join(app, "node_modules", ".bin", "persistlab-server"),
      [
        "--port",
        String(port),
        "--bind",
        "127.0.0.1",
        "--dir",
        dir,
        "--appendonly",
        "yes",
        "--appendfsync",
        "always",
        "--save",
        "",
      ],
      { cwd: app, reject: false },
    );
    try {
      expect(await waitForPing(port, () => server.exitCode === null, 20_000)).toBe(true);
      for (let i = 0; i < 20; i++) expect(await sendInlineCommand(port, `SET key:${i} value:${i}`)).toBe("+OK");
      expect(await sendInlineCommand(port, "DBSIZE")).toBe(":20");
      server.kill("SIGTERM");
      expect((await server).exitCode).toBe(0);
    } finally {
      if (server.exitCode === null) server.kill("SIGKILL");
    }
    const check = await bin("persistlab", ["check-aof", join(dir, "appendonlydir", "appendonly.aof.manifest")]);
    expect(check.exitCode, check.stdout + check.stderr).toBe(0);
    expect(check.stdout).toMatch(/valid/i);
  });

  it.skipIf(!existsSync(DENO))(
    "runs under Deno 2: the CLI via npm:persistlab and the API by import",
    async () => {
      const list = await execa(DENO, ["run", "-A", "npm:persistlab", "list"], { cwd: app, reject: false });
      expect(list.exitCode, list.stderr).toBe(0);
      expect(list.stdout).toMatch(/^smoke\s/m);
      writeFileSync(
        join(app, "deno-api.ts"),
        [
          'import { gate, getScenarioJsonSchema, loadScenario } from "persistlab";',
          'const scenario = loadScenario("smoke", { quick: true });',
          `const verdict: { passed: boolean } = gate(${JSON.stringify(join(ROOT, "test", "fixtures", "results", "smoke-pass.json"))});`,
          'console.log(JSON.stringify({ name: scenario.name, passed: verdict.passed, runtime: "Deno" in globalThis, keys: Object.keys(getScenarioJsonSchema()).length > 3 }));',
        ].join("\n"),
      );
      const api = await execa(DENO, ["run", "-A", "--check", "deno-api.ts"], { cwd: app, reject: false });
      expect(api.exitCode, api.stderr).toBe(0);
      expect(JSON.parse(api.stdout)).toEqual({ name: "smoke", passed: true, runtime: true, keys: true });
    },
    60_000,
  );

  it("passes docs/api.md's example, type-checked against the package's declarations", async () => {
    const files = readDocFiles();
    expect([...files.keys()].sort()).toEqual(["persistence.scenario.json", "persistence.test.ts"]);
    for (const [name, text] of files) writeFileSync(join(app, name), text);
    // The user's own dev dependencies (vitest, typescript, @types/node): this project's copies.
    for (const dep of ["vitest", "typescript", "@types"])
      symlinkSync(join(ROOT, "node_modules", dep), join(app, "node_modules", dep));
    writeFileSync(
      join(app, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: {
          target: "ES2022",
          module: "NodeNext",
          moduleResolution: "NodeNext",
          strict: true,
          noEmit: true,
          skipLibCheck: true,
          types: ["node"],
        },
        files: ["persistence.test.ts"],
      }),
    );
    const tsc = await execa(process.execPath, [join(ROOT, "node_modules", "typescript", "bin", "tsc"), "-p", "."], {
      cwd: app,
      reject: false,
    });
    expect(tsc.exitCode, tsc.stdout).toBe(0);
    const test = await execa(
      process.execPath,
      [join(ROOT, "node_modules", "vitest", "vitest.mjs"), "run", "persistence.test.ts"],
      { cwd: app, reject: false, timeout: 150_000 },
    );
    expect(test.exitCode, test.stdout + test.stderr).toBe(0);
    expect(test.stdout).toMatch(/1 passed/);
  }, 180_000);

  it("is the version in package.json", () => {
    expect(packed.tarball.endsWith(`persistlab-${VERSION}.tgz`)).toBe(true);
  });
});
