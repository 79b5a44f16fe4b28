import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import type { PublishRequestInput, RepeatProgress } from '@common/api';
import { toasts } from '@renderer/components/ui/toast';
import RepeatControls from '@renderer/components/publish/RepeatControls.vue';
import { usePublishStore } from '@renderer/stores/publish';
import { installFakeApi, type FakeApi } from '../shell/fake-api';

let api: FakeApi;
beforeEach(() => {
  setActivePinia(createPinia());
  api = installFakeApi();
  api.on('publish.history', () => []);
  api.on('publish.repeatStart', ({ connectionId, count }) => ({ jobId: 'job-1', connectionId, sent: 0, ...(count === undefined ? {} : { total: count }), state: 'running' as const }));
  usePublishStore().listen();
});

const request: PublishRequestInput = { topic: 'plant/counter', payload: { format: 'text', value: 'n={{counter}}' }, qos: 1, retain: false, properties: {}, autoTopicAlias: false };

const mounted: VueWrapper[] = [];
afterEach(() => {
  for (const wrapper of mounted.splice(0)) wrapper.unmount();
});
async function mountRepeat(props: Partial<{ request: PublishRequestInput; problem: string; connected: boolean }> = {}): Promise<VueWrapper> {
  const wrapper = mount(RepeatControls, { props: { connectionId: 'p1', request, connected: true, ...props }, attachTo: document.body });
  mounted.push(wrapper);
  await flushPromises();
  return wrapper;
}
async function type(wrapper: VueWrapper, selector: string, value: string): Promise<void> {
  await wrapper.find(selector).setValue(value);
  await flushPromises();
}
async function progress(event: RepeatProgress): Promise<void> {
  api.emit({ type: 'publish.repeat', progress: event });
  await flushPromises();
}
const line = (wrapper: VueWrapper) => wrapper.find('[data-test="repeat-progress"]');

describe('repeat controls', () => {
  it('starts a repeat of N messages at the interval typed and follows its progress to done', async () => {
    const wrapper = await mountRepeat();
    await type(wrapper, '[data-test="repeat-interval"]', '250');
    await type(wrapper, '[data-test="repeat-count"]', '5');
    await wrapper.find('[data-test="repeat-start"]').trigger('click');
    await flushPromises();
    expect(api.paramsOf('publish.repeatStart')).toEqual([{ connectionId: 'p1', message: request, intervalMs: 250, count: 5 }]);
    expect(line(wrapper).text()).toContain('Sending: 0 of 5 sent');
    // While it runs, the fields are locked and Start became Stop.
    expect(wrapper.find('[data-test="repeat-interval"]').attributes('disabled')).toBeDefined();
    expect(wrapper.find('[data-test="repeat-start"]').exists()).toBe(false);

    await progress({ jobId: 'job-1', connectionId: 'p1', sent: 3, total: 5, state: 'running' });
    expect(line(wrapper).text()).toContain('Sending: 3 of 5 sent');
    expect(wrapper.find('[role="progressbar"]').attributes('aria-valuenow')).toBe('3');
    await progress({ jobId: 'job-1', connectionId: 'p1', sent: 5, total: 5, state: 'done' });
    expect(line(wrapper).text()).toContain('Done: 5 of 5 sent');
    expect(line(wrapper).classes()).toContain('repeat__progress--done');
    expect(wrapper.find('[data-test="repeat-start"]').exists()).toBe(true);
    // A late event of the finished job does not bring it back to life.
    await progress({ jobId: 'job-1', connectionId: 'p1', sent: 4, total: 5, state: 'running' });
    expect(line(wrapper).text()).toContain('Done: 5 of 5 sent');
  });

  it('repeats until stopped when the count is empty, and Stop shows the final count', async () => {
    api.on('publish.repeatStop', ({ jobId }) => ({ jobId, connectionId: 'p1', sent: 7, state: 'stopped' as const }));
    const wrapper = await mountRepeat();
    await type(wrapper, '[data-test="repeat-count"]', '');
    await wrapper.find('[data-test="repeat-start"]').trigger('click');
    await flushPromises();
    expect(api.paramsOf('publish.repeatStart')).toEqual([{ connectionId: 'p1', message: request, intervalMs: 1000 }]);
    await progress({ jobId: 'job-1', connectionId: 'p1', sent: 6, state: 'running' });
    expect(line(wrapper).text()).toContain('Sending: 6 sent');
    expect(wrapper.find('[role="progressbar"]').exists()).toBe(false);

    await wrapper.find('[data-test="repeat-stop"]').trigger('click');
    await flushPromises();
    expect(api.paramsOf('publish.repeatStop')).toEqual([{ jobId: 'job-1' }]);
    expect(line(wrapper).text()).toContain('Stopped: 7 sent');
    expect(line(wrapper).classes()).toContain('repeat__progress--stopped');
  });

  it('shows why a repeat failed', async () => {
    const wrapper = await mountRepeat();
    await wrapper.find('[data-test="repeat-start"]').trigger('click');
    await flushPromises();
    await progress({ jobId: 'job-1', connectionId: 'p1', sent: 2, total: 10, state: 'failed', error: 'Repeat stopped after 2 of 10 messages: the connection was lost.' });
    expect(line(wrapper).text()).toContain('Failed: 2 of 10 sent');
    expect(line(wrapper).find('.repeat__error').text()).toBe('Repeat stopped after 2 of 10 messages: the connection was lost.');
  });

  it('refuses an interval under 10 ms, a count of 0 and a form with a problem, with the reason', async () => {
    const wrapper = await mountRepeat();
    const start = () => wrapper.find('[data-test="repeat-start"]');
    await type(wrapper, '[data-test="repeat-interval"]', '5');
    expect(wrapper.text()).toContain('Enter a whole number of milliseconds, at least 10.');
    expect(start().attributes('disabled')).toBeDefined();
    await type(wrapper, '[data-test="repeat-interval"]', '10');
    await type(wrapper, '[data-test="repeat-count"]', '0');
    expect(wrapper.text()).toContain('Enter how many messages to send (1 or more), or leave it empty to send until stopped.');
    expect(start().attributes('disabled')).toBeDefined();
    await type(wrapper, '[data-test="repeat-count"]', '3');
    expect(start().attributes('disabled')).toBeUndefined();

    await wrapper.setProps({ request: undefined, problem: 'The topic is empty.' });
    expect(wrapper.find('.repeat__blocked').text()).toBe('The topic is empty.');
    expect(start().attributes('disabled')).toBeDefined();
    await start().trigger('click');
    await flushPromises();
    expect(api.paramsOf('publish.repeatStart')).toEqual([]);
  });

  it('says to connect first, and shows an engine refusal as a toast', async () => {
    const wrapper = await mountRepeat({ connected: false });
    expect(wrapper.find('[data-test="repeat-start"]').attributes('title')).toBe('Connect first.');
    await wrapper.setProps({ connected: true });
    api.failWith('publish.repeatStart', 'Not connected: connect the profile, then start the repeat.');
    await wrapper.find('[data-test="repeat-start"]').trigger('click');
    await flushPromises();
    expect(toasts.value.at(-1)?.message).toBe('Not connected: connect the profile, then start the repeat.');
    expect(line(wrapper).exists()).toBe(false);
  });
});
