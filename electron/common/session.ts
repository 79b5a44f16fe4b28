/** What the engine tells the UI about live connections, the topic tree and the store. */
import type { QoS, SubscriptionState, UserProperty } from './model';

export type ConnectionState = 'connecting' | 'connected' | 'reconnecting' | 'disconnected' | 'error';

/** What the broker granted in CONNACK (v5 properties; 3.1.1 has only sessionPresent). */
export interface ConnackInfo {
  sessionPresent: boolean;
  reasonCode: number;
  assignedClientIdentifier?: string;
  serverKeepAlive?: number;
  sessionExpiryInterval?: number;
  /** Absent = 2. */
  maximumQoS?: QoS;
  /** Absent = true. */
  retainAvailable?: boolean;
  wildcardSubscriptionAvailable?: boolean;
  subscriptionIdentifiersAvailable?: boolean;
  sharedSubscriptionAvailable?: boolean;
  receiveMaximum?: number;
  maximumPacketSize?: number;
  topicAliasMaximum?: number;
  responseInformation?: string;
  reasonString?: string;
  serverReference?: string;
  userProperties: UserProperty[];
}

export interface SessionStatus {
  connectionId: string;
  profileName: string;
  protocolVersion: 3 | 4 | 5;
  state: ConnectionState;
  /** The client id in use (with its per-launch suffix when one is added, or as the broker assigned it). */
  clientId: string;
  /** Reconnect attempt number while reconnecting. */
  attempt?: number;
  /** Epoch ms of the next reconnect try. */
  nextRetryAt?: number;
  /** A sentence with the cause and the way out, when state is error or reconnecting after a failure. */
  error?: string;
  /** Sentences about a risky or lossy setting in use (certificate verification off, ...). */
  warning?: string;
  connack?: ConnackInfo;
  subscriptions: SubscriptionState[];
  since: number;
}

export interface ConnectionStats {
  connectionId: string;
  msgsPerSec: number;
  topics: number;
  messages: number;
  stored: number;
  storeBytes: number;
  /** Messages received but not yet written; > 0 means the store is behind. */
  writingBehind: number;
  /** True while the engine has stopped reading the socket until the store catches up. */
  backpressure: boolean;
  /** The last store failure, reported once until it clears. */
  storeError?: string;
  /** Messages shown in the tree but not recorded while the store kept failing (reset when it writes again). */
  unrecorded?: number;
}

export interface LastMessageInfo {
  id: number;
  time: number;
  size: number;
  qos: QoS;
  retain: boolean;
  preview: string;
  previewCut: boolean;
}

/** One node of the topic tree as the UI sees it. Node 0 is the root. */
export interface TreeNodeView {
  id: number;
  parentId: number;
  /** This level's name (may be empty: `a//b`). */
  name: string;
  /** The full topic of this node. */
  topic: string;
  childCount: number;
  /** Messages received on exactly this topic. */
  messages: number;
  subtreeMessages: number;
  /** Topics (nodes with messages) in this subtree, this node included. */
  subtreeTopics: number;
  last?: LastMessageInfo;
  firstSeen: number;
  lastChanged: number;
  /** Messages per second on this subtree, recent. */
  rate: number;
  /** Under `$SYS` (or another `$` topic). */
  sys: boolean;
  /**
   * The broker may hold a retained message for this topic: the last retained message seen had a
   * payload, whatever live messages came after it. `last.retain` is the last message's own flag.
   */
  retained: boolean;
  /** Known from the store of an earlier run, nothing new since. */
  recorded: boolean;
}

/** Bits of `TreeOutline.flags`. */
export const OUTLINE_SYS = 1;
export const OUTLINE_RETAINED = 2;
export const OUTLINE_RECORDED = 4;

/**
 * A subtree in columns, the answer to "expand all": what a row needs to be placed, sorted and
 * counted, without its last message (the renderer asks `tree.nodes` for the rows it draws). Entry
 * i of every column describes one node. Nodes come breadth first, each parent before its
 * children, and a parent's children are listed all or none; topics are the parent's topic, `/`,
 * and the name. Columns of small numbers rather than 100,000 objects: a tenth of the bytes.
 */
export interface TreeOutline {
  /** The node expanded from (not listed). */
  nodeId: number;
  ids: number[];
  parents: number[];
  names: string[];
  childCounts: number[];
  messages: number[];
  subtreeMessages: number[];
  subtreeTopics: number[];
  /** Milliseconds after `timeBase` (short numbers: a third of the answer was 13-digit times). */
  lastChanged: number[];
  /** Epoch ms that `lastChanged` counts from. */
  timeBase: number;
  /** OUTLINE_SYS | OUTLINE_RETAINED | OUTLINE_RECORDED */
  flags: number[];
  /** The limit stopped the walk: some nodes below are not listed, and their parents not expanded. */
  truncated: boolean;
}

export interface TreeDelta {
  connectionId: string;
  /** Changed nodes whose parent is expanded (the root always is). */
  nodes: TreeNodeView[];
  /** Nodes removed (a cleared tree, pruned retained topics). */
  removed: number[];
  /** True when the renderer must drop its copy and ask for a fresh snapshot. */
  reset?: boolean;
}

export type SearchMode = 'substring' | 'wildcard' | 'regex';
export type SearchScope = 'topic' | 'payload' | 'both';

export interface SearchResult {
  /** Ids of nodes that match. */
  matches: number[];
  /** Matches and their ancestors, enough to show them as a tree. */
  nodes: TreeNodeView[];
  /** True when more matched than were returned. */
  truncated: boolean;
}

export interface ProtocolLogEntry {
  seq: number;
  time: number;
  direction: 'in' | 'out';
  /** Packet type: connect, connack, publish, ... */
  type: string;
  /** A one-line description; the CONNECT password and auth data are redacted. */
  summary: string;
  /** The packet's fields, redacted; bytes shortened. */
  detail: Record<string, unknown>;
}

export interface PublishOutcome {
  /** 'sent' (QoS 0), or acknowledged by PUBACK (QoS 1) / PUBCOMP (QoS 2). */
  kind: 'sent' | 'acknowledged';
  /** The packet whose reason code this is; absent for QoS 0. QoS 2 names PUBREC when its news outweighs PUBCOMP's. */
  packet?: 'puback' | 'pubrec' | 'pubcomp';
  reasonCode?: number;
  /** The reason code's name, e.g. "No matching subscribers". */
  reasonName?: string;
  reasonString?: string;
  /** A note for the person, e.g. that 0x10 still means success. */
  note?: string;
  /** Bytes of the PUBLISH packet as sent. */
  packetSize: number;
}
