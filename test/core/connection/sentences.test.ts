import { describe, expect, it } from 'vitest';
import { describeConnackRefusal } from '../../../electron/common/reason-codes';

describe('a v5 CONNECT answered by a 3.1.1 broker', () => {
  it('says the broker does not speak MQTT 5 and how to fix the profile', () => {
    expect(describeConnackRefusal({ protocolVersion: 5, code: 1 })).toBe(
      'Broker refused the connection with an MQTT 3.1.1 return code (1): it does not speak MQTT 5. Set the MQTT version of this profile to 3.1.1.',
    );
  });
});
