/** NetSystem on a real Linux box: iproute2, sysfs, resolv.conf, hostname. */
import type { LiveState, Step } from '../core/model';
import type { NetSystem } from '../ports/net';
import { readLinksAndAddresses, readRoutes, runIpStep } from './iproute2';
import { kernelSupport } from './kernel';
import { readHostname, readOptional, setHostname, writeSystemFile, type SystemFilePaths } from './system-files';

export function linuxNet(paths: SystemFilePaths): NetSystem {
  return {
    readLive: async (): Promise<LiveState> => {
      const [la, routes, resolvConf, hostname] = await Promise.all([readLinksAndAddresses(), readRoutes(), readOptional(paths.resolvConf), readHostname(paths.hostnameFile)]);
      return { ...la, routes, resolvConf, hostname };
    },
    execute: async (step: Step): Promise<void> => {
      switch (step.kind) {
        case 'WriteResolvConf':
          await writeSystemFile(paths.resolvConf, step.text);
          return;
        case 'SetHostname':
          await setHostname(step.name, paths.hostnameFile);
          return;
        default:
          await runIpStep(step);
      }
    },
    kernelSupport,
  };
}
