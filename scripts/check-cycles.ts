// `npm run check:cycles`: import cycles among the files of src/, found by dpdm with type-only imports counted
// (a type cycle makes a reader go round the same files too). Any cycle fails the check, engine and harness alike.
import { parseCircular, parseDependencyTree } from "dpdm";

const tree = await parseDependencyTree(["src/**/*.ts"], {
  context: process.cwd(),
  transform: false,
  skipDynamicImports: false,
  onProgress: () => undefined,
});
const files = Object.keys(tree).length;
const cycles = parseCircular(tree, false);
const show = (cycle: readonly string[]): string => `  ${[...cycle, cycle[0]].join(" -> ")}`;

if (cycles.length > 0) {
  console.error(`check:cycles: ${cycles.length} import cycle(s) in src/:`);
  for (const cycle of cycles) console.error(show(cycle));
  console.error(
    "Fix: move what both sides need into a module both can import (a types file, or shared/), or pass it in.",
  );
  process.exit(1);
}
console.log(`check:cycles: ${files} files, no import cycle`);
