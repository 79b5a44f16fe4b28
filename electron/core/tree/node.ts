import type { QoS } from '../../common/model';
import type { TreeNodeView } from '../../common/session';
import { makePreview } from './preview';

/**
 * One level of the topic tree. A class with every field set in the constructor, so V8 keeps one
 * hidden class for all nodes and the hot path touches plain fields.
 */
export class TreeNode {
  children: Map<string, TreeNode> | undefined = undefined;
  /** The store's id of this topic (0 = none yet); set by whoever stores its messages. */
  topicId = 0;
  messages = 0;
  subtreeMessages = 0;
  subtreeTopics = 0;

  lastId = 0;
  lastTime = 0;
  lastSize = 0;
  lastQos: QoS = 0;
  /** The last message's own retain flag, as it arrived. */
  lastRetain = false;
  /**
   * The broker may hold a retained message for this topic: set by a retained message with a
   * payload, cleared by a retained empty one (or by clearing it from here), kept across live
   * non-retained messages, which leave the broker's retained message alone.
   */
  retained = false;
  /** The last payload until its preview is made (at the next view or flush), then dropped. */
  pendingPayload: Uint8Array | undefined = undefined;
  preview = '';
  previewCut = false;

  firstSeen = 0;
  lastChanged = 0;
  recorded = false;
  expanded = false;

  /** Per-second buckets: `rateCount` messages in second `rateSecond`, `ratePrev` in the one before. */
  rateSecond = 0;
  rateCount = 0;
  ratePrev = 0;
  /** The rate the UI was last sent, and whether the tree re-checks it when seconds pass. */
  emittedRate = 0;
  rateWatched = false;
  /** The flush epoch in which this node was last marked changed. */
  dirtyEpoch = -1;

  constructor(
    readonly id: number,
    readonly parent: TreeNode | undefined,
    readonly name: string,
    readonly topic: string,
    readonly sys: boolean,
  ) {}

  get childCount(): number {
    return this.children === undefined ? 0 : this.children.size;
  }

  /** Messages in the last complete second at `nowSecond`. */
  rateAt(nowSecond: number): number {
    if (this.rateSecond === nowSecond) return this.ratePrev;
    if (this.rateSecond === nowSecond - 1) return this.rateCount;
    return 0;
  }

  /** Makes the preview of the pending payload and lets go of the payload. */
  settlePreview(): void {
    const payload = this.pendingPayload;
    if (payload === undefined) return;
    const preview = makePreview(payload);
    this.preview = preview.text;
    this.previewCut = preview.cut;
    this.pendingPayload = undefined;
  }

  view(nowSecond: number): TreeNodeView {
    this.settlePreview();
    const rate = this.rateAt(nowSecond);
    this.emittedRate = rate;
    const view: TreeNodeView = {
      id: this.id,
      parentId: this.parent === undefined ? -1 : this.parent.id,
      name: this.name,
      topic: this.topic,
      childCount: this.childCount,
      messages: this.messages,
      subtreeMessages: this.subtreeMessages,
      subtreeTopics: this.subtreeTopics,
      firstSeen: this.firstSeen,
      lastChanged: this.lastChanged,
      rate,
      sys: this.sys,
      retained: this.retained,
      recorded: this.recorded,
    };
    if (this.messages > 0) {
      view.last = {
        id: this.lastId,
        time: this.lastTime,
        size: this.lastSize,
        qos: this.lastQos,
        retain: this.lastRetain,
        preview: this.preview,
        previewCut: this.previewCut,
      };
    }
    return view;
  }
}
