/** The soak benchmark's knobs, read from the environment with their defaults. */

/** A positive integer from the environment, or the default (with the reason it was not used). */
export function intFromEnv(name: string, dflt: number, min: number): { value: number; warning?: string } {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return { value: dflt };
  const v = Number(raw);
  if (!Number.isInteger(v) || v < min) return { value: dflt, warning: `${name}=${raw} is not an integer >= ${min}; using ${dflt}` };
  return { value: v };
}

/** Minutes of stress per soak (setting x scheduling variant). */
export const DEFAULT_SOAK_MINUTES = 10;
/** Kills per failover series. */
export const DEFAULT_REPS = 10;
