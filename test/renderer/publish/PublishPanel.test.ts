import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import type { ConnackInfo, SessionStatus } from '@common/session';
import type { PublishHistoryEntry, SavedMessage } from '@common/api';
import { toasts } from '@renderer/components/ui/toast';
import PublishPanel from '@renderer/components/publish/PublishPanel.vue';
import { useConnectionsStore } from '@renderer/stores/connections';
import { usePublishPrefill } from '@renderer/stores/explorer';
import { installFakeApi, type FakeApi } from '../shell/fake-api';

let api: FakeApi;
beforeEach(() => {
  setActivePinia(createPinia());
  api = installFakeApi();
  api.on('publish.send', () => ({ kind: 'acknowledged' as const, reasonCode: 0, reasonName: 'Success', packetSize: 20 }));
  api.on('publish.history', () => []);
  api.on('tree.search', () => ({ matches: [], nodes: [], truncated: false }));
});

const connack = (extra: Partial<ConnackInfo> = {}): ConnackInfo => ({ sessionPresent: false, reasonCode: 0, userProperties: [], ...extra });
function connected(protocolVersion: 3 | 4 | 5 = 5, extra: Partial<ConnackInfo> = {}): void {
  const status: SessionStatus = { connectionId: 'p1', profileName: 'Plant', protocolVersion, state: 'connected', clientId: 'c', subscriptions: [], since: 0, connack: connack(extra) };
  useConnectionsStore().statuses = new Map([['p1', status]]);
}

const mounted: VueWrapper[] = [];
afterEach(() => {
  for (const wrapper of mounted.splice(0)) wrapper.unmount();
});
async function mountPanel(): Promise<VueWrapper> {
  const wrapper = mount(PublishPanel, { props: { connectionId: 'p1' }, attachTo: document.body });
  mounted.push(wrapper);
  await flushPromises();
  return wrapper;
}
const editor = (wrapper: VueWrapper) => wrapper.find('[data-testid="monaco-editor"]');
async function type(wrapper: VueWrapper, selector: string, value: string): Promise<void> {
  await wrapper.find(selector).setValue(value);
  await flushPromises();
}
const sendButton = (wrapper: VueWrapper) => wrapper.find('[data-test="publish-send"]');
const chooseFormat = async (wrapper: VueWrapper, label: string) => {
  const button = wrapper.findAll('[data-test="payload-format"] button').find((b) => b.text() === label);
  await button?.trigger('click');
  await flushPromises();
};

describe('publish form validation', () => {
  it('refuses a wildcard in the topic, says why, and keeps Publish disabled', async () => {
    connected();
    const wrapper = await mountPanel();
    await type(wrapper, '[data-test="publish-topic"]', 'plant/+/valve');
    expect(wrapper.find('[data-test="topic-problem"]').text()).toBe('A topic name cannot contain the wildcards + or #; they are only for subscriptions.');
    expect(sendButton(wrapper).attributes('disabled')).toBeDefined();
    await type(wrapper, '[data-test="publish-topic"]', 'plant/1/valve');
    expect(wrapper.find('[data-test="topic-problem"]').exists()).toBe(false);
    expect(wrapper.text()).toContain('13 B');
    expect(sendButton(wrapper).attributes('disabled')).toBeUndefined();
  });

  it('shows the bad hex digit and the live byte size', async () => {
    connected();
    const wrapper = await mountPanel();
    await type(wrapper, '[data-test="publish-topic"]', 'raw');
    await chooseFormat(wrapper, 'Hex');
    await editor(wrapper).setValue('01 ff 7');
    await flushPromises();
    expect(wrapper.find('[data-test="payload-problem"]').text()).toMatch(/odd number of hex digits/);
    await editor(wrapper).setValue('01 ff zz');
    await flushPromises();
    expect(wrapper.find('[data-test="payload-problem"]').text()).toMatch(/not valid hex: 'z' is not a hex digit/);
    expect(sendButton(wrapper).attributes('disabled')).toBeDefined();
    await editor(wrapper).setValue('01 ff 7a');
    await flushPromises();
    expect(wrapper.find('[data-test="payload-problem"]').exists()).toBe(false);
    expect(wrapper.find('[data-test="payload-size"]').text()).toBe('3 B');
  });

  it('marks invalid JSON in the editor where the mistake is', async () => {
    connected();
    const wrapper = await mountPanel();
    await type(wrapper, '[data-test="publish-topic"]', 'j');
    await editor(wrapper).setValue('{\n  "a": 1,\n}');
    await flushPromises();
    expect(wrapper.find('[data-test="payload-problem"]').text()).toMatch(/trailing comma.*line 3, column 1/);
    expect(JSON.parse(editor(wrapper).attributes('data-markers') ?? '[]')).toEqual([{ message: expect.stringMatching(/not valid JSON/), severity: 'error' }]);
    await editor(wrapper).setValue('{"a": 1}');
    await flushPromises();
    expect(JSON.parse(editor(wrapper).attributes('data-markers') ?? '[]')).toEqual([]);
  });

  it('disables the MQTT 5 fields on 3.1.1 with a one-line reason, and sends none of them', async () => {
    connected(4);
    const wrapper = await mountPanel();
    expect(wrapper.find('[data-test="v5-disabled"]').text()).toBe('MQTT 3.1.1 has no message properties: these fields are not sent. Connect with MQTT 5 to use them.');
    expect(wrapper.find('[data-test="v5-fields"]').attributes('disabled')).toBeDefined();
    expect(wrapper.find('[data-test="prop-content-type"]').attributes('disabled')).toBeDefined();
    await type(wrapper, '[data-test="publish-topic"]', 'old/topic');
    await editor(wrapper).setValue('{"a": 1}');
    await sendButton(wrapper).trigger('click');
    await flushPromises();
    expect(api.paramsOf('publish.send')).toEqual([
      { connectionId: 'p1', message: { topic: 'old/topic', payload: { format: 'json', value: '{"a": 1}' }, qos: 0, retain: false, properties: {}, autoTopicAlias: false } },
    ]);
  });

  it('disables QoS above the broker maximum with the reason, and retain when the broker has none', async () => {
    connected(5, { maximumQoS: 1, retainAvailable: false });
    const wrapper = await mountPanel();
    const qos = wrapper.findAll('[data-test="publish-qos"] button');
    expect(qos.map((b) => b.attributes('disabled') !== undefined)).toEqual([false, false, true]);
    expect(qos[2]?.attributes('title')).toBe('The broker allows at most QoS 1 (Maximum QoS in its CONNACK).');
    const retain = wrapper.find('[data-test="publish-retain"] input');
    expect(retain.attributes('disabled')).toBeDefined();
  });

  it('shows the packet size against the broker maximum and refuses a packet that is too big', async () => {
    connected(5, { maximumPacketSize: 100 });
    const wrapper = await mountPanel();
    await type(wrapper, '[data-test="publish-topic"]', 't');
    await chooseFormat(wrapper, 'Text');
    await editor(wrapper).setValue('x'.repeat(200));
    await flushPromises();
    expect(wrapper.find('[data-test="packet-size"]').text()).toBe('Packet 207 B of max 100 B');
    expect(sendButton(wrapper).attributes('title')).toMatch(/would be 207 bytes, but the broker accepts at most 100 bytes/);
    // Not only in a tooltip: the sentence stands by the Publish button.
    expect(wrapper.find('[data-test="publish-problem"]').text()).toBe(
      'The PUBLISH packet would be 207 bytes, but the broker accepts at most 100 bytes (Maximum Packet Size in its CONNACK). Shorten the payload, the topic or the properties.',
    );
    await editor(wrapper).setValue('x'.repeat(20));
    await flushPromises();
    expect(wrapper.find('[data-test="publish-problem"]').exists()).toBe(false);
    expect(sendButton(wrapper).attributes('disabled')).toBeUndefined();
  });

  it('shows a QoS above the broker maximum by Publish when a loaded message asks for it', async () => {
    connected(5, { maximumQoS: 1 });
    const entry: PublishHistoryEntry = {
      id: 1,
      connectionId: 'p1',
      time: Date.now(),
      request: { topic: 'h/2', payload: { format: 'text', value: 'x' }, qos: 2, retain: false, properties: {}, autoTopicAlias: false },
      outcome: { kind: 'acknowledged', reasonCode: 0, reasonName: 'Success', packetSize: 12 },
    };
    api.on('publish.history', () => [entry]);
    const wrapper = await mountPanel();
    await wrapper.find('[data-tab="history"]').trigger('click');
    await flushPromises();
    await wrapper.find('[data-test="history-list"] li button').trigger('click');
    await flushPromises();
    expect(wrapper.find('[data-test="publish-problem"]').text()).toBe('The broker allows at most QoS 1 (Maximum QoS in its CONNACK); choose QoS 0 or 1.');
    expect(sendButton(wrapper).attributes('disabled')).toBeDefined();
    await sendButton(wrapper).trigger('click');
    await flushPromises();
    expect(api.paramsOf('publish.send')).toEqual([]);
  });

  it('marks the Properties tab and repeats a property problem by Publish while another tab is open', async () => {
    connected(5, { topicAliasMaximum: 2 });
    const wrapper = await mountPanel();
    await type(wrapper, '[data-test="publish-topic"]', 't');
    const propertiesTab = () => wrapper.find('[data-tab="properties"]');
    expect(propertiesTab().find('.tg-icon').exists()).toBe(false);
    const mode = wrapper.find('[data-test="prop-alias-mode"]');
    await (mode.element.tagName === 'SELECT' ? mode : mode.find('select')).setValue('1'); // manual
    await type(wrapper, '[data-test="prop-alias"]', '0');
    // On the Properties tab the field itself says it; the line by Publish would only repeat it.
    expect(wrapper.find('[data-test="v5-fields"]').text()).toMatch(/topic alias must be/i);
    expect(wrapper.find('[data-test="publish-problem"]').exists()).toBe(false);
    expect(propertiesTab().find('.tg-icon').exists()).toBe(true);
    expect(sendButton(wrapper).attributes('disabled')).toBeDefined();

    await wrapper.find('[data-tab="history"]').trigger('click');
    await flushPromises();
    expect(wrapper.find('[data-test="publish-problem"]').text()).toMatch(/topic alias must be/i);
    await wrapper.find('[data-tab="properties"]').trigger('click');
    await type(wrapper, '[data-test="prop-alias"]', '2');
    expect(propertiesTab().find('.tg-icon').exists()).toBe(false);
    expect(sendButton(wrapper).attributes('disabled')).toBeUndefined();
  });

  it('checks user properties and the topic alias against the broker', async () => {
    connected(5, { topicAliasMaximum: 2 });
    const wrapper = await mountPanel();
    await type(wrapper, '[data-test="publish-topic"]', 't');
    // TgSelect puts data-* on the <select> itself (or, in older versions, on its wrapper).
    const mode = wrapper.find('[data-test="prop-alias-mode"]');
    await (mode.element.tagName === 'SELECT' ? mode : mode.find('select')).setValue('1'); // manual
    await type(wrapper, '[data-test="prop-alias"]', '3');
    expect(wrapper.text()).toContain("The topic alias must be between 1 and 2, the broker's Topic Alias Maximum.");
    await type(wrapper, '[data-test="prop-alias"]', '2');
    expect(wrapper.text()).not.toContain('must be between');
  });
});

describe('publishing', () => {
  it('publishes with Ctrl+Enter and shows the PUBACK reason code', async () => {
    connected();
    const wrapper = await mountPanel();
    await type(wrapper, '[data-test="publish-topic"]', 'plant/valve');
    await editor(wrapper).setValue('{"open": true}');
    await type(wrapper, '[data-test="prop-content-type"]', 'application/json');
    await type(wrapper, '[data-test="prop-correlation"]', 'abc');
    await editor(wrapper).trigger('keydown', { key: 'Enter', ctrlKey: true });
    await flushPromises();
    expect(api.paramsOf('publish.send')[0]?.message).toMatchObject({
      topic: 'plant/valve',
      payload: { format: 'json', value: '{"open": true}' },
      properties: { contentType: 'application/json', correlationData: new TextEncoder().encode('abc') },
    });
    expect(wrapper.find('[data-test="publish-result"]').text()).toContain('PUBACK: Success (0x00)');
  });

  it('shows 0x10 as a success with its note, and an engine refusal as its sentence', async () => {
    connected();
    api.on('publish.send', () => ({ kind: 'acknowledged' as const, reasonCode: 0x10, reasonName: 'No matching subscribers', note: 'No subscriber matched the topic.', packetSize: 9 }));
    const wrapper = await mountPanel();
    await type(wrapper, '[data-test="publish-topic"]', 'nobody');
    await wrapper.find('[data-test="publish-qos"] button:nth-child(2)').trigger('click');
    await sendButton(wrapper).trigger('click');
    await flushPromises();
    expect(wrapper.find('[data-test="publish-result"]').text()).toContain('PUBACK: No matching subscribers (0x10) — No subscriber matched the topic.');

    api.failWith('publish.send', 'The broker refused the message: Not authorized (0x87).');
    await sendButton(wrapper).trigger('click');
    await flushPromises();
    expect(wrapper.find('[data-test="publish-result"]').text()).toContain('The broker refused the message: Not authorized (0x87).');
  });

  it('names the packet that carried a QoS 2 reason code, with the broker\'s reason string', async () => {
    connected();
    const outcome = { kind: 'acknowledged' as const, packet: 'pubrec' as const, reasonCode: 0x10, reasonName: 'No matching subscribers', reasonString: 'nobody home', packetSize: 9 };
    api.on('publish.send', () => outcome);
    const wrapper = await mountPanel();
    await type(wrapper, '[data-test="publish-topic"]', 'nobody');
    await wrapper.find('[data-test="publish-qos"] button:nth-child(3)').trigger('click');
    await sendButton(wrapper).trigger('click');
    await flushPromises();
    expect(wrapper.find('[data-test="publish-result"]').text()).toContain('PUBREC: No matching subscribers (0x10) — The broker said: "nobody home".');

    api.on('publish.send', () => ({ ...outcome, packet: 'pubcomp' as const, reasonCode: 0, reasonName: 'Success', reasonString: undefined }));
    await sendButton(wrapper).trigger('click');
    await flushPromises();
    expect(wrapper.find('[data-test="publish-result"]').text()).toContain('PUBCOMP: Success (0x00)');
  });

  it('takes "publish to this topic" from the tree', async () => {
    connected();
    const wrapper = await mountPanel();
    usePublishPrefill().request({ connectionId: 'p1', topic: 'from/the/tree', payload: 'plain words' });
    await flushPromises();
    expect((wrapper.find('[data-test="publish-topic"]').element as HTMLInputElement).value).toBe('from/the/tree');
    expect((editor(wrapper).element as HTMLTextAreaElement).value).toBe('plain words');
    expect(usePublishPrefill().prefill.value).toBeNull();
  });

  it('loads a history entry back into the form', async () => {
    connected();
    const entry: PublishHistoryEntry = {
      id: 1,
      connectionId: 'p1',
      time: Date.now(),
      request: { topic: 'h/1', payload: { format: 'hex', value: '01 02' }, qos: 2, retain: true, properties: { correlationData: new Uint8Array([0, 255]) }, autoTopicAlias: false },
      outcome: { kind: 'acknowledged', reasonCode: 0, reasonName: 'Success', packetSize: 12 },
    };
    api.on('publish.history', () => [entry]);
    const wrapper = await mountPanel();
    await wrapper.find('[data-tab="history"]').trigger('click');
    await flushPromises();
    expect(wrapper.find('[data-test="history-list"]').text()).toContain('PUBREC/PUBCOMP: Success (0x00)');
    await wrapper.find('[data-test="history-list"] li button').trigger('click');
    await wrapper.find('[data-tab="properties"]').trigger('click');
    await flushPromises();
    expect((wrapper.find('[data-test="publish-topic"]').element as HTMLInputElement).value).toBe('h/1');
    expect((wrapper.find('[data-test="prop-correlation"]').element as HTMLInputElement).value).toBe('00 ff');
    expect(wrapper.find('[data-test="payload-size"]').text()).toBe('2 B');
  });
});

describe('saved messages', () => {
  it('saves the form under a name and folder, lists it by folder, and imports a file with its problems shown', async () => {
    connected();
    const stored: SavedMessage[] = [];
    api.on('saved.list', () => [...stored]);
    api.on('saved.save', ({ message }) => {
      const saved = { ...message, id: `s${stored.length + 1}` } as SavedMessage;
      stored.push(saved);
      return saved;
    });
    api.on('saved.import', () => ({ imported: 1, problems: ['Message 2 ("Bad") was skipped: qos: Invalid input.'] }));
    const wrapper = await mountPanel();
    await type(wrapper, '[data-test="publish-topic"]', 'valves/1/set');
    await editor(wrapper).setValue('{"open": true}');
    await wrapper.find('[data-tab="saved"]').trigger('click');
    await flushPromises();
    expect(wrapper.text()).toContain('No saved messages');

    await wrapper.find('[data-test="saved-add"]').trigger('click');
    await type(wrapper, '[data-test="saved-name"]', 'Open valve');
    await type(wrapper, 'input[aria-label="Folder"]', 'Valves');
    await wrapper.find('form').trigger('submit');
    await flushPromises();
    expect(api.paramsOf('saved.save')).toEqual([
      {
        scope: 'p1',
        message: { topic: 'valves/1/set', payload: { format: 'json', value: '{"open": true}' }, qos: 0, retain: false, properties: {}, autoTopicAlias: false, name: 'Open valve', folder: 'Valves' },
      },
    ]);
    expect(wrapper.find('[data-test="saved-list"]').text()).toMatch(/Valves\s*1\s*Open valve\s*valves\/1\/set/);

    const input = wrapper.find('[data-test="saved-import"]');
    Object.defineProperty(input.element, 'files', { value: [new File(['{"messages": []}'], 'mine.json', { type: 'application/json' })] });
    await input.trigger('change');
    await flushPromises();
    expect(api.paramsOf('saved.import')).toEqual([{ scope: 'p1', json: '{"messages": []}' }]);
    expect(toasts.value.at(-1)?.message).toBe('Imported 1 saved message from mine.json. 1 skipped: Message 2 ("Bad") was skipped: qos: Invalid input.');
  });
});
