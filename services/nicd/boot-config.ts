/** The configuration nicd starts with: the saved file, or the factory default. */
import { formatProblem } from '../runtime/config/problems';
import { parseNetworkConfig } from '../runtime/netconf/parse';
import { factoryConfigText } from './config/factory';
import { withGeneration } from '../runtime/netconf/render';
import { desiredFromConfig } from './core/desired';
import type { ActiveConfig } from './controller';
import type { NicdBoot } from './load';

export const FACTORY_LABEL = 'factory default';

export function factoryDefault(firstNic: string | null): ActiveConfig {
  const text = withGeneration(factoryConfigText(firstNic), 0);
  const { config } = parseNetworkConfig(text, FACTORY_LABEL);
  return { generation: 0, text, config, desired: desiredFromConfig(config), source: 'factory-default' };
}

/** The active config at start, and a note for LastResult when the file was unusable. */
export function initialConfig(boot: NicdBoot, firstNic: string | null): { active: ActiveConfig; note?: string } {
  if (boot.text === null) return { active: factoryDefault(firstNic) };
  if (boot.config === null) {
    const first = boot.problems[0];
    const why = first === undefined ? 'invalid' : `${boot.problems.length} problem(s), first: ${formatProblem(first)}`;
    return { active: factoryDefault(firstNic), note: `${boot.file} is refused (${why}): the factory default is in force` };
  }
  const config = boot.config;
  return { active: { generation: config.generation ?? 0, text: boot.text, config, desired: desiredFromConfig(config), source: 'file' } };
}
