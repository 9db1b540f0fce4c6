// Reads uPlot's browser build and stylesheet from node_modules for inlining (so report.html works offline).
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

/** The uPlot IIFE script and CSS, escaped for inlining inside <script> and <style>. */
export interface InlineAssets {
  uplotScript: string;
  uplotCss: string;
}

let cached: InlineAssets | undefined;

/** Escapes text for a raw-text element: no `</script` or `</style` can end it early. */
export function escapeRawText(text: string, element: "script" | "style"): string {
  return text.replace(new RegExp(`</(${element})`, "gi"), "<\\/$1");
}

/** Loads (once) the inlined uPlot assets. */
export function loadInlineAssets(): InlineAssets {
  if (cached === undefined) {
    const require = createRequire(import.meta.url);
    const read = (path: string): string => readFileSync(require.resolve(path), "utf8");
    cached = {
      uplotScript: escapeRawText(read("uplot/dist/uPlot.iife.min.js"), "script"),
      uplotCss: escapeRawText(read("uplot/dist/uPlot.min.css"), "style"),
    };
  }
  return cached;
}
