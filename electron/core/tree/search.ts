/**
 * Search and filter over every topic of a tree, in the engine: the renderer only ever holds the
 * levels it shows. A wildcard filter walks the tree level by level (visiting only what can match);
 * substring and regex test each node's topic and/or the preview of its last payload.
 */
import { topicFilterProblem } from '../../common/topic';
import { ApiFailure } from '../../common/result';
import type { SearchMode, SearchResult, SearchScope, TreeNodeView } from '../../common/session';
import type { TreeNode } from './node';
import type { TopicTree } from './topic-tree';

export interface SearchQuery {
  query: string;
  mode: SearchMode;
  scope: SearchScope;
  caseSensitive: boolean;
  limit: number;
}

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A test for one string, built once per search. */
function textMatcher(query: SearchQuery): (text: string) => boolean {
  if (query.mode === 'substring') {
    if (query.caseSensitive) return (text) => text.includes(query.query);
    const pattern = new RegExp(escapeRegExp(query.query), 'i');
    return (text) => pattern.test(text);
  }
  let pattern: RegExp;
  try {
    pattern = new RegExp(query.query, query.caseSensitive ? '' : 'i');
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ApiFailure('invalid-argument', `The regular expression is not valid (${reason}). Fix it, or search by substring instead.`);
  }
  return (text) => pattern.test(text);
}

class Collector {
  readonly matches: TreeNode[] = [];
  truncated = false;
  constructor(private readonly limit: number) {}

  /** Adds a match; false once the limit is reached (and the search should stop). */
  add(node: TreeNode): boolean {
    if (this.matches.length >= this.limit) {
      this.truncated = true;
      return false;
    }
    this.matches.push(node);
    return true;
  }
}

/**
 * Matches of an MQTT filter by walking the tree; the same rules as `topicMatches` in
 * common/topic.ts (`a/#` matches `a`, `+` fills exactly one level).
 */
function walkFilter(tree: TopicTree, filter: string, out: Collector): void {
  const levels = filter.split('/');
  const root = tree.root;
  const visit = (node: TreeNode, level: number): boolean => {
    if (level === levels.length) return out.add(node);
    const part = levels[level] as string;
    if (part === '#') {
      if (node !== root && !out.add(node)) return false;
      return visitAll(node);
    }
    if (node.children === undefined) return true;
    if (part === '+') {
      for (const child of node.children.values()) {
        // [MQTT-4.7.2-1] a filter starting with a wildcard does not match topics starting with $.
        if (node === root && child.name.startsWith('$')) continue;
        if (!visit(child, level + 1)) return false;
      }
      return true;
    }
    const child = node.children.get(part);
    return child === undefined || visit(child, level + 1);
  };
  const visitAll = (node: TreeNode): boolean => {
    if (node.children === undefined) return true;
    for (const child of node.children.values()) {
      if (node === root && child.name.startsWith('$')) continue; // [MQTT-4.7.2-1]
      if (!out.add(child) || !visitAll(child)) return false;
    }
    return true;
  };
  visit(root, 0);
}

export function searchTree(tree: TopicTree, query: SearchQuery): SearchResult {
  const out = new Collector(query.limit);
  if (query.mode === 'wildcard') {
    if (query.scope === 'payload') {
      throw new ApiFailure('invalid-argument', 'A wildcard filter matches topics, not payloads. Search payloads by substring or regular expression.');
    }
    const problem = topicFilterProblem(query.query);
    if (problem !== undefined) throw new ApiFailure('invalid-argument', problem);
    walkFilter(tree, query.query, out);
  } else {
    const matches = textMatcher(query);
    const inTopic = query.scope !== 'payload';
    const inPayload = query.scope !== 'topic';
    const root = tree.root;
    for (const node of tree.nodes()) {
      if (node === root) continue;
      let hit = inTopic && matches(node.topic);
      if (!hit && inPayload && node.messages > 0) {
        node.settlePreview();
        hit = matches(node.preview);
      }
      if (hit && !out.add(node)) break;
    }
  }
  return { matches: out.matches.map((node) => node.id), nodes: withAncestors(tree, out.matches), truncated: out.truncated };
}

/** Views of the matches and their ancestors, each ancestor before its descendants, once. */
function withAncestors(tree: TopicTree, matches: TreeNode[]): TreeNodeView[] {
  const seen = new Set<number>();
  const views: TreeNodeView[] = [];
  for (const node of matches) {
    const chain = tree.ancestors(node).reverse();
    chain.push(node);
    for (const n of chain) {
      if (seen.has(n.id)) continue;
      seen.add(n.id);
      views.push(tree.view(n));
    }
  }
  return views;
}
