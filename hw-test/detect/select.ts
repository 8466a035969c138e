/**
 * HW=auto: the firmware image (installed under /opt/lbos) on a machine whose
 * system model matches a profile's `match` line is that appliance model
 * (HW=real); anything else is a development machine (HW=sim): a CI runner
 * in a KVM guest has a "Standard PC (Q35 ...)" model too, but no image.
 * Pure: the profiles and the facts come in as data.
 */
import type { Profile } from '../profile/types';

export type HwMode = 'real' | 'sim';

export type Selection =
  | { ok: true; mode: HwMode; profile: Profile; why: string }
  | { ok: false; message: string };

/** Profiles whose `match` equals the detected model (case-insensitive, trimmed). */
export function matchingProfiles(model: string, profiles: readonly Profile[]): Profile[] {
  const m = model.trim().toLowerCase();
  if (m === '') return [];
  return profiles.filter((p) => p.kind !== 'sim' && p.match.some((x) => x.trim().toLowerCase() === m));
}

/**
 * Picks mode and profile. `requested` is HW (auto/real/sim); `explicit` a
 * profile named with --profile (wins over matching).
 */
export function selectProfile(requested: 'auto' | HwMode, model: string, profiles: readonly Profile[], explicit?: Profile, onImage = true): Selection {
  const sim = profiles.find((p) => p.kind === 'sim');
  if (explicit !== undefined) {
    const mode: HwMode = explicit.kind === 'sim' ? 'sim' : 'real';
    if (requested !== 'auto' && requested !== mode) {
      return { ok: false, message: `--profile ${explicit.file} is a ${explicit.kind} profile, which does not go with HW=${requested}` };
    }
    return { ok: true, mode, profile: explicit, why: `profile ${explicit.file} given` };
  }
  const matches = matchingProfiles(model, profiles);
  if (matches.length > 1) {
    return { ok: false, message: `system model "${model}" matches ${matches.map((p) => p.model).join(' and ')}; name one with --profile` };
  }
  const hit = matches[0];
  if (requested === 'sim' || (requested === 'auto' && (hit === undefined || !onImage))) {
    if (sim === undefined) return { ok: false, message: 'no sim profile found' };
    const why =
      requested === 'sim'
        ? 'HW=sim'
        : hit === undefined
          ? `no appliance model matches system model "${model || 'unknown'}"`
          : `system model "${model}" matches ${hit.model}, but this is not the firmware image (a development machine; HW=real to insist)`;
    return { ok: true, mode: 'sim', profile: sim, why };
  }
  if (hit === undefined) {
    return { ok: false, message: `HW=real but system model "${model || 'unknown'}" matches no profile (known: ${profiles.filter((p) => p.kind !== 'sim').map((p) => p.model).join(', ')}); name one with --profile` };
  }
  return { ok: true, mode: 'real', profile: hit, why: `system model "${model}" is ${hit.model}` };
}
