/**
 * Exit codes of every service and tool, from sysexits(3) so systemd and
 * scripts can tell a bad config (no point restarting) from a crash.
 */
export const EXIT = {
  OK: 0,
  /** Runtime failure; systemd restarts the service. */
  FAILURE: 1,
  /** The command asked for failed on the other side (e.g. peer refused). */
  REFUSED: 2,
  /** Wrong command-line usage. */
  USAGE: 64,
  /** Stopped on purpose to be started again by the supervisor (Restart=on-failure). */
  RESTART: 75,
  /** Input data (a file named on the command line) is wrong. */
  DATA: 65,
  /** A needed service (D-Bus, the daemon a tool talks to) is not there. */
  UNAVAILABLE: 69,
  /** Internal software error. */
  SOFTWARE: 70,
  /** The configuration is invalid. */
  CONFIG: 78,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** Map an AppError code to an exit code. */
export function exitCodeFor(code: string | undefined): ExitCode {
  switch (code) {
    case 'USAGE':
      return EXIT.USAGE;
    case 'CONFIG_INVALID':
      return EXIT.CONFIG;
    case 'BUS_UNAVAILABLE':
    case 'SERVICE_UNAVAILABLE':
    case 'ALREADY_RUNNING':
    case 'BUS_DENIED':
      return EXIT.UNAVAILABLE;
    default:
      return EXIT.FAILURE;
  }
}
