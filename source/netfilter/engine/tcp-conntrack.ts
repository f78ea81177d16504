/**
 * Which TCP segments conntrack calls INVALID (nf_conntrack_proto_tcp.c), in the part nfdb models.
 *
 * With no entry (tcp_new): only a SYN opens a connection; a RST, SYN-ACK or FIN (and a segment
 * with no flags) is INVALID; an ACK is picked up mid-stream as a NEW connection when
 * nf_conntrack_tcp_loose is 1 (the default), and is INVALID when it is 0.
 *
 * With an entry (tcp_in_window, since Linux 6.1): a segment whose SEQ is over the receiver's
 * window, or whose ACK acknowledges data never seen, is INVALID; an old retransmission (SEQ
 * under the window) is ignored: it keeps its entry, the entry's state does not move.
 * nf_conntrack_tcp_be_liberal=1 lets every window check pass.
 *
 * An INVALID packet gets no entry: nf_conntrack_in leaves the skb without one, so the nat
 * hooks have nothing to translate it by, and `--ctstate INVALID` matches it.
 */
import type { ConntrackSysctls, InvalidWhy, Packet, WindowPosition } from '../../model/index.js';

export type NewSegment =
  | { readonly kind: 'opens' }
  | { readonly kind: 'picked-up' }
  | { readonly kind: 'invalid'; readonly why: InvalidWhy };

export type TrackedSegment =
  | { readonly kind: 'in-window' }
  | { readonly kind: 'ignored'; readonly window: WindowPosition }
  | { readonly kind: 'invalid'; readonly why: InvalidWhy };

const loose = (s: ConntrackSysctls | undefined) => s?.tcpLoose ?? true;
const liberal = (s: ConntrackSysctls | undefined) => s?.tcpBeLiberal ?? false;

/** A packet that found no entry: does it open one (tcp_conntracks[0][index][sNO])? */
export function judgeNew(packet: Packet, sysctls: ConntrackSysctls | undefined): NewSegment {
  const f = packet.tcpFlags;
  if (packet.protocol !== 'tcp' || !f) return { kind: 'opens' };
  // get_conntrack_index: RST first, then SYN (with ACK: SYN-ACK), FIN, ACK.
  const segment = f.rst ? 'RST' : f.syn ? (f.ack ? 'SYN-ACK' : undefined) : f.fin ? 'FIN' : null;
  if (segment === undefined) return { kind: 'opens' };
  if (segment !== null) return { kind: 'invalid', why: { kind: 'cannot-open', segment } };
  if (!f.ack) return { kind: 'invalid', why: { kind: 'cannot-open', segment: 'no flags' } };
  return loose(sysctls)
    ? { kind: 'picked-up' }
    : { kind: 'invalid', why: { kind: 'not-picked-up' } };
}

/** A packet of a tracked connection: does tcp_in_window accept it? */
export function judgeTracked(
  packet: Packet,
  sysctls: ConntrackSysctls | undefined,
): TrackedSegment {
  const window = packet.protocol === 'tcp' ? packet.window : undefined;
  if (window === undefined || liberal(sysctls)) return { kind: 'in-window' };
  if (window === 'seq-under') return { kind: 'ignored', window };
  return { kind: 'invalid', why: { kind: 'window', window } };
}
