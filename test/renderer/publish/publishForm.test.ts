import { describe, expect, it } from 'vitest';
import type { PublishRequest } from '@common/api';
import { checkForm, emptyForm, formFromRequest, type PublishForm } from '@renderer/components/publish/publishForm';

const form = (extra: Partial<PublishForm>): PublishForm => ({ ...emptyForm(), topic: 't', ...extra });

describe('the publish form', () => {
  it('turns every MQTT 5 field into its property', () => {
    const check = checkForm(
      form({
        format: 'text',
        text: 'hi',
        formatIndicator: 'utf8',
        expiry: '60',
        contentType: 'text/plain',
        responseTopic: 'r/1',
        correlation: { format: 'hex', value: '00 ff' },
        userProperties: [{ name: 'a', value: '1' }],
        aliasMode: 'auto',
      }),
      { protocolVersion: 5 },
    );
    expect(check.problems).toEqual([]);
    expect(check.request).toEqual({
      topic: 't',
      payload: { format: 'text', value: 'hi' },
      qos: 0,
      retain: false,
      autoTopicAlias: true,
      properties: {
        payloadFormatIndicator: true,
        messageExpiryInterval: 60,
        contentType: 'text/plain',
        responseTopic: 'r/1',
        correlationData: new Uint8Array([0, 255]),
        userProperties: [{ name: 'a', value: '1' }],
      },
    });
  });

  it('says which field is wrong', () => {
    const check = checkForm(form({ expiry: 'soon', correlation: { format: 'hex', value: 'zz' }, aliasMode: 'manual', alias: 'x' }), { protocolVersion: 5 });
    expect(check.problems.map((p) => p.field)).toEqual(['messageExpiryInterval', 'correlationData', 'topicAlias']);
    expect(check.request).toBeUndefined();
  });

  it('checks the topic even while the payload is broken', () => {
    const check = checkForm(form({ topic: 'a/#', format: 'json', text: '{' }), { protocolVersion: 5 });
    expect(check.problems.map((p) => p.field).sort()).toEqual(['payload', 'topic']);
  });

  it('leaves MQTT 5 fields out below MQTT 5', () => {
    const check = checkForm(form({ contentType: 'x', userProperties: [{ name: 'a', value: 'b' }], aliasMode: 'auto' }), { protocolVersion: 4 });
    expect(check.request).toMatchObject({ properties: {}, autoTopicAlias: false });
  });

  it('checks placeholders as the first repeat would send them, but keeps them in the request', () => {
    const f = form({ topic: 'd/{{counter}}', format: 'json', text: '{"n": {{counter}}}' });
    expect(checkForm(f, { protocolVersion: 5 }).problems[0]?.message).toMatch(/Placeholders such as \{\{counter\}\} are filled in only by Repeat/);
    const expanded = checkForm(f, { protocolVersion: 5 }, { expand: true });
    expect(expanded.problems).toEqual([]);
    expect(expanded.request).toMatchObject({ topic: 'd/{{counter}}', payload: { value: '{"n": {{counter}}}' } });
  });

  it('round-trips a stored request through the form', () => {
    const request: PublishRequest = {
      topic: '',
      payload: { format: 'bytes', value: new Uint8Array([1, 2]) },
      qos: 1,
      retain: true,
      autoTopicAlias: false,
      properties: { topicAlias: 2, correlationData: new TextEncoder().encode('req-1'), payloadFormatIndicator: false, messageExpiryInterval: 5 },
    };
    const f = formFromRequest(request, 'blob.bin');
    expect(f).toMatchObject({ format: 'bytes', aliasMode: 'manual', alias: '2', correlation: { format: 'text', value: 'req-1' }, formatIndicator: 'bytes', expiry: '5' });
    expect(checkForm(f, { protocolVersion: 5 }).request).toEqual(request);
  });
});
