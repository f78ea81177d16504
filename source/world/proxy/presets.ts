/**
 * The proxies the meshes' rules are written for. Each init container (istio-iptables, istio-cni,
 * Linkerd's proxy-init, kumactl's transparent proxy, Consul's redirect-traffic) writes rules that
 * let one particular proxy's own connections out: by its uid, its gid or its socket mark. A
 * proxy modelled with other values than the rules expect loops where the real one does not, so
 * nfdb models the proxy the rules name, not a fixed envoy.
 */

export const PRESET_NAMES = ['istio', 'istio-ambient', 'linkerd', 'kuma', 'consul'] as const;
export type PresetName = (typeof PRESET_NAMES)[number];

/** What netfilter sees of a transparent proxy: who it runs as, where it listens, how it marks. */
export interface ProxyParams {
  /** The process name the trace shows. */
  readonly process: string;
  readonly uid: number;
  readonly gid: number;
  /** Where the rules send inbound connections (REDIRECT or TPROXY --on-port). */
  readonly inboundPort: number;
  /** Where the rules send the app's outbound connections. */
  readonly outboundPort: number;
  /**
   * The source address of the proxy's connection to the app (istio's 127.0.0.6); absent when
   * the proxy does not bind, and the kernel picks the pod's own address.
   */
  readonly inboundBind?: string;
  readonly inboundBind6?: string;
  /** SO_MARK on the connections it opens (ztunnel's 0x539). */
  readonly mark?: number;
  /** TPROXY inbound: the proxy is transparent and marks its upstream with this. */
  readonly tproxyMark?: number;
  /** Ports the proxy answers itself (health, stats, HBONE). */
  readonly ownPorts: readonly number[];
  /** Where the proxy's DNS proxy listens (UDP), when the rules capture DNS. */
  readonly dnsPort?: number;
}

/** A preset with a sentence on where its values come from, for what nfdb says it assumed. */
export interface Preset {
  readonly name: PresetName;
  readonly title: string;
  readonly params: ProxyParams;
  /** Where the values differ from the real proxy's behaviour, said plainly. */
  readonly caveat?: string;
  /** The caveat is about this value, and goes without saying once the rules or flags give it. */
  readonly caveatUnlessGiven?: 'uid';
}

export const PRESETS: Readonly<Record<PresetName, Preset>> = {
  istio: {
    name: 'istio',
    title: 'Istio sidecar (envoy)',
    params: {
      process: 'envoy',
      uid: 1337,
      gid: 1337,
      inboundPort: 15006,
      outboundPort: 15001,
      inboundBind: '127.0.0.6',
      inboundBind6: '::6',
      ownPorts: [15008, 15021, 15090],
      dnsPort: 15053,
    },
  },
  'istio-ambient': {
    name: 'istio-ambient',
    title: 'Istio ambient, in-pod (ztunnel)',
    params: {
      process: 'ztunnel',
      uid: 0,
      gid: 0,
      inboundPort: 15006,
      outboundPort: 15001,
      inboundBind: '127.0.0.6',
      inboundBind6: '::6',
      mark: 0x539,
      ownPorts: [15008],
      dnsPort: 15053,
    },
    caveat:
      'ztunnel connects to the app with the caller as its source; nfdb models that connection from 127.0.0.6, which the rules treat alike (its mark 0x539 lets it through)',
  },
  linkerd: {
    name: 'linkerd',
    title: 'Linkerd (linkerd2-proxy)',
    params: {
      process: 'linkerd-proxy',
      uid: 2102,
      gid: 2102,
      inboundPort: 4143,
      outboundPort: 4140,
      ownPorts: [4190, 4191],
    },
  },
  kuma: {
    name: 'kuma',
    title: 'Kuma (kuma-dp, envoy)',
    params: {
      process: 'kuma-dp',
      uid: 5678,
      gid: 5678,
      inboundPort: 15006,
      outboundPort: 15001,
      inboundBind: '127.0.0.6',
      inboundBind6: '::6',
      ownPorts: [],
      dnsPort: 15053,
    },
  },
  consul: {
    name: 'consul',
    title: 'Consul (envoy)',
    params: {
      process: 'envoy',
      uid: 5995,
      gid: 5995,
      inboundPort: 20000,
      outboundPort: 15001,
      ownPorts: [],
    },
    caveat:
      "Consul's redirect-traffic takes the proxy's uid from the user (consul-k8s runs envoy as 5995): give it with --proxy-uid when the rules do not say it",
    caveatUnlessGiven: 'uid',
  },
};

export function isPresetName(name: string): name is PresetName {
  return (PRESET_NAMES as readonly string[]).includes(name);
}
