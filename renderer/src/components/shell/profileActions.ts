/** What can be done with a profile from the sidebar, the tabs and the toolbar, in one place. */
import type { ProfileView } from '@common/model';
import { confirmAction } from '@renderer/components/ui/confirm';
import type { ContextMenuItem } from '@renderer/components/ui/contextMenu';
import { notify } from '@renderer/components/ui/toast';
import { useConnectionsStore } from '@renderer/stores/connections';
import { useProfilesStore } from '@renderer/stores/profiles';
import { useUiStore } from '@renderer/stores/ui';
import { pickTextFile } from './download';

const isLive = (state: string | undefined): boolean => state === 'connected' || state === 'connecting' || state === 'reconnecting';

export function useProfileActions() {
  const profiles = useProfilesStore();
  const connections = useConnectionsStore();
  const ui = useUiStore();

  async function attempt(work: () => Promise<unknown>): Promise<void> {
    try {
      await work();
    } catch (error) {
      notify({ kind: 'error', message: (error as Error).message });
    }
  }

  const duplicate = (profile: ProfileView): Promise<void> =>
    attempt(async () => {
      const copy = await profiles.duplicate(profile.id);
      notify({ kind: 'success', message: `Created “${copy.name}”.` });
    });

  async function remove(profile: ProfileView): Promise<void> {
    const confirmed = await confirmAction({
      title: `Delete “${profile.name}”?`,
      message:
        'The profile, its saved passwords and keys, its publish history, the messages saved for this profile (not those saved for all profiles) and all messages recorded for it are deleted. This cannot be undone.',
      confirmLabel: 'Delete',
      danger: true,
    });
    if (!confirmed) return;
    await attempt(async () => {
      if (isLive(connections.statuses.get(profile.id)?.state)) await connections.disconnect(profile.id);
      await profiles.remove(profile.id);
      connections.forget(profile.id);
    });
  }

  const move = (profile: ProfileView, delta: number): Promise<void> => attempt(() => profiles.move(profile.id, delta));

  async function importFromFile(): Promise<void> {
    const file = await pickTextFile();
    if (!file) return;
    await attempt(async () => {
      const { imported, problems } = await profiles.importJson(file.text);
      const count = imported.length;
      notify({ kind: count ? 'success' : 'warning', message: count ? `Imported ${count} profile${count === 1 ? '' : 's'} from ${file.name}.` : `No profiles were imported from ${file.name}.` });
      for (const problem of problems) notify({ kind: 'warning', message: problem, timeoutMs: 0 });
    });
  }

  function menuFor(profile: ProfileView, onExport: (ids: string[]) => void): ContextMenuItem[] {
    const state = connections.statuses.get(profile.id)?.state;
    const index = profiles.profiles.findIndex((candidate) => candidate.id === profile.id);
    return [
      isLive(state)
        ? { label: 'Disconnect', icon: 'unplug', action: () => void connections.disconnect(profile.id) }
        : { label: 'Connect', icon: 'plug', action: () => void connections.connect(profile.id) },
      { label: 'Open in a tab', icon: 'folder', action: () => connections.open(profile.id) },
      { separator: true, label: '' },
      { label: 'Edit…', icon: 'edit', action: () => ui.openEditor(profile.id) },
      { label: 'Duplicate', icon: 'copy', action: () => void duplicate(profile) },
      { label: 'Export…', icon: 'download', action: () => onExport([profile.id]) },
      { separator: true, label: '' },
      { label: 'Move up', icon: 'arrow-up', shortcut: 'Alt+↑', disabled: index <= 0, action: () => void move(profile, -1) },
      { label: 'Move down', icon: 'arrow-down', shortcut: 'Alt+↓', disabled: index >= profiles.profiles.length - 1, action: () => void move(profile, 1) },
      { separator: true, label: '' },
      { label: 'Delete…', icon: 'trash', danger: true, action: () => void remove(profile) },
    ];
  }

  return { duplicate, remove, move, importFromFile, menuFor, isLive };
}
