import { beforeEach, describe, expect, it } from 'vitest';
import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import AppSidebar from '@renderer/components/shell/AppSidebar.vue';
import { answerConfirm, pendingConfirm } from '@renderer/components/ui/confirm';
import { useConnectionsStore } from '@renderer/stores/connections';
import { useProfilesStore } from '@renderer/stores/profiles';
import { installFakeApi, profileView, type FakeApi } from './fake-api';

let api: FakeApi;
const views = [profileView({ id: 'a', name: 'Alpha' }), profileView({ id: 'b', name: 'Beta' }), profileView({ id: 'c', name: 'Gamma' })];

beforeEach(async () => {
  setActivePinia(createPinia());
  api = installFakeApi();
  api.on('profiles.list', () => views);
  api.on('profiles.reorder', ({ ids }) => ids.map((id) => views.find((view) => view.id === id)!));
  await useProfilesStore().load();
});

const mountSidebar = () => mount(AppSidebar, { global: { stubs: { teleport: true } } });
const names = (wrapper: ReturnType<typeof mountSidebar>) => wrapper.findAll('.sidebar__name').map((node) => node.text());

describe('AppSidebar', () => {
  it('lists profiles with a status dot coloured by the connection state', async () => {
    useConnectionsStore().applyStatus({ connectionId: 'b', profileName: 'Beta', protocolVersion: 5, state: 'reconnecting', clientId: 'x', subscriptions: [], since: 0 });
    const wrapper = mountSidebar();
    expect(names(wrapper)).toEqual(['Alpha', 'Beta', 'Gamma']);
    const dots = wrapper.findAll('.status-dot').map((dot) => dot.attributes('aria-label'));
    expect(dots).toEqual(['Disconnected', 'Reconnecting', 'Disconnected']);
  });

  it('moves a profile down with Alt+ArrowDown and saves the new order', async () => {
    const wrapper = mountSidebar();
    await wrapper.find('[data-profile="a"]').trigger('keydown', { key: 'ArrowDown', altKey: true });
    await flushPromises();
    expect(api.paramsOf('profiles.reorder')).toEqual([{ ids: ['b', 'a', 'c'] }]);
    expect(names(wrapper)).toEqual(['Beta', 'Alpha', 'Gamma']);
  });

  it('deletes a profile only after the person confirms', async () => {
    const wrapper = mountSidebar();
    await wrapper.find('[data-profile="c"]').trigger('keydown', { key: 'Delete' });
    expect(pendingConfirm.value?.title).toBe('Delete “Gamma”?');
    expect(pendingConfirm.value?.message).toContain('all messages recorded for it are deleted');
    answerConfirm(false);
    await flushPromises();
    expect(api.paramsOf('profiles.delete')).toEqual([]);

    await wrapper.find('[data-profile="c"]').trigger('keydown', { key: 'Delete' });
    answerConfirm(true);
    await flushPromises();
    expect(api.paramsOf('profiles.delete')).toEqual([{ id: 'c' }]);
    expect(names(wrapper)).toEqual(['Alpha', 'Beta']);
  });

  it('opens a connection in a tab on click and connects on the play button', async () => {
    const wrapper = mountSidebar();
    await wrapper.find('[data-profile="b"]').trigger('click');
    expect(useConnectionsStore().openTabs).toEqual(['b']);
    expect(useConnectionsStore().activeId).toBe('b');
    await wrapper.find('[data-profile="c"] [data-test="sidebar-connect"]').trigger('click');
    await flushPromises();
    expect(api.paramsOf('connection.open')).toEqual([{ connectionId: 'c' }]);
    expect(useConnectionsStore().openTabs).toEqual(['b', 'c']);
  });
});
