import { describe, expect, it } from 'vitest';
import { mosquittoPubCommand, mosquittoSubCommand, shellQuote, type CommandMessage } from '@renderer/components/tree/commandLine';

/**
 * The command lines are run through a real POSIX shell with stand-in mosquitto_pub/_sub functions
 * that print each argument they receive (and stdin for -s), so quoting is checked by the shell
 * itself rather than by comparing strings.
 */
interface ChildProcess {
  execFileSync(file: string, args: string[], options: { encoding: 'buffer' }): Uint8Array;
}
const childProcess = (await import(/* @vite-ignore */ ['node', 'child_process'].join(':'))) as ChildProcess;

const RECORDER = `
record() { for a in "$@"; do printf '%s\\0' "$a"; done; case " $* " in *" -s "*) printf 'STDIN:'; cat ;; esac; }
mosquitto_pub() { record "$@"; }
mosquitto_sub() { record "$@"; }
`;

/** The arguments the shell passes, and what arrives on stdin (for `printf ... | mosquitto_pub -s`). */
function runInShell(command: string): { args: string[]; stdin: Uint8Array | null } {
  const out = childProcess.execFileSync('/bin/sh', ['-c', `${RECORDER}\n${command}`], { encoding: 'buffer' });
  const bytes = new Uint8Array(out);
  const marker = new TextEncoder().encode('STDIN:');
  let split = -1;
  for (let i = 0; i + marker.length <= bytes.length; i++) {
    if (marker.every((b, j) => bytes[i + j] === b)) {
      split = i;
      break;
    }
  }
  const argBytes = split >= 0 ? bytes.subarray(0, split) : bytes;
  const args = new TextDecoder().decode(argBytes).split('\0').slice(0, -1);
  return { args, stdin: split >= 0 ? bytes.subarray(split + marker.length) : null };
}

const text = (s: string): Uint8Array<ArrayBuffer> => new TextEncoder().encode(s);
const message = (overrides: Partial<CommandMessage>): CommandMessage => ({
  topic: 'a/b',
  payload: text('x'),
  qos: 0,
  retain: false,
  properties: {},
  ...overrides,
});
const valueAfter = (args: string[], flag: string): string | undefined => args[args.indexOf(flag) + 1];

describe('mosquitto command lines', () => {
  const awkward = [
    "it's",
    'two words',
    '$HOME and `date` and $(id)',
    'line one\nline two',
    'back\\slash "double" \'single\'',
    '-starts-with-dash',
    '',
    'ünïcødé ✓',
  ];

  it.each(awkward)('keeps %j intact as one shell word', (value) => {
    const { args } = runInShell(`mosquitto_pub -m ${shellQuote(value)}`);
    expect(args).toEqual(['-m', value]);
  });

  it('passes topics and payloads with quotes, spaces, $ and newlines exactly', () => {
    const topic = "home/it's/$SYS like/#weird";
    const payload = 'He said "hi" & left; $PATH\nsecond line';
    const { args } = runInShell(mosquittoPubCommand(message({ topic, payload: text(payload), qos: 1, retain: true })));
    expect(args[0]).toBe('-t');
    expect(valueAfter(args, '-t')).toBe(topic);
    expect(valueAfter(args, '-m')).toBe(payload);
    expect(valueAfter(args, '-q')).toBe('1');
    expect(args).toContain('-r');
    expect(args).not.toContain('-V');
  });

  it('sends binary payloads byte for byte through stdin', () => {
    const payload = new Uint8Array([0x2d, 0x00, 0xff, 0x27, 0x25, 0x5c, 0x0a, 0x41]);
    const command = mosquittoPubCommand(message({ payload }));
    const { args, stdin } = runInShell(command);
    expect(args).toContain('-s');
    expect(stdin).toEqual(payload);
  });

  it('publishes an empty payload with -n', () => {
    const { args } = runInShell(mosquittoPubCommand(message({ payload: new Uint8Array(0) })));
    expect(args).toContain('-n');
    expect(args).not.toContain('-m');
  });

  it('adds -V 5 and -D publish flags when the message had MQTT 5 properties', () => {
    const command = mosquittoPubCommand(
      message({
        properties: {
          contentType: 'application/json; charset="utf-8"',
          responseTopic: 'reply/$me',
          correlationData: text("id 'x'"),
          messageExpiryInterval: 60,
          payloadFormatIndicator: true,
          userProperties: [
            { name: 'a', value: '1' },
            { name: 'with space', value: "it's" },
            { name: 'a', value: '2' },
          ],
        },
      }),
    );
    const { args } = runInShell(command);
    expect(valueAfter(args, '-V')).toBe('5');
    const defines: string[][] = [];
    args.forEach((arg, i) => {
      if (arg !== '-D') return;
      const name = args[i + 2] as string;
      defines.push(args.slice(i + 1, i + (name === 'user-property' ? 5 : 4)));
    });
    expect(defines).toEqual([
      ['publish', 'payload-format-indicator', '1'],
      ['publish', 'message-expiry-interval', '60'],
      ['publish', 'content-type', 'application/json; charset="utf-8"'],
      ['publish', 'response-topic', 'reply/$me'],
      ['publish', 'correlation-data', "id 'x'"],
      ['publish', 'user-property', 'a', '1'],
      ['publish', 'user-property', 'with space', "it's"],
      ['publish', 'user-property', 'a', '2'],
    ]);
  });

  it('leaves out binary correlation data and says so', () => {
    const command = mosquittoPubCommand(message({ properties: { correlationData: new Uint8Array([0, 1, 2]) } }));
    expect(command).toMatch(/# binary correlation data/);
    expect(runInShell(command).args).not.toContain('correlation-data');
  });

  it('includes the broker address and user name of the profile', () => {
    const { args } = runInShell(
      mosquittoSubCommand({ topic: 'sensors/+/temp', qos: 2, target: { host: 'broker.local', port: 1884, protocolVersion: 5, username: "o'neil" } }),
    );
    expect(args).toEqual(['-h', 'broker.local', '-p', '1884', '-u', "o'neil", '-V', '5', '-t', 'sensors/+/temp', '-q', '2', '-v']);
  });

  it('quotes wildcard filters so the shell does not expand them', () => {
    const command = mosquittoSubCommand({ topic: 'home/#' });
    expect(runInShell(command).args).toEqual(['-t', 'home/#', '-v']);
  });
});
