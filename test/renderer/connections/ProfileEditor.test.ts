import { beforeEach, describe, expect, it } from 'vitest';
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import type { ProfileInput, ProfileView } from '@common/model';
import ProfileEditor from '@renderer/components/connections/ProfileEditor.vue';
import { useProfilesStore } from '@renderer/stores/profiles';
import { installFakeApi, profileView, type FakeApi } from '../shell/fake-api';

let api: FakeApi;
beforeEach(() => {
  setActivePinia(createPinia());
  api = installFakeApi();
  // profiles.save answers with what was sent, as the engine does (minus secrets' values).
  api.on('profiles.save', ({ profile }) => ({
    ...(profile as ProfileInput),
    id: (profile as ProfileInput).id ?? 'new-id',
    secrets: { password: false, keyPassphrase: false, pfxPassphrase: false, keyPem: false },
  }) as ProfileView);
});

async function mountEditor(view?: ProfileView): Promise<VueWrapper> {
  if (view) {
    api.on('profiles.list', () => [view]);
    await useProfilesStore().load();
  }
  const wrapper = mount(ProfileEditor, {
    props: { open: true, profileId: view?.id ?? null },
    global: { stubs: { teleport: true } },
    attachTo: document.body,
  });
  await flushPromises();
  return wrapper;
}

const radio = (wrapper: VueWrapper, group: string, label: string) =>
  wrapper.findAll(`[data-test="${group}"] [role="radio"]`).find((button) => button.text() === label)!;
const openSection = async (wrapper: VueWrapper, id: string) => {
  await wrapper.find(`[data-section="${id}"]`).trigger('click');
};
const lastSaved = (): ProfileInput => {
  const saves = api.paramsOf('profiles.save');
  return saves[saves.length - 1]!.profile as ProfileInput;
};

describe('ProfileEditor', () => {
  it("sets the port to the transport's default until the person types a port", async () => {
    const wrapper = await mountEditor();
    const port = () => (wrapper.find('[data-test="port"]').element as HTMLInputElement).value;
    expect(port()).toBe('1883');
    await radio(wrapper, 'transport', 'wss').trigger('click');
    expect(port()).toBe('443');
    await radio(wrapper, 'transport', 'mqtts').trigger('click');
    expect(port()).toBe('8883');
    await wrapper.find('[data-test="port"]').setValue('9001');
    await radio(wrapper, 'transport', 'ws').trigger('click');
    expect(port()).toBe('9001');
    wrapper.unmount();
  });

  it('shows the WebSocket path only for ws and wss', async () => {
    const wrapper = await mountEditor();
    expect(wrapper.find('[data-test="path"]').exists()).toBe(false);
    await radio(wrapper, 'transport', 'ws').trigger('click');
    expect(wrapper.find('[data-test="path"]').exists()).toBe(true);
    wrapper.unmount();
  });

  it('disables the MQTT 5 section with an explanation when the version is 3.1.1', async () => {
    const wrapper = await mountEditor();
    await openSection(wrapper, 'mqtt5');
    expect(wrapper.find('[data-test="v5-disabled"]').exists()).toBe(false);
    expect(wrapper.find('[data-test="v5-fields"]').attributes('disabled')).toBeUndefined();

    await openSection(wrapper, 'general');
    await radio(wrapper, 'version', '3.1.1').trigger('click');
    await openSection(wrapper, 'mqtt5');
    expect(wrapper.find('[data-test="v5-disabled"]').text()).toContain('only in MQTT 5');
    expect(wrapper.find('[data-test="v5-fields"]').attributes('disabled')).toBeDefined();
    wrapper.unmount();
  });

  it('says what is wrong with a subscription filter whose # is not the last level', async () => {
    const wrapper = await mountEditor();
    await openSection(wrapper, 'subscriptions');
    // Elements are looked up again after each change: the stubbed Teleport re-creates its content.
    const filter = () => wrapper.find('[data-test="sub-filter"]');
    expect(wrapper.find('[data-test="sub-filter-error"]').exists()).toBe(false);
    await filter().setValue('sensors/#/temperature');
    expect(wrapper.find('[data-test="sub-filter-error"]').text()).toBe('The # wildcard must be the whole last level of the filter, as in sensors/#.');
    expect(wrapper.find('[data-section="subscriptions"] .editor__nav-badge').text()).toBe('1');
    await filter().setValue('sensors/+/temperature');
    expect(wrapper.find('[data-test="sub-filter-error"]').exists()).toBe(false);
    wrapper.unmount();
  });

  it('shows a saved password as "Saved" with Replace and Clear, never its value', async () => {
    const wrapper = await mountEditor(profileView({ secrets: { password: true, keyPassphrase: false, pfxPassphrase: false, keyPem: false } }));
    await openSection(wrapper, 'auth');
    const password = wrapper.find('[data-test="password"]');
    expect(password.find('[data-test="secret-saved"]').text()).toContain('Saved');
    expect(password.findAll('button').map((b) => b.text())).toEqual(['Replace', 'Clear']);
    expect(password.find('input').exists()).toBe(false);

    await password.findAll('button')[0]!.trigger('click');
    const input = wrapper.find('[data-test="password"] input');
    expect(input.attributes('type')).toBe('password');
    expect((input.element as HTMLInputElement).value).toBe('');
    wrapper.unmount();
  });

  it('saves the form as a ProfileInput, sending a replaced password and keeping other secrets', async () => {
    const view = profileView({ secrets: { password: true, keyPassphrase: false, pfxPassphrase: false, keyPem: false } });
    const wrapper = await mountEditor(view);
    await wrapper.find('[data-test="host"]').setValue('mqtt.example.com');
    await openSection(wrapper, 'auth');
    await wrapper.find('[data-test="password"] button').trigger('click');
    await wrapper.find('[data-test="password"] input').setValue('new secret');
    await wrapper.find('[data-test="save"]').trigger('click');
    await flushPromises();

    const input = lastSaved();
    expect(input.id).toBe('p1');
    expect(input.host).toBe('mqtt.example.com');
    expect(input.port).toBe(1883);
    expect(input.username).toBe('alice');
    expect(input.secrets).toEqual({
      password: { action: 'set', value: 'new secret' },
      keyPassphrase: { action: 'keep' },
      pfxPassphrase: { action: 'keep' },
      keyPem: { action: 'keep' },
    });
    expect(input.subscriptions).toEqual(view.subscriptions);
    expect(input.will).toBeNull();
    expect(wrapper.emitted('saved')?.[0]?.[1]).toBe(false);
    wrapper.unmount();
  });

  it('subscribes a new profile to # and $SYS/# (# never matches $SYS topics)', async () => {
    const wrapper = await mountEditor();
    await wrapper.find('[data-test="save"]').trigger('click');
    await flushPromises();
    const input = lastSaved();
    expect(input.id).toBeUndefined();
    expect(input.subscriptions.map(({ filter, qos, retainAsPublished }) => ({ filter, qos, retainAsPublished }))).toEqual([
      { filter: '#', qos: 0, retainAsPublished: true },
      { filter: '$SYS/#', qos: 0, retainAsPublished: false },
    ]);
    wrapper.unmount();
  });

  it('says under the suffix option that it is not used once Clean start is off', async () => {
    const wrapper = await mountEditor();
    expect(wrapper.find('[data-test="client-id-suffix-warning"]').exists()).toBe(false);
    await wrapper.find('[data-test="clean"] input').setValue(false);
    expect(wrapper.find('[data-test="client-id-suffix-warning"]').text()).toContain('The per-launch suffix is not used while Clean start is off');
    await wrapper.find('[data-test="client-id-suffix"] input').setValue(false);
    expect(wrapper.find('[data-test="client-id-suffix-warning"]').exists()).toBe(false);
    wrapper.unmount();
  });

  it('clears a saved password when asked to', async () => {
    const wrapper = await mountEditor(profileView({ secrets: { password: true, keyPassphrase: false, pfxPassphrase: false, keyPem: false } }));
    await openSection(wrapper, 'auth');
    await wrapper.findAll('[data-test="password"] button')[1]!.trigger('click');
    expect(wrapper.find('[data-test="secret-cleared"]').exists()).toBe(true);
    await wrapper.find('[data-test="save"]').trigger('click');
    await flushPromises();
    expect(lastSaved().secrets.password).toEqual({ action: 'clear' });
    wrapper.unmount();
  });

  it('does not save while a field is wrong, and opens the section that needs attention', async () => {
    const wrapper = await mountEditor();
    await openSection(wrapper, 'subscriptions');
    await wrapper.find('[data-test="sub-filter"]').setValue('a/b#');
    await openSection(wrapper, 'retention');
    await wrapper.find('[data-test="save"]').trigger('click');
    await flushPromises();
    expect(api.paramsOf('profiles.save')).toHaveLength(0);
    expect(wrapper.find('[data-test="sub-filter-error"]').exists()).toBe(true);
    expect(wrapper.find('[data-test="problem-summary"]').text()).toContain('1 field needs attention');
    wrapper.unmount();
  });

  it("shows the engine's sentence when saving fails", async () => {
    api.failWith('profiles.save', 'The profiles file could not be written: the disk is full. Free some space and save again.');
    const wrapper = await mountEditor();
    await wrapper.find('[data-test="save-connect"]').trigger('click');
    await flushPromises();
    expect(wrapper.find('[data-test="save-error"]').text()).toContain('the disk is full');
    expect(wrapper.emitted('saved')).toBeUndefined();
    wrapper.unmount();
  });

  it('fills the form from a preset when creating', async () => {
    api.on('profiles.presets', () => [
      { id: 'emqx', label: 'broker.emqx.io (WebSocket)', description: 'Public EMQX.', fields: { name: 'EMQX', host: 'broker.emqx.io', port: 8083, transport: 'ws' as const, path: '/mqtt' } },
    ]);
    const wrapper = await mountEditor();
    await wrapper.find('select[data-test="preset-select"]').setValue('1');
    expect((wrapper.find('[data-test="host"]').element as HTMLInputElement).value).toBe('broker.emqx.io');
    expect((wrapper.find('[data-test="port"]').element as HTMLInputElement).value).toBe('8083');
    expect(wrapper.text()).toContain('Public EMQX.');
    wrapper.unmount();
  });
});
