/**
 * Who is on the other end of an SSH command (push, save, getkey), as the
 * SSH server authenticated them; written to the audit log. Its own file so
 * the receiver and the commit step (which the receiver calls) both use it
 * without importing each other.
 */

/** Who sent a push (for the audit log). */
export interface Peer {
  user: string;
  key: string;
  addr: string;
}
