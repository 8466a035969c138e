/** Benchmark knobs from the environment. */

/** A positive integer from the environment, or the default (with the reason it was not used). */
export function intFromEnv(name: string, dflt: number, min: number): { value: number; warning?: string } {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return { value: dflt };
  const v = Number(raw);
  if (!Number.isInteger(v) || v < min) return { value: dflt, warning: `${name}=${raw} is not an integer >= ${min}; using ${dflt}` };
  return { value: v };
}
