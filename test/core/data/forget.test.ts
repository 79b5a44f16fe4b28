// Forgetting a deleted profile's recordings: the recorder closes and its SQLite files leave the disk.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ConnectionStats } from '../../../electron/common/session';
import { storeFileName, storeFiles, type Recorder } from '../../../electron/core/data';
import type { ReceivedMessage } from '../../../electron/core/services';
import { cleanUp, RETENTION, startDataPart, tempDataDir } from './helpers';

afterEach(cleanUp);

const message = (topic: string, text: string): ReceivedMessage => ({
  topic,
  payload: Buffer.from(text),
  qos: 0,
  retain: false,
  dup: false,
  properties: {},
  time: Date.now(),
});

async function recordSome(recorder: Recorder, count: number): Promise<void> {
  for (let i = 0; i < count; i++) recorder.record(message(`site/${i % 3}`, `m${i}`), () => undefined);
  await recorder.flush();
}

describe('data part forget', () => {
  it('closes the recorder of a profile and removes its database, WAL and shared-memory files', async () => {
    const h = startDataPart(tempDataDir());
    const gone = h.part.recording.recorder('gone', RETENTION) as Recorder;
    const kept = h.part.recording.recorder('kept', RETENTION) as Recorder;
    await recordSome(gone, 20);
    await recordSome(kept, 5);
    const [database, wal, shm] = storeFiles(path.join(h.dataDir, 'messages', storeFileName('gone')));
    for (const file of [database, wal, shm]) expect(existsSync(file as string), file).toBe(true);

    await h.part.forget('gone');

    for (const file of [database, wal, shm]) expect(existsSync(file as string), file).toBe(false);
    expect(h.part.stats().map((s) => s.connectionId)).toEqual(['kept']);
    expect(existsSync(path.join(h.dataDir, 'messages', storeFileName('kept')))).toBe(true);
    // Messages arriving for the closed recorder are let through, not written anywhere.
    let resumed = false;
    gone.record(message('site/late', 'late'), () => (resumed = true));
    expect(resumed).toBe(true);
    expect(existsSync(database as string)).toBe(false);
  });

  it('removes the files of a profile not opened in this run, and tells the renderer its stats are gone', async () => {
    const dataDir = tempDataDir();
    const earlier = startDataPart(dataDir);
    await recordSome(earlier.part.recording.recorder('old', RETENTION) as Recorder, 3);
    await earlier.close();
    const h = startDataPart(dataDir);
    h.part.recording.recorder('old', RETENTION);
    h.flush();
    await h.part.forget('old');
    h.flush();

    expect(existsSync(path.join(dataDir, 'messages', storeFileName('old')))).toBe(false);
    const lastStats = h.events.filter((e) => e.type === 'connection.stats').at(-1) as { stats: ConnectionStats[] } | undefined;
    expect(lastStats?.stats).toEqual([]);
  });

  it('reports a store file it cannot remove as a problem naming the file, and removes the rest', async () => {
    const h = startDataPart(tempDataDir());
    await recordSome(h.part.recording.recorder('stuck', RETENTION) as Recorder, 3);
    await h.part.forget('stuck');
    const [database, wal] = storeFiles(path.join(h.dataDir, 'messages', storeFileName('stuck')));
    // A non-empty folder where a file is expected cannot be removed as a file, even by root.
    writeFileSync(database as string, 'left from an earlier run');
    mkdirSync(wal as string);
    writeFileSync(path.join(wal as string, 'inside'), 'x');

    await h.part.forget('stuck');
    h.flush();

    expect(existsSync(database as string)).toBe(false);
    const problems = h.events.flatMap((e) => (e.type === 'app.problem' ? [e.message] : []));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(wal);
    expect(problems[0]).toContain('Delete that file by hand');
  });
});
