/**
 * The match extensions a machine can load beside the ones nfdb simulates: those iptables 1.8.9
 * ships (its libxt_, libipt_ and libip6t_ match libraries) and xtables-addons'. A rule with one of
 * them is kept, not simulated; a name on neither list is what iptables-restore refuses
 * ("Couldn't load match"), a typo as often as not.
 */
const IPTABLES =
  'addrtype ah bpf cgroup cluster comment connbytes connlabel connlimit connmark conntrack cpu ' +
  'dccp devgroup dscp dst ecn esp eui64 frag hashlimit hbh helper hl icmp icmp6 ipcomp iprange ' +
  'ipv6header ipvs length limit mac mark mh multiport nfacct osf owner physdev pkttype policy ' +
  'quota rateest realm recent rpfilter rt sctp set socket srh state statistic string tcp tcpmss ' +
  'time tos ttl u32 udp udplite';

const XTABLES_ADDONS =
  'asn condition dhcpmac fuzzy geoip gradm iface ipp2p ipv4options length2 lscan pknock psd quota2';

const LOADABLE: ReadonlySet<string> = new Set(`${IPTABLES} ${XTABLES_ADDONS}`.split(' '));

/** Whether some machine can load a match of this name (nfdb may still not simulate it). */
export function loadableMatch(name: string): boolean {
  return LOADABLE.has(name);
}
