import { describe, expect, it } from 'vitest';
import { TopicTree, type TreeNode } from '../../../electron/core/tree';
import { OUTLINE_RECORDED, OUTLINE_RETAINED, OUTLINE_SYS, type TreeOutline } from '../../../electron/common/session';
import { randomTopic, seeded } from './random';

const text = (value: string): Uint8Array => new TextEncoder().encode(value);

/** Checks every count of every node against its children; returns the number of nodes checked. */
function checkInvariants(tree: TopicTree): number {
  let checked = 0;
  for (const node of tree.nodes()) {
    let messages = node.messages;
    let topics = node.messages > 0 ? 1 : 0;
    for (const child of node.children?.values() ?? []) {
      expect(child.parent).toBe(node);
      messages += child.subtreeMessages;
      topics += child.subtreeTopics;
      expect(child.topic).toBe(node === tree.root ? child.name : `${node.topic}/${child.name}`);
    }
    expect(node.subtreeMessages, `subtree messages of "${node.topic}"`).toBe(messages);
    expect(node.subtreeTopics, `subtree topics of "${node.topic}"`).toBe(topics);
    expect(tree.node(node.id)).toBe(node);
    if (node !== tree.root) expect(tree.find(node.topic)).toBe(node);
    checked++;
  }
  return checked;
}

describe('TopicTree', () => {
  it('keeps subtree counts equal to the sum of the children after random insert orders', () => {
    for (const seed of [1, 2, 3, 42, 1234]) {
      const random = seeded(seed);
      const tree = new TopicTree('c');
      const perTopic = new Map<string, number>();
      for (let i = 0; i < 3000; i++) {
        const topic = randomTopic(random);
        perTopic.set(topic, (perTopic.get(topic) ?? 0) + 1);
        tree.record(topic, i + 1, 1_000 + i, text(`m${i}`), 0, false);
        if (i % 500 === 0) tree.takeDelta();
      }
      expect(checkInvariants(tree)).toBeGreaterThan(perTopic.size);
      expect(tree.root.subtreeMessages).toBe(3000);
      expect(tree.root.subtreeTopics).toBe(perTopic.size);
      for (const [topic, count] of perTopic) expect(tree.find(topic)?.messages).toBe(count);
    }
  });

  it('gives the same tree whatever order the same messages arrive in', () => {
    const random = seeded(7);
    const topics = Array.from({ length: 400 }, () => randomTopic(random, 6));
    const shape = (order: string[]): string[] => {
      const tree = new TopicTree('c');
      order.forEach((topic, i) => tree.record(topic, i + 1, i, text('x'), 0, false));
      return [...tree.nodes()].map((n) => `${n.topic}|${n.messages}|${n.subtreeMessages}|${n.subtreeTopics}|${n.childCount}`).sort();
    };
    const shuffled = [...topics];
    for (let i = shuffled.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [shuffled[i], shuffled[j]] = [shuffled[j] as string, shuffled[i] as string];
    }
    expect(shape(shuffled)).toEqual(shape(topics));
  });

  it('splits empty levels and marks $ topics as sys', () => {
    const tree = new TopicTree('c');
    tree.record('/a//b', 1, 1, text('x'), 1, true);
    tree.record('$SYS/broker/uptime', 2, 2, text('5 seconds'), 0, true);
    const leaf = tree.find('/a//b') as TreeNode;
    expect(tree.ancestors(leaf).map((n) => n.topic)).toEqual(['/a/', '/a', '']);
    expect(leaf.name).toBe('b');
    expect(tree.find('')?.name).toBe('');
    expect(tree.find('$SYS/broker/uptime')?.sys).toBe(true);
    expect(tree.find('$SYS')?.sys).toBe(true);
    expect(leaf.sys).toBe(false);
    const view = tree.view(leaf);
    expect(view.retained).toBe(true);
    expect(view.last).toMatchObject({ id: 1, qos: 1, retain: true, preview: 'x', previewCut: false, size: 1 });
  });

  it('sends in a delta only changed nodes whose parent is expanded', () => {
    const tree = new TopicTree('conn');
    tree.record('a/b/c', 1, 10, text('1'), 0, false);
    tree.record('x/y', 2, 10, text('2'), 0, false);
    // Only the root is expanded: the first-level nodes are the ones the UI can see.
    let delta = tree.takeDelta();
    expect(delta?.connectionId).toBe('conn');
    expect(delta?.nodes.map((n) => n.topic).sort()).toEqual(['a', 'x']);
    expect(tree.takeDelta()).toBeUndefined();

    const a = tree.find('a') as TreeNode;
    expect(tree.children(a.id)?.map((n) => n.topic)).toEqual(['a/b']);
    tree.record('a/b/c', 3, 11, text('3'), 0, false);
    tree.record('x/y', 4, 11, text('4'), 0, false);
    delta = tree.takeDelta();
    expect(delta?.nodes.map((n) => n.topic).sort()).toEqual(['a', 'a/b', 'x']);
    const ab = delta?.nodes.find((n) => n.topic === 'a/b');
    expect(ab).toMatchObject({ subtreeMessages: 2, childCount: 1, parentId: a.id });

    // A new child of an expanded node arrives in the delta, and its parent with the new child count.
    tree.record('a/new', 5, 12, text('5'), 0, false);
    delta = tree.takeDelta();
    expect(delta?.nodes.map((n) => n.topic).sort()).toEqual(['a', 'a/new']);
    expect(delta?.nodes.find((n) => n.topic === 'a')?.childCount).toBe(2);

    tree.collapse(a.id);
    tree.record('a/b/c', 6, 13, text('6'), 0, false);
    expect(tree.takeDelta()?.nodes.map((n) => n.topic)).toEqual(['a']);
  });

  it('collapsing a node stops deltas for its expanded descendants too', () => {
    const tree = new TopicTree('c');
    tree.record('a/b/c', 1, 1, text('1'), 0, false);
    const a = tree.find('a') as TreeNode;
    tree.children(a.id);
    tree.children((tree.find('a/b') as TreeNode).id);
    tree.takeDelta();
    tree.record('a/b/c', 2, 2, text('2'), 0, false);
    expect(tree.takeDelta()?.nodes.map((n) => n.topic).sort()).toEqual(['a', 'a/b', 'a/b/c']);
    tree.collapse(a.id);
    expect(tree.find('a/b')?.expanded).toBe(false);
    tree.record('a/b/c', 3, 3, text('3'), 0, false);
    expect(tree.takeDelta()?.nodes.map((n) => n.topic)).toEqual(['a']);
  });

  it('expands all descendants up to the limit', () => {
    const tree = new TopicTree('c');
    for (const topic of ['a/b/c', 'a/b/d', 'a/e', 'f']) tree.record(topic, 1, 1, text('x'), 0, false);
    const a = tree.find('a') as TreeNode;
    const outline = tree.expandAll(a.id, 100);
    const topicOf = (id: number): string | undefined => tree.node(id)?.topic;
    expect(outline?.ids.map(topicOf)).toEqual(['a/b', 'a/e', 'a/b/c', 'a/b/d']);
    expect(outline?.parents.map(topicOf)).toEqual(['a', 'a', 'a/b', 'a/b']);
    expect(outline).toMatchObject({ nodeId: a.id, names: ['b', 'e', 'c', 'd'], childCounts: [2, 0, 0, 0], messages: [0, 1, 1, 1], subtreeMessages: [2, 1, 1, 1], truncated: false });
    // Times travel as short offsets from the oldest.
    tree.record('a/e', 2, 5_000, text('y'), 0, false);
    const later = tree.expandAll(a.id, 100) as TreeOutline;
    expect(later.ids.map((id, i) => later.timeBase + (later.lastChanged[i] as number) === tree.node(id)?.lastChanged)).toEqual([true, true, true, true]);
    expect(Math.min(...later.lastChanged)).toBe(0);
    expect(tree.find('a/b')?.expanded).toBe(true);
    const limited = new TopicTree('c');
    for (const topic of ['a/b/c', 'a/b/d', 'a/e']) limited.record(topic, 1, 1, text('x'), 0, false);
    const la = limited.find('a') as TreeNode;
    // A parent's children come all or none: a/b's two would pass the limit of 3.
    expect(limited.expandAll(la.id, 3)).toMatchObject({ names: ['b', 'e'], truncated: true });
    expect(limited.find('a/b')?.expanded).toBe(false);
  });

  it('flags $SYS, retained and recorded nodes in the outline', () => {
    const tree = new TopicTree('c');
    tree.record('$SYS/uptime', 1, 1, text('1'), 0, false);
    tree.record('kept', 2, 1, text('1'), 0, true);
    tree.restore({ topic: 'old', topicId: 1, count: 1, firstSeen: 1, lastId: 3, lastTime: 1, lastSize: 1, lastQos: 0, lastRetain: false, preview: 'x', previewCut: false });
    const outline = tree.expandAll(0, 100) as TreeOutline;
    const flagsOf = (name: string): number => outline.flags[outline.names.indexOf(name)] as number;
    expect(flagsOf('$SYS')).toBe(OUTLINE_SYS);
    expect(flagsOf('kept')).toBe(OUTLINE_RETAINED);
    expect(flagsOf('old')).toBe(OUTLINE_RECORDED);
  });

  it('marks a topic retained while the broker may hold its retained message, apart from the last message flag', () => {
    const tree = new TopicTree('c');
    tree.record('lamp', 1, 1, text('on'), 0, true);
    const lamp = tree.find('lamp') as TreeNode;
    expect(tree.view(lamp)).toMatchObject({ retained: true, last: { retain: true } });
    // A live message leaves the broker's retained message in place.
    tree.record('lamp', 2, 2, text('off'), 0, false);
    expect(tree.view(lamp)).toMatchObject({ retained: true, last: { retain: false } });
    // An empty retained message (the echo of a clear, with Retain As Published) removes it.
    tree.record('lamp', 3, 3, new Uint8Array(0), 1, true);
    expect(tree.view(lamp)).toMatchObject({ retained: false, last: { retain: true, size: 0 } });
    tree.record('lamp', 4, 4, text('on'), 0, false);
    expect(tree.view(lamp).retained).toBe(false);
    tree.record('lamp', 5, 5, text('on'), 0, true);
    expect(tree.view(lamp).retained).toBe(true);
    const outline = tree.expandAll(0, 10) as TreeOutline;
    expect(outline.flags[outline.names.indexOf('lamp')]).toBe(OUTLINE_RETAINED);
  });

  it('restores the retained mark only for a last message that was retained and not empty', () => {
    const tree = new TopicTree('c');
    const base = { topicId: 1, count: 1, firstSeen: 1, lastId: 1, lastTime: 1, lastSize: 2, lastQos: 0 as const, lastRetain: true, preview: 'hi', previewCut: false };
    tree.restore({ ...base, topic: 'kept' });
    tree.restore({ ...base, topic: 'cleared', lastSize: 0, preview: '' });
    tree.restore({ ...base, topic: 'live', lastRetain: false });
    const view = (topic: string) => tree.view(tree.find(topic) as TreeNode);
    expect(view('kept')).toMatchObject({ retained: true, last: { retain: true } });
    expect(view('cleared')).toMatchObject({ retained: false, last: { retain: true } });
    expect(view('live')).toMatchObject({ retained: false, last: { retain: false } });
  });

  it('forgets a cleared retained message and sends the node in the next delta', () => {
    const tree = new TopicTree('c');
    tree.record('a/b', 1, 1, text('x'), 0, true);
    tree.children(0);
    tree.children(tree.find('a')?.id ?? -1);
    tree.takeDelta();
    const ab = tree.find('a/b') as TreeNode;
    tree.forgetRetained(ab);
    expect(ab.retained).toBe(false);
    const delta = tree.takeDelta();
    expect(delta?.nodes.map((n) => [n.topic, n.retained])).toEqual([['a/b', false]]);
    // Nothing to forget: no delta.
    tree.forgetRetained(ab);
    expect(tree.takeDelta()).toBeUndefined();
  });

  it('reopens the top level and the open topics whose parents are open, parents first', () => {
    const tree = new TopicTree('c');
    for (const topic of ['a/b/c', 'a/b/d', 'a/e', 'f/g', 'h/i/j']) tree.record(topic, 1, 1, text('x'), 0, false);
    // 'h/i' is asked for without 'h': it cannot be shown open; 'zz' is unknown; order does not matter.
    const outline = tree.reopen(['a/b', 'h/i', 'zz', 'a'], 100);
    const topicOf = (id: number): string | undefined => tree.node(id)?.topic;
    expect(outline.ids.map(topicOf)).toEqual(['a', 'f', 'h', 'a/b', 'a/e', 'a/b/c', 'a/b/d']);
    expect(outline).toMatchObject({ nodeId: 0, truncated: false });
    expect(tree.find('a/b')?.expanded).toBe(true);
    expect(tree.find('h/i')?.expanded).toBe(false);
    // The limit bounds what is opened below the top level, a parent's children all or none.
    const limited = tree.reopen(['a', 'a/b'], 4);
    expect(limited.ids.map(topicOf)).toEqual(['a', 'f', 'h']);
    expect(limited.truncated).toBe(true);
  });

  it('answers views of chosen nodes, null for ids it does not hold', () => {
    const tree = new TopicTree('c');
    tree.record('a/b', 1, 1, text('hello'), 1, false);
    const ab = tree.find('a/b') as TreeNode;
    const [view, missing] = tree.views([ab.id, 999]);
    expect(view).toMatchObject({ topic: 'a/b', messages: 1, last: { preview: 'hello', qos: 1 } });
    expect(missing).toBeNull();
  });

  it('clears into a reset delta and starts counting again', () => {
    const tree = new TopicTree('c');
    tree.record('a/b', 1, 1, text('1'), 0, false);
    tree.takeDelta();
    tree.clear();
    expect(tree.find('a')).toBeUndefined();
    expect(tree.takeDelta()).toEqual({ connectionId: 'c', nodes: [], removed: [], reset: true });
    tree.record('a/b', 2, 2, text('2'), 0, false);
    expect(tree.root.subtreeMessages).toBe(1);
    expect(tree.takeDelta()?.reset).toBeUndefined();
  });

  it('rebuilds restored topics as recorded until a new message arrives', () => {
    const tree = new TopicTree('c');
    const base = { topicId: 1, count: 3, firstSeen: 5, lastId: 9, lastTime: 7, lastSize: 2, lastQos: 1 as const, lastRetain: true, preview: 'hi', previewCut: false };
    tree.restore({ ...base, topic: 'a/b' });
    tree.restore({ ...base, topic: 'a/c', topicId: 2, count: 2, lastId: 10 });
    expect(checkInvariants(tree)).toBe(4);
    const ab = tree.find('a/b') as TreeNode;
    expect(tree.view(ab)).toMatchObject({ recorded: true, messages: 3, last: { id: 9, preview: 'hi', retain: true } });
    expect(tree.find('a')?.subtreeMessages).toBe(5);
    expect(tree.find('a')?.recorded).toBe(true);
    tree.record('a/b', 11, 20, text('new'), 0, false);
    expect(tree.find('a')?.recorded).toBe(false);
    expect(tree.view(ab)).toMatchObject({ recorded: false, messages: 4, last: { id: 11, preview: 'new' } });
    expect(tree.find('a/c')?.recorded).toBe(true);
  });

  it('reports the messages of the last complete second as the rate of each subtree', () => {
    const tree = new TopicTree('c');
    const second = 1_700_000_000;
    for (let i = 0; i < 5; i++) tree.record('a/b', i + 1, second * 1000 + i, text('x'), 0, false);
    for (let i = 0; i < 3; i++) tree.record('a/c', i + 6, (second + 1) * 1000 + i, text('x'), 0, false);
    const a = tree.find('a') as TreeNode;
    expect(a.rateAt(second + 1)).toBe(5);
    expect(a.rateAt(second + 2)).toBe(3);
    expect(a.rateAt(second + 3)).toBe(0);
    expect(tree.find('a/b')?.rateAt(second + 2)).toBe(0);
  });
});
