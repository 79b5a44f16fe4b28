/** tree.* and retained.*: the topic tree of a connection, asked for piece by piece. */
import { ApiFailure } from '../../common/result';
import type { HandlersFor } from '../parts';
import type { EventSink, Sessions } from '../services';
import { searchTree, type TopicTree, type TreeNode } from '../tree';
import type { Recorder } from './recorder';

const notFound = (nodeId: number): ApiFailure =>
  new ApiFailure('not-found', `Node ${nodeId} is not in this connection's topic tree (it may have been cleared). Reload the tree.`);

function nodeOf(tree: TopicTree, nodeId: number): TreeNode {
  const node = tree.node(nodeId);
  if (node === undefined) throw notFound(nodeId);
  return node;
}

/** Topics at or below `node` for which the broker may hold a retained message. */
function retainedTopics(node: TreeNode, subtree: boolean): string[] {
  if (!subtree) return node.messages > 0 && node.retained ? [node.topic] : [];
  const topics: string[] = [];
  const stack = [node];
  for (let n = stack.pop(); n !== undefined; n = stack.pop()) {
    if (n.messages > 0 && n.retained) topics.push(n.topic);
    if (n.children !== undefined) for (const child of n.children.values()) stack.push(child);
  }
  return topics.sort();
}

/** Runs `work` over `items` with at most `limit` at a time. */
async function inBatches<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) await work(items[next++] as T);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/** `retained.progress` events at most this often while a clear runs; the final count always goes out. */
export const RETAINED_PROGRESS_INTERVAL_MS = 100;

export function treeHandlers(recorderFor: (connectionId: string) => Recorder, sessions: Sessions, events: EventSink): HandlersFor<'tree' | 'retained'> {
  const treeOf = (connectionId: string): TopicTree => recorderFor(connectionId).tree;
  return {
    'tree.children': ({ connectionId, nodeId }) => {
      const views = treeOf(connectionId).children(nodeId);
      if (views === undefined) throw notFound(nodeId);
      return views;
    },
    'tree.collapse': ({ connectionId, nodeId }) => {
      // Collapsing a node that is gone already is not worth an error.
      treeOf(connectionId).collapse(nodeId);
    },
    'tree.expandAll': ({ connectionId, nodeId, limit }) => {
      const outline = treeOf(connectionId).expandAll(nodeId, limit);
      if (outline === undefined) throw notFound(nodeId);
      return outline;
    },
    'tree.reopen': ({ connectionId, topics, limit }) => treeOf(connectionId).reopen(topics, limit),
    'tree.nodes': ({ connectionId, ids }) => treeOf(connectionId).views(ids),
    'tree.find': ({ connectionId, topic }) => {
      const tree = treeOf(connectionId);
      const node = tree.find(topic);
      return node === undefined ? null : tree.view(node);
    },
    'tree.search': ({ connectionId, ...query }) => searchTree(treeOf(connectionId), query),
    'tree.clear': ({ connectionId }) => {
      treeOf(connectionId).clear();
    },
    'retained.count': ({ connectionId, nodeId, subtree }) => {
      const topics = retainedTopics(nodeOf(treeOf(connectionId), nodeId), subtree);
      return { count: topics.length, topics };
    },
    'retained.clear': async ({ connectionId, nodeId, subtree }) => {
      const tree = treeOf(connectionId);
      const topics = retainedTopics(nodeOf(tree, nodeId), subtree);
      const live = sessions.live(connectionId);
      if (live.connack?.retainAvailable === false) {
        throw new ApiFailure('refused-by-broker', 'This broker does not keep retained messages (Retain Available is 0), so there are none to clear.');
      }
      // QoS 1 when the broker allows it, so each clear is acknowledged.
      const qos = live.connack?.maximumQoS === 0 ? 0 : 1;
      const failed: { topic: string; error: string }[] = [];
      let cleared = 0;
      let lastEmit = 0;
      const progress = (force: boolean): void => {
        const now = Date.now();
        if (!force && now - lastEmit < RETAINED_PROGRESS_INTERVAL_MS) return;
        lastEmit = now;
        events.emit({ type: 'retained.progress', progress: { connectionId, nodeId, done: cleared + failed.length, failed: failed.length, total: topics.length } });
      };
      // [MQTT-3.3.1-6] a retained PUBLISH with an empty payload removes the retained message.
      await inBatches(topics, 50, async (topic) => {
        try {
          await live.publish(topic, new Uint8Array(0), { qos, retain: true, properties: {} });
          cleared++;
          // Not waiting for the broker's echo: a subscription without Retain As Published (or
          // none covering the topic) never brings one, and the marker would stay.
          const node = tree.find(topic);
          if (node !== undefined) tree.forgetRetained(node);
        } catch (error) {
          failed.push({ topic, error: error instanceof Error ? error.message : String(error) });
        }
        progress(false);
      });
      progress(true);
      return { cleared, failed };
    },
  };
}
