/**
 * Every topic of a tree in one string, one line per node in creation order, so a search is one
 * native scan over a few megabytes instead of a visit to each of hundreds of thousands of node
 * objects. Topics are only ever added (a cleared tree gets a new index), so the text grows by
 * appending, in bulk at the next search.
 */
export class TopicIndex {
  private text = '';
  /** Offset of each line in `text`, and the node id on that line. */
  private readonly starts: number[] = [];
  private readonly ids: number[] = [];
  private pendingTopics: string[] = [];
  private pendingIds: number[] = [];

  add(id: number, topic: string): void {
    this.pendingTopics.push(topic);
    this.pendingIds.push(id);
  }

  private refresh(): void {
    if (this.pendingTopics.length === 0) return;
    let offset = this.text.length;
    for (let i = 0; i < this.pendingTopics.length; i++) {
      this.starts.push(offset);
      this.ids.push(this.pendingIds[i] as number);
      offset += (this.pendingTopics[i] as string).length + 1;
    }
    this.text += `${this.pendingTopics.join('\n')}\n`;
    this.pendingTopics = [];
    this.pendingIds = [];
  }

  /** The line holding text offset `offset`. */
  private lineAt(offset: number): number {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if ((this.starts[mid] as number) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  private nextLineStart(line: number): number {
    return line + 1 < this.starts.length ? (this.starts[line + 1] as number) : this.text.length;
  }

  /**
   * Calls `visit` with the id of each node whose topic contains a match of `pattern` (which must
   * have the g flag; with m, ^ and $ anchor at each topic), in creation order, until it returns
   * false. `confirm` re-checks a candidate on the node's own topic, for patterns that could match
   * across the line break between two topics.
   */
  scan(pattern: RegExp, visit: (id: number) => boolean, confirm?: (id: number) => boolean): void {
    this.refresh();
    const text = this.text;
    pattern.lastIndex = 0;
    for (let match = pattern.exec(text); match !== null; match = pattern.exec(text)) {
      const line = this.lineAt(match.index);
      const id = this.ids[line] as number;
      if (confirm !== undefined && !confirm(id)) {
        pattern.lastIndex = match.index + 1;
        continue;
      }
      if (!visit(id)) return;
      pattern.lastIndex = this.nextLineStart(line);
      if (pattern.lastIndex >= text.length) return;
    }
  }

  /** Like `scan` for a plain, case-sensitive substring. */
  scanText(needle: string, visit: (id: number) => boolean, confirm?: (id: number) => boolean): void {
    this.refresh();
    const text = this.text;
    for (let at = text.indexOf(needle); at >= 0 && at < text.length; ) {
      const line = this.lineAt(at);
      const id = this.ids[line] as number;
      if (confirm !== undefined && !confirm(id)) {
        at = text.indexOf(needle, at + 1);
        continue;
      }
      if (!visit(id)) return;
      at = text.indexOf(needle, this.nextLineStart(line));
    }
  }
}
