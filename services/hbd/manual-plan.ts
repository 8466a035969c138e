/**
 * What `hactl standby|takeover` does given the unit's status, as Heartbeat's
 * hb_standby/hb_takeover do: a request that would change nothing is not sent
 * and says so; one hbd would refuse is refused here with hbd's reason.
 *
 *   | command  | unit state           | peer     | outcome                                   |
 *   |----------|----------------------|----------|-------------------------------------------|
 *   | any      | init / stopped       | -        | refused: hbd decides only after init      |
 *   | standby  | any                  | dead     | refused: nobody to hand the resources to  |
 *   | standby  | passive, no pin here | alive    | nothing to do: the peer holds them        |
 *   | takeover | active, no pin to peer | -      | nothing to do: this unit holds them       |
 *   | else     |                      |          | send the request                          |
 *
 * A "pin" is the standing manual record (StatusView.manual): while it names
 * the other unit a handover is under way, and the request cancels it.
 */
import type { StatusView } from './status-view';

export type ManualCommand = 'standby' | 'takeover';

export type ManualPlan =
  | { kind: 'send'; message: string }
  | { kind: 'nothing-to-do'; message: string }
  | { kind: 'refused'; message: string };

const peerAlive = (v: StatusView): boolean => v.peerStatus === 'up' || v.peerStatus === 'warn';

export function planManual(cmd: ManualCommand, v: StatusView): ManualPlan {
  if (v.state === 'init' || v.state === 'stopped') {
    return { kind: 'refused', message: `${cmd} refused: hbd on ${v.node} is ${v.state === 'init' ? 'still starting (init): it decides once it has heard the peer or initdead has passed' : 'stopped'}` };
  }
  if (cmd === 'standby') {
    if (!peerAlive(v)) return { kind: 'refused', message: `standby refused: the peer ${v.peer} is ${v.peerStatus === 'dead' ? 'dead' : 'not heard'}, nobody can take over; ${v.node} keeps the resources` };
    if (v.state === 'passive' && v.manual.node !== v.node) return { kind: 'nothing-to-do', message: `nothing to do: ${v.node} is already passive, ${v.peer} holds the resources` };
    return { kind: 'send', message: `standby requested: ${v.node} hands the resources to ${v.peer}` };
  }
  if (v.state === 'active' && v.manual.node !== v.peer) return { kind: 'nothing-to-do', message: `nothing to do: ${v.node} is already active and holds the resources` };
  return { kind: 'send', message: `takeover requested: ${v.node} takes the resources${peerAlive(v) ? ` from ${v.peer}` : ''}` };
}
