/** The soak benchmark's defaults (bench/soak.ts reads the environment with lib/env.ts). */

/** Minutes of stress per soak (setting x scheduling variant). */
export const DEFAULT_SOAK_MINUTES = 10;
/** Kills per failover series. */
export const DEFAULT_REPS = 10;
