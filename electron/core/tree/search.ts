/**
 * Search and filter over every topic of a tree, in the engine: the renderer only ever holds the
 * levels it shows. A wildcard filter walks the tree level by level (visiting only what can match);
 * substring and regex scan the tree's topic index, and/or test each node's payload preview.
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

/** The query as a regular expression: per-topic `test`, and `scan` (g + m flags) for the topic index. */
function patterns(query: SearchQuery): { test: RegExp; scan: RegExp } {
  const flags = query.caseSensitive ? '' : 'i';
  if (query.mode === 'substring') {
    const source = escapeRegExp(query.query);
    return { test: new RegExp(source, flags), scan: new RegExp(source, `g${flags}`) };
  }
  try {
    return { test: new RegExp(query.query, flags), scan: new RegExp(query.query, `gm${flags}`) };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ApiFailure('invalid-argument', `The regular expression is not valid (${reason}). Fix it, or search by substring instead.`);
  }
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
    searchText(tree, query, out);
  }
  return { matches: out.matches.map((node) => node.id), nodes: withAncestors(tree, out.matches), truncated: out.truncated };
}

/** Substring or regex over topics (through the topic index) and/or payload previews (node by node). */
function searchText(tree: TopicTree, query: SearchQuery, out: Collector): void {
  const { test, scan } = patterns(query);
  const hits = new Set<number>();
  let full = false;
  const visit = (id: number): boolean => {
    if (hits.size >= query.limit) {
      full = true;
      return false;
    }
    hits.add(id);
    return true;
  };
  // A pattern could match across the line break between two topics: confirm on the topic itself.
  const confirm = (id: number): boolean => test.test(tree.node(id)?.topic ?? '');
  if (query.scope !== 'payload') {
    if (query.mode === 'substring' && query.caseSensitive) tree.index.scanText(query.query, visit, query.query.includes('\n') ? confirm : undefined);
    else tree.index.scan(scan, visit, query.mode === 'regex' || query.query.includes('\n') ? confirm : undefined);
  }
  if (query.scope !== 'topic' && !full) {
    for (const node of tree.nodes()) {
      if (node.messages === 0 || hits.has(node.id)) continue;
      node.settlePreview();
      if (test.test(node.preview) && !visit(node.id)) break;
    }
  }
  const ids = [...hits].sort((a, b) => a - b);
  for (const id of ids) out.add(tree.node(id) as TreeNode);
  if (full) out.truncated = true;
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
