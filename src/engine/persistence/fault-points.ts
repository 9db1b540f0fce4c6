// Fault points: named places in the persistence code where the engine kills itself on request, so
// crash tests can hit narrow windows on purpose. The list and the window each one hits: docs/fault-points.md.

/** The environment variable naming the point to die at. */
export const FAULT_POINT_VARIABLE = "PERSISTLAB_FAULT_POINT";

/** When PERSISTLAB_FAULT_POINT names this point: logs a line to stderr and dies by SIGKILL (no cleanup runs). */
export function faultPoint(name: string): void {
  if (process.env[FAULT_POINT_VARIABLE] !== name) return;
  process.stderr.write(`persistlab fault point ${name} reached: killing pid ${process.pid} with SIGKILL\n`);
  process.kill(process.pid, "SIGKILL");
}
