import { beforeEach, describe, expect, it } from 'vitest';
import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import type { BrokerStatus } from '@common/api';
import { LOCAL_PROFILE_NAME } from '@common/local-profile';
import WelcomeScreen from '@renderer/components/shell/WelcomeScreen.vue';
import { useConnectionsStore } from '@renderer/stores/connections';
import { useProfilesStore } from '@renderer/stores/profiles';
import { useUiStore } from '@renderer/stores/ui';
import { installFakeApi, profileView, type FakeApi } from './fake-api';

let api: FakeApi;
beforeEach(() => {
  setActivePinia(createPinia());
  api = installFakeApi();
});

const broker = (port: number): BrokerStatus => ({
  running: true,
  host: '127.0.0.1',
  port,
  addresses: [],
  clients: [],
  protocolVersion: 4,
  authRequired: false,
  demo: { running: true, devices: 12, messagesPerSecond: 50, topics: 40 },
});

describe('WelcomeScreen', () => {
  it('opens the profile editor for a new connection', async () => {
    const wrapper = mount(WelcomeScreen);
    await wrapper.find('[data-test="welcome-connect"]').trigger('click');
    expect(useUiStore().editor).toEqual({ profileId: null, presetId: '' });
  });

  it('starts the local broker and the demo, then saves and connects a profile on its port', async () => {
    api.on('broker.start', () => broker(50123));
    api.on('demo.start', () => broker(50123));
    api.on('profiles.save', ({ profile }) => profileView({ id: 'demo', name: profile.name, host: profile.host, port: profile.port }));
    const wrapper = mount(WelcomeScreen);
    await wrapper.find('[data-test="welcome-demo"]').trigger('click');
    await flushPromises();
    expect(api.calls.map((entry) => entry.method).filter((method) => !method.startsWith('settings.'))).toEqual(['broker.start', 'demo.start', 'profiles.save', 'connection.open']);
    const saved = api.paramsOf('profiles.save')[0]!.profile;
    // The built-in broker speaks MQTT 3.1.1, so the profile must too.
    expect([saved.host, saved.port, saved.name, saved.protocolVersion]).toEqual(['127.0.0.1', 50123, LOCAL_PROFILE_NAME, 4]);
    expect(useConnectionsStore().activeId).toBe('demo');
  });

  it('moves the local broker profile made earlier to the port the broker took, instead of adding one', async () => {
    api.on('broker.start', () => broker(50124));
    api.on('demo.start', () => broker(50124));
    api.on('profiles.save', ({ profile }) => profileView({ id: profile.id ?? 'new', name: profile.name, host: profile.host, port: profile.port, protocolVersion: 4 }));
    useProfilesStore().profiles = [profileView({ id: 'local', name: LOCAL_PROFILE_NAME, host: '127.0.0.1', port: 1883, protocolVersion: 4 })];
    const wrapper = mount(WelcomeScreen);
    await wrapper.find('[data-test="welcome-demo"]').trigger('click');
    await flushPromises();
    const saved = api.paramsOf('profiles.save').map((params) => [params.profile.id, params.profile.port]);
    expect(saved).toEqual([['local', 50124]]);
    expect(useConnectionsStore().activeId).toBe('local');
  });

  it("shows the engine's sentence when the broker cannot start", async () => {
    api.failWith('broker.start', 'Port 1883 is taken and no other port was free. Close the other broker and try again.');
    const wrapper = mount(WelcomeScreen);
    await wrapper.find('[data-test="welcome-demo"]').trigger('click');
    await flushPromises();
    expect(wrapper.find('[data-test="demo-error"]').text()).toContain('Port 1883 is taken');
    expect(api.paramsOf('demo.start')).toEqual([]);
  });
});
