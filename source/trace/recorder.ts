/**
 * Builds a Trace while the engine runs: steps get their index, the host, packet and connection
 * they belong to, and counter deltas keyed by the stable rule id. Only the engine writes here;
 * everything downstream reads the finished, frozen Trace.
 */
import type { Family } from '../rules/model.js';
import type {
  ConnectionInfo,
  CounterBaseline,
  CounterDelta,
  Finding,
  PacketInfo,
  Step,
  Trace,
} from './types.js';

export type StepInput = Omit<Step, 'index' | 'host' | 'packetId' | 'connectionId' | 'counters'> & {
  readonly counter?: {
    readonly family: Family;
    readonly table: CounterDelta['table'];
    readonly chain: string;
    readonly rule: string;
  };
};

interface OpenPacket {
  id: number;
  connectionId: number;
  label: string;
  direction: 'original' | 'reply';
  firstStep: number;
  lastStep: number;
  fate: PacketInfo['fate'];
}

export class TraceRecorder {
  readonly steps: Step[] = [];
  readonly connections: ConnectionInfo[] = [];
  readonly findings: Finding[] = [];
  private readonly packets: OpenPacket[] = [];
  private current?: OpenPacket;
  private host = '';

  constructor(private readonly scenario: string) {}

  openConnection(info: Omit<ConnectionInfo, 'id'>): number {
    const id = this.connections.length + 1;
    this.connections.push({ ...info, id });
    return id;
  }

  beginPacket(connectionId: number, label: string, direction: 'original' | 'reply'): number {
    const packet: OpenPacket = {
      id: this.packets.length + 1,
      connectionId,
      label,
      direction,
      firstStep: this.steps.length,
      lastStep: this.steps.length,
      fate: 'lost',
    };
    this.packets.push(packet);
    this.current = packet;
    return packet.id;
  }

  endPacket(fate: PacketInfo['fate']): void {
    if (!this.current) return;
    this.current.fate = fate;
    this.current.lastStep = Math.max(this.current.firstStep, this.steps.length - 1);
  }

  atHost(host: string): void {
    this.host = host;
  }

  get currentHost(): string {
    return this.host;
  }

  add(input: StepInput): number {
    const index = this.steps.length;
    const { counter, ...rest } = input;
    const counters: CounterDelta[] = counter
      ? [
          {
            host: this.host,
            family: counter.family,
            table: counter.table,
            chain: counter.chain,
            rule: counter.rule,
            packets: 1,
            bytes: input.packet.length,
          },
        ]
      : [];
    this.steps.push({
      ...rest,
      index,
      host: this.host,
      packetId: this.current?.id ?? 0,
      connectionId: this.current?.connectionId ?? 0,
      counters,
    });
    return index;
  }

  find(finding: Finding): void {
    this.findings.push(finding);
  }

  finish(hosts: readonly string[], baseline: readonly CounterBaseline[]): Trace {
    return {
      scenario: this.scenario,
      hosts,
      connections: this.connections,
      packets: this.packets.map((p) => ({ ...p })),
      steps: this.steps,
      baseline,
      findings: this.findings,
    };
  }
}
