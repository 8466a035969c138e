/**
 * A heartbeat transport as the runtime sees it: bytes out to the peer, bytes
 * in from the peer, and whether the medium itself is usable. UDP and serial
 * adapters implement it; tests can use the in-memory pair beside it.
 */
export type LinkKind = 'udp' | 'serial';

export interface LinkFrame {
  linkId: string;
  data: Buffer;
}

/** A drop that happened below the message layer (framing, unknown source). */
export interface LinkDrop {
  linkId: string;
  reason: string;
}

export interface Link {
  readonly id: string;
  readonly kind: LinkKind;
  /** Send one encoded advert; false when the medium cannot take it now (cable out, queue full). */
  send(data: Buffer): boolean;
  close(): Promise<void>;
}

/** Callbacks a transport reports to. */
export interface LinkSink {
  frame(f: LinkFrame): void;
  drop(d: LinkDrop): void;
  /** The medium came or went (serial device open/closed); not the peer's liveness. */
  medium(linkId: string, usable: boolean, why: string): void;
}
