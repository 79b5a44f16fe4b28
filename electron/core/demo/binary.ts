/**
 * Binary payloads: a CBOR spectrometer frame (map with numbers, a byte string and a tag), and a
 * raw PLC register frame (header, big-endian 16-bit registers, CRC-16/MODBUS) only hex can show.
 */
import { encode as encodeCbor, Tagged } from 'cborg';
import { SENSOR_ROOT } from './sensors';
import type { DemoDevices, DemoOutput } from './output';
import { RandomWalk } from './walk';

export const CBOR_TOPIC = `${SENSOR_ROOT}/lab/spectrometer-3/frame`;
export const RAW_TOPIC = `${SENSOR_ROOT}/factory/plc-7/registers`;

const BANDS = 12;

/** CRC-16/MODBUS, the checksum such register frames carry. */
export function crc16(bytes: Uint8Array): number {
  let crc = 0xffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? (crc >>> 1) ^ 0xa001 : crc >>> 1;
  }
  return crc;
}

export function registerFrame(registers: readonly number[], sequence: number): Uint8Array {
  const frame = new Uint8Array(4 + registers.length * 2 + 2);
  const view = new DataView(frame.buffer);
  frame[0] = 0xa5;
  frame[1] = sequence & 0xff;
  view.setUint16(2, registers.length);
  registers.forEach((value, index) => view.setUint16(4 + index * 2, value & 0xffff));
  view.setUint16(frame.length - 2, crc16(frame.subarray(0, frame.length - 2)), true);
  return frame;
}


export function createBinary(out: DemoOutput, random: () => number): DemoDevices {
  const bands = Array.from({ length: BANDS }, (_, i) => new RandomWalk(400 + 300 * Math.sin(i / 2), 15, 0, 4000, 0, random));
  const registers = [new RandomWalk(1200, 20, 0, 4000, 0, random), new RandomWalk(730, 5, 0, 1000, 0, random), new RandomWalk(64, 2, 0, 200, 0, random)];
  let frameNo = 0;
  let status = 0b0000_0001;

  const cborFrame = (): Uint8Array => {
    const dark = new Uint8Array(8);
    crypto.getRandomValues(dark);
    return encodeCbor({
      device: 'spectrometer-3',
      frame: frameNo,
      // Tag 1: epoch-based date/time (RFC 8949 §3.4.2).
      taken: new Tagged(1, Date.now() / 1000),
      startNm: 380,
      stepNm: 30,
      counts: bands.map((band) => band.next()),
      darkFrame: dark,
    });
  };

  return {
    devices: 2,
    streams: [
      { weight: 0.5, emit: () => void out.bytes(CBOR_TOPIC, cborFrame()) },
      {
        weight: 1,
        emit: () => {
          if (random() < 0.05) status ^= 0b0000_0100;
          frameNo = (frameNo + 1) % 65536;
          void out.bytes(RAW_TOPIC, registerFrame([...registers.map((r) => r.next()), status], frameNo));
        },
      },
    ],
    async start() {},
    async stop() {},
  };
}
