/**
 * The pairing routes' way to paird (com.lbos.Paird1): a plain method call
 * with a JSON string each way. A string argument goes as is (Probe's
 * address); anything else as JSON. paird's errors come back as AppErrors
 * with its codes (ALREADY_PAIRED, INVALID_ARGUMENT...).
 */
import { callService, type MessageBus } from '../../runtime/dbus';
import { AppError } from '../../runtime/errors';
import type { PairControl, PairMember } from '../ports/controls';

const NO_ARGUMENT = new Set<PairMember>(['Offer', 'State', 'Unpair', 'Heartbeat']);

export class PairdControl implements PairControl {
  constructor(private readonly bus: MessageBus) {}

  async call(member: PairMember, arg?: unknown): Promise<unknown> {
    // Offer, State and Unpair take nothing: a body sent with them (the page sends {}) is not an argument.
    const args = arg === undefined || NO_ARGUMENT.has(member) ? [] : [typeof arg === 'string' && member === 'Probe' ? arg : JSON.stringify(arg)];
    const [out] = await callService(this.bus, 'paird', member, args.length === 0 ? '' : 's', args);
    try {
      return JSON.parse(String(out)) as unknown;
    } catch {
      throw new AppError('PAIRD_BAD_ANSWER', `paird ${member}: not JSON`);
    }
  }
}
