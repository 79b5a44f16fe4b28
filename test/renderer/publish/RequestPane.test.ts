import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import type { PublishRequestInput, RequestReply } from '@common/api';
import RequestPane from '@renderer/components/publish/RequestPane.vue';
import { installFakeApi, type FakeApi } from '../shell/fake-api';

let api: FakeApi;
beforeEach(() => {
  setActivePinia(createPinia());
  api = installFakeApi();
  api.on('publish.history', () => []);
});

const request: PublishRequestInput = {
  topic: 'plant/pump/get',
  payload: { format: 'text', value: 'pump-3' },
  qos: 1,
  retain: false,
  properties: { correlationData: new Uint8Array([0xab, 0x01]) },
  autoTopicAlias: false,
};
function reply(payload: Uint8Array, extra: Partial<RequestReply> = {}): RequestReply {
  return {
    response: {
      id: 9,
      topic: 'plant/pump/get/response/abc',
      payload,
      time: 0,
      qos: 1,
      retain: false,
      dup: false,
      properties: { correlationData: new Uint8Array([0xab, 0x01]), contentType: 'text/plain', userProperties: [] },
      recorded: false,
    },
    roundTripMs: 12.345,
    responseTopic: 'plant/pump/get/response/abc',
    ...extra,
  };
}

const mounted: VueWrapper[] = [];
afterEach(() => {
  for (const wrapper of mounted.splice(0)) wrapper.unmount();
});
async function mountRequest(props: Partial<{ request: PublishRequestInput; problem: string; connected: boolean; v5: boolean }> = {}): Promise<VueWrapper> {
  const wrapper = mount(RequestPane, { props: { connectionId: 'p1', request, connected: true, v5: true, ...props }, attachTo: document.body });
  mounted.push(wrapper);
  await flushPromises();
  return wrapper;
}
const sendButton = (wrapper: VueWrapper) => wrapper.find('[data-test="request-send"]');

describe('request pane', () => {
  it('sends the request, waits, then shows the reply payload, its correlation data and the round trip', async () => {
    let answer: (value: RequestReply) => void = () => undefined;
    api.on('publish.request', () => new Promise<RequestReply>((resolve) => (answer = resolve)));
    const wrapper = await mountRequest();
    await sendButton(wrapper).trigger('click');
    await flushPromises();
    expect(api.paramsOf('publish.request')).toEqual([{ connectionId: 'p1', message: request, timeoutMs: 10_000 }]);
    expect(sendButton(wrapper).text()).toBe('Waiting for the reply…');
    expect(sendButton(wrapper).attributes('disabled')).toBeDefined();

    answer(reply(new TextEncoder().encode('running')));
    await flushPromises();
    expect(wrapper.find('[data-test="request-payload"]').text()).toBe('running');
    expect(wrapper.find('[data-test="request-rtt"]').text()).toBe('12.3 ms round trip');
    const shown = wrapper.find('[data-test="request-reply"]').text();
    expect(shown).toContain('plant/pump/get/response/abc');
    expect(shown).toContain('ab 01');
    expect(shown).toContain('text/plain');
    expect(shown).toContain('7 bytes');
    expect(sendButton(wrapper).text()).toBe('Send request');
  });

  it('passes the response topic and the timeout typed, and shows a reply that is not UTF-8 as hex', async () => {
    api.on('publish.request', () => reply(new Uint8Array([0xff, 0x00, 0x10])));
    const wrapper = await mountRequest();
    await wrapper.find('[data-test="request-topic"]').setValue('replies/me');
    await wrapper.find('[data-test="request-timeout"]').setValue('2.5');
    await sendButton(wrapper).trigger('click');
    await flushPromises();
    expect(api.paramsOf('publish.request')).toEqual([{ connectionId: 'p1', message: request, timeoutMs: 2500, responseTopic: 'replies/me' }]);
    expect(wrapper.find('[data-test="request-payload"]').text()).toBe('ff 00 10');
    expect(wrapper.find('[data-test="request-reply"]').text()).toContain('3 bytes, shown as hex');
  });

  it('shows the engine sentence when no reply comes', async () => {
    api.failWith('publish.request', 'No reply on plant/pump/get/response/abc within 10 s. Check that a responder listens on plant/pump/get.');
    const wrapper = await mountRequest();
    await sendButton(wrapper).trigger('click');
    await flushPromises();
    expect(wrapper.find('[data-test="request-error"]').text()).toBe('No reply on plant/pump/get/response/abc within 10 s. Check that a responder listens on plant/pump/get.');
    expect(wrapper.find('[data-test="request-reply"]').exists()).toBe(false);
  });

  it('refuses a wildcard response topic, a timeout out of range, and MQTT 3.1.1, with the reason', async () => {
    const wrapper = await mountRequest();
    await wrapper.find('[data-test="request-topic"]').setValue('replies/+');
    expect(wrapper.text()).toMatch(/cannot contain the wildcards/);
    expect(sendButton(wrapper).attributes('disabled')).toBeDefined();
    await wrapper.find('[data-test="request-topic"]').setValue('');
    await wrapper.find('[data-test="request-timeout"]').setValue('0.01');
    expect(wrapper.text()).toContain('Enter a timeout between 0.1 and 600 seconds.');
    expect(sendButton(wrapper).attributes('disabled')).toBeDefined();
    await wrapper.find('[data-test="request-timeout"]').setValue('10');
    expect(sendButton(wrapper).attributes('disabled')).toBeUndefined();

    await wrapper.setProps({ v5: false });
    expect(wrapper.find('.request__muted').text()).toBe('Request/response needs MQTT 5: response topic and correlation data are MQTT 5 properties.');
    expect(sendButton(wrapper).attributes('disabled')).toBeDefined();
    await sendButton(wrapper).trigger('click');
    await flushPromises();
    expect(api.paramsOf('publish.request')).toEqual([]);
  });
});
