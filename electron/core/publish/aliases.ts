/**
 * The topic aliases this client has set on one network connection, so "assign automatically"
 * can send a topic once with an alias and then only the alias. [MQTT-3.3.2-7] alias mappings end
 * with the network connection; a new CONNACK (a new ConnackInfo object) starts an empty table.
 */
import type { ConnackInfo } from '../../common/session';

export interface AliasPlan {
  /** The topic to put in the PUBLISH: empty when the alias already stands for it. */
  topic: string;
  alias: number;
  /** True when this PUBLISH (re)defines the alias. */
  defines: boolean;
}

export class TopicAliasTable {
  private readonly byAlias = new Map<number, string>();
  /** Topic → alias, in least recently used order (oldest first). */
  private readonly byTopic = new Map<string, number>();

  constructor(readonly connack: ConnackInfo | undefined) {}

  get maximum(): number {
    return this.connack?.topicAliasMaximum ?? 0;
  }

  knows(alias: number): boolean {
    return this.byAlias.has(alias);
  }

  /** An alias for `topic`: the one it has, a free one, or the least recently used one (undefined when the broker allows none). */
  plan(topic: string): AliasPlan | undefined {
    if (this.maximum === 0) return undefined;
    const existing = this.byTopic.get(topic);
    if (existing !== undefined && this.byAlias.get(existing) === topic) return { topic: '', alias: existing, defines: false };
    for (let alias = 1; alias <= this.maximum; alias++) {
      if (!this.byAlias.has(alias)) return { topic, alias, defines: true };
    }
    const oldest = this.byTopic.entries().next().value as [string, number];
    return { topic, alias: oldest[1], defines: true };
  }

  /** Records what a PUBLISH told the broker: `alias` now stands for `topic` (or was used again). */
  use(alias: number, topic: string): void {
    if (topic === '') {
      const known = this.byAlias.get(alias);
      if (known === undefined) return;
      topic = known;
    }
    const previous = this.byAlias.get(alias);
    if (previous !== undefined && previous !== topic && this.byTopic.get(previous) === alias) this.byTopic.delete(previous);
    this.byAlias.set(alias, topic);
    this.byTopic.delete(topic);
    this.byTopic.set(topic, alias);
  }
}

/** One table per connection, replaced whenever the session's CONNACK changes (a new network connection). */
export class AliasTables {
  private readonly tables = new Map<string, TopicAliasTable>();

  for(connectionId: string, connack: ConnackInfo | undefined): TopicAliasTable {
    let table = this.tables.get(connectionId);
    if (table === undefined || table.connack !== connack) {
      table = new TopicAliasTable(connack);
      this.tables.set(connectionId, table);
    }
    return table;
  }
}
