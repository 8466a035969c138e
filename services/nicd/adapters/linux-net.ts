/** NetSystem on a real Linux box: iproute2, sysfs, resolv.conf, hostname. */
import type { LiveState, Step } from '../core/model';
import { StepFailed, type NetSystem } from '../ports/net';
import { readNetwork, runIpSteps, stepCommands } from './iproute2';
import { kernelSupport } from './kernel';
import { readHostname, readOptional, setHostname, writeSystemFile, type SystemFilePaths } from './system-files';

export function linuxNet(paths: SystemFilePaths): NetSystem {
  const fileStep = async (step: Step): Promise<void> => {
    if (step.kind === 'WriteResolvConf') await writeSystemFile(paths.resolvConf, step.text);
    else if (step.kind === 'SetHostname') await setHostname(step.name, paths.hostnameFile);
  };
  return {
    readLive: async (): Promise<LiveState> => {
      const [net, resolvConf, hostname] = await Promise.all([readNetwork(), readOptional(paths.resolvConf), readHostname(paths.hostnameFile)]);
      return { ...net, resolvConf, hostname };
    },
    run: async (steps, onDone): Promise<void> => {
      // Each run of consecutive iproute2 steps is one `ip -batch`; files and the hostname in between, in order.
      let i = 0;
      while (i < steps.length) {
        let end = i;
        while (end < steps.length && stepCommands(steps[end]!).length > 0) end++;
        const from = i;
        try {
          if (end > from) await runIpSteps(steps.slice(from, end), (k) => onDone(from + k));
          else await fileStep(steps[from]!);
        } catch (err) {
          throw err instanceof StepFailed ? new StepFailed(from + err.index, err.error) : new StepFailed(from, err);
        }
        if (end === from) onDone(from);
        i = Math.max(end, from + 1);
      }
    },
    kernelSupport,
  };
}
