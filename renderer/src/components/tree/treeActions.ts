/**
 * What a person can do with a tree node (context menu and shortcuts): copy topic, value and
 * mosquitto command lines, publish to it, export its history, clear retained messages.
 */
import { ref } from 'vue';
import type { TreeNodeView } from '@common/session';
import type { MessageRecord } from '@common/model';
import { call } from '@renderer/services/api';
import { notify } from '@renderer/components/ui/toast';
import type { ContextMenuItem } from '@renderer/components/ui/contextMenu';
import { useProfilesStore } from '@renderer/stores/profiles';
import { usePublishPrefill } from '@renderer/stores/explorer';
import { mosquittoPubCommand, mosquittoSubCommand, type BrokerTarget } from './commandLine';
import { payloadText, utf8OrNull } from './payloadText';

const isMac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);
export const MOD = isMac ? '⌘' : 'Ctrl+';

const failure = (error: unknown): string => (error instanceof Error ? error.message : String(error));

export async function copyToClipboard(text: string, what: string): Promise<void> {
  try {
    await navigator.clipboard.writeText(text);
    notify({ kind: 'success', message: `Copied ${what}.`, timeoutMs: 2000 });
  } catch (error) {
    notify({ kind: 'error', message: `Could not copy the ${what} to the clipboard: ${failure(error)}. Click into the window and try again.` });
  }
}

/** Subscribing to an intermediate level without messages of its own means its subtree. */
export function subscribeFilter(node: Pick<TreeNodeView, 'topic' | 'childCount' | 'messages'>): string {
  return node.childCount > 0 && node.messages === 0 ? `${node.topic}/#` : node.topic;
}

/** What the export dialog exports: a topic and everything below it, or exact topics (a search result). */
export type ExportSubject = { kind: 'subtree'; topic: string } | { kind: 'topics'; topics: string[] };

export function useTreeActions(connectionId: () => string) {
  const profiles = useProfilesStore();
  const { request: requestPublish } = usePublishPrefill();
  /** The node whose subtree's retained messages are about to be cleared (drives the dialog). */
  const clearing = ref<TreeNodeView | null>(null);
  /** What the export dialog is open for. */
  const exporting = ref<ExportSubject | null>(null);

  function target(): BrokerTarget | undefined {
    const profile = profiles.byId.get(connectionId());
    if (!profile) return undefined;
    return {
      host: profile.host,
      port: profile.port,
      protocolVersion: profile.protocolVersion,
      transport: profile.transport,
      username: profile.username || undefined,
      caFile: profile.tls.ca.kind === 'file' ? profile.tls.ca.value : undefined,
      certFile: profile.tls.cert.kind === 'file' ? profile.tls.cert.value : undefined,
      keyFile: profile.tls.key.kind === 'file' ? profile.tls.key.value : undefined,
    };
  }

  async function latest(node: TreeNodeView): Promise<MessageRecord | null> {
    try {
      const message = await call('messages.latest', { connectionId: connectionId(), topic: node.topic });
      if (!message) notify({ kind: 'info', message: `${node.topic} has no stored message yet.` });
      return message;
    } catch (error) {
      notify({ kind: 'error', message: failure(error) });
      return null;
    }
  }

  const copyTopic = (node: TreeNodeView): Promise<void> => copyToClipboard(node.topic, 'topic');

  async function copyValue(node: TreeNodeView): Promise<void> {
    const message = await latest(node);
    if (message) await copyToClipboard(payloadText(message.payload), utf8OrNull(message.payload) === null ? 'value as hex' : 'value');
  }

  const copySub = (node: TreeNodeView): Promise<void> =>
    copyToClipboard(mosquittoSubCommand({ topic: subscribeFilter(node), qos: node.last?.qos, target: target() }), 'mosquitto_sub command');

  async function copyPub(node: TreeNodeView): Promise<void> {
    const message = await latest(node);
    if (message) await copyToClipboard(mosquittoPubCommand(message, target()), 'mosquitto_pub command');
  }

  async function publishTo(node: TreeNodeView): Promise<void> {
    let payload: string | undefined;
    if (node.last && !node.last.previewCut) payload = node.last.preview;
    // A row placed by "expand all" may not have its last message yet: ask the store.
    else if (node.messages > 0 && (node.last === undefined || node.last.size <= 1_000_000)) {
      const message = await latest(node);
      payload = message ? (utf8OrNull(message.payload) ?? undefined) : undefined;
    }
    requestPublish({ connectionId: connectionId(), topic: node.topic, payload });
  }

  async function clearRetained(node: TreeNodeView): Promise<void> {
    try {
      const result = await call('retained.clear', { connectionId: connectionId(), nodeId: node.id, subtree: false });
      const problem = result.failed[0];
      if (problem) notify({ kind: 'error', message: `The retained message of ${problem.topic} was not cleared: ${problem.error}` });
      else if (result.cleared === 0) notify({ kind: 'info', message: `${node.topic} has no retained message.` });
      else notify({ kind: 'success', message: `Cleared the retained message of ${node.topic}.` });
    } catch (error) {
      notify({ kind: 'error', message: failure(error) });
    }
  }

  /** Opens the export dialog (format and time range) for the node and everything below it. */
  function exportHistory(node: TreeNodeView): void {
    exporting.value = { kind: 'subtree', topic: node.topic };
  }

  function menuItems(node: TreeNodeView, tree: { expandAll: () => void; collapse: () => void; expanded: boolean }): ContextMenuItem[] {
    const hasValue = node.messages > 0;
    return [
      { label: 'Copy topic', icon: 'copy', shortcut: `${MOD}C`, action: () => void copyTopic(node) },
      { label: 'Copy value', shortcut: `${MOD}Shift+C`, disabled: !hasValue, action: () => void copyValue(node) },
      { label: 'Copy as mosquitto_sub command', icon: 'terminal', action: () => void copySub(node) },
      { label: 'Copy as mosquitto_pub command', icon: 'terminal', disabled: !hasValue, action: () => void copyPub(node) },
      { label: '', separator: true },
      { label: 'Publish to this topic…', icon: 'send', action: () => void publishTo(node) },
      { label: '', separator: true },
      { label: 'Expand all below', icon: 'expand-all', shortcut: '*', disabled: node.childCount === 0, action: tree.expandAll },
      { label: 'Collapse', icon: 'collapse-all', shortcut: '←', disabled: !tree.expanded, action: tree.collapse },
      { label: '', separator: true },
      { label: 'Export history below…', icon: 'download', disabled: node.subtreeMessages === 0, action: () => exportHistory(node) },
      { label: '', separator: true },
      { label: 'Clear retained message', icon: 'trash', shortcut: 'Del', disabled: !node.retained, action: () => void clearRetained(node) },
      {
        label: 'Clear retained messages below…',
        icon: 'trash',
        shortcut: 'Shift+Del',
        danger: true,
        disabled: node.subtreeTopics === 0,
        action: () => {
          clearing.value = node;
        },
      },
    ];
  }

  return { clearing, exporting, copyTopic, copyValue, copySub, copyPub, publishTo, clearRetained, exportHistory, menuItems, target };
}
