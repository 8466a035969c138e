/**
 * One subscriber of the feed as the hub sees it: how much is still queued
 * for it, a way to queue a text frame, and a way to drop it. The ws adapter
 * implements it over a WebSocket; tests use FakeConnection.
 */

export interface FeedConnection {
  /** Bytes queued for this client and not yet taken by the kernel. */
  readonly bufferedAmount: number;
  /** Queue one text frame (UTF-8, built once for every client). */
  send(frame: Buffer): void;
  /** Drop the connection at once: no close handshake, its buffer may be full. */
  terminate(reason: string): void;
}

/** A connection that records what it was sent; `bufferedAmount` is set by the test. */
export class FakeConnection implements FeedConnection {
  bufferedAmount = 0;
  readonly frames: string[] = [];
  terminated: string | null = null;

  send(frame: Buffer): void {
    if (this.terminated !== null) throw new Error('send after terminate');
    this.frames.push(frame.toString('utf8'));
  }

  terminate(reason: string): void {
    this.terminated = reason;
  }

  /** The frames as parsed JSON, for assertions. */
  messages(): Record<string, unknown>[] {
    return this.frames.map((f) => JSON.parse(f) as Record<string, unknown>);
  }
}
