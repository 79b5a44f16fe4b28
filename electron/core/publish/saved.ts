/**
 * Saved messages, per scope (a profile id, or 'app' for every profile), in one versioned JSON
 * file written atomically. A file that cannot be read is kept aside and reported, never replaced.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { savedMessage, type SavedMessage } from '../../common/api';
import { describeIssues } from '../../common/dispatch';
import { ApiFailure } from '../../common/result';
import { topicNameProblem } from '../../common/topic';
import { fromWire, toWire } from '../../common/wire';

const FILE_VERSION = 1;
export const EXPORT_FORMAT = 'topograph.saved-messages';

const storedFile = z.object({
  version: z.literal(FILE_VERSION),
  scopes: z.record(z.string(), z.array(savedMessage.extend({ id: z.string().min(1).max(100) }))),
});

function writeAtomic(file: string, text: string): void {
  const temp = `${file}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    const fd = openSync(temp, 'wx', 0o644);
    try {
      writeSync(fd, text);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, file);
  } catch (error) {
    try {
      unlinkSync(temp);
    } catch {
      // never created, or already renamed
    }
    throw new ApiFailure('storage', `Saved messages could not be written: ${(error as Error).message}. Check that the data folder is writable and the disk is not full.`);
  }
}

const byFolderAndName = (a: SavedMessage, b: SavedMessage): number => a.folder.localeCompare(b.folder) || a.name.localeCompare(b.name);

export class SavedMessages {
  private readonly file: string;
  private scopes: Map<string, SavedMessage[]> | undefined;

  constructor(
    dataDir: string,
    private readonly report: (message: string) => void,
  ) {
    this.file = path.join(dataDir, 'publish', 'saved-messages.json');
  }

  private load(): Map<string, SavedMessage[]> {
    if (this.scopes) return this.scopes;
    this.scopes = new Map();
    if (!existsSync(this.file)) return this.scopes;
    try {
      const parsed = storedFile.parse(fromWire(readFileSync(this.file, 'utf8')));
      for (const [scope, list] of Object.entries(parsed.scopes)) this.scopes.set(scope, list as SavedMessage[]);
    } catch (error) {
      const aside = `${this.file}.unreadable-${Date.now()}`;
      try {
        renameSync(this.file, aside);
      } catch {
        // Keeping it aside failed too; saving would overwrite it, so refuse until it is dealt with.
        throw new ApiFailure('storage', `Saved messages could not be read from ${this.file}, nor moved aside. Move that file away and try again.`);
      }
      const cause = error instanceof z.ZodError ? describeIssues(error) : 'it is not valid JSON';
      this.report(`Saved messages could not be read (${cause}). The file was kept as ${aside}; Topograph starts with an empty list.`);
    }
    return this.scopes;
  }

  private persist(): void {
    const scopes = Object.fromEntries([...this.load()].filter(([, list]) => list.length > 0));
    mkdirSync(path.dirname(this.file), { recursive: true });
    writeAtomic(this.file, toWire({ version: FILE_VERSION, scopes }));
  }

  list(scope: string): SavedMessage[] {
    return [...(this.load().get(scope) ?? [])].sort(byFolderAndName);
  }

  save(scope: string, message: z.output<typeof savedMessage>): SavedMessage {
    const scopes = this.load();
    const list = [...(scopes.get(scope) ?? [])];
    const index = message.id === undefined ? -1 : list.findIndex((entry) => entry.id === message.id);
    const saved: SavedMessage = { ...message, id: index >= 0 && message.id !== undefined ? message.id : randomUUID() };
    if (index >= 0) list[index] = saved;
    else list.push(saved);
    scopes.set(scope, list);
    this.persist();
    return saved;
  }

  delete(scope: string, id: string): void {
    const scopes = this.load();
    const list = scopes.get(scope) ?? [];
    if (!list.some((entry) => entry.id === id)) throw new ApiFailure('not-found', 'That saved message no longer exists; the list was refreshed.');
    scopes.set(
      scope,
      list.filter((entry) => entry.id !== id),
    );
    this.persist();
  }

  /** Drops the messages saved for one profile; those saved for all profiles ('app') stay. */
  forgetScope(scope: string): void {
    if (scope === 'app') return;
    const scopes = this.load();
    if (!scopes.delete(scope)) return;
    this.persist();
  }

  exportJson(scope: string): string {
    const messages = this.list(scope);
    // Bytes (a file's payload, correlation data) travel as { "$bytes": base64 }, as on the wire.
    const document = JSON.parse(toWire({ format: EXPORT_FORMAT, version: FILE_VERSION, exportedAt: new Date().toISOString(), messages })) as unknown;
    return JSON.stringify(document, null, 2);
  }

  importJson(scope: string, json: string): { imported: number; problems: string[] } {
    let document: unknown;
    try {
      document = fromWire(json);
    } catch (error) {
      throw new ApiFailure('invalid-argument', `The file is not valid JSON (${(error as Error).message}). Choose a file exported from Topograph's saved messages.`);
    }
    const entries = Array.isArray(document) ? document : (document as { messages?: unknown } | null)?.messages;
    if (!Array.isArray(entries)) {
      throw new ApiFailure('invalid-argument', 'The file holds no list of saved messages. Choose a file exported from Topograph\'s saved messages.');
    }
    const problems: string[] = [];
    const accepted: SavedMessage[] = [];
    entries.forEach((entry, index) => {
      const label = `Message ${index + 1}${typeof (entry as { name?: unknown })?.name === 'string' ? ` ("${(entry as { name: string }).name}")` : ''}`;
      const parsed = savedMessage.safeParse(entry);
      if (!parsed.success) {
        problems.push(`${label} was skipped: ${describeIssues(parsed.error)}.`);
        return;
      }
      const topicProblem = topicNameProblem(parsed.data.topic, { allowEmpty: parsed.data.properties.topicAlias !== undefined });
      if (topicProblem) {
        problems.push(`${label} was skipped: ${topicProblem}`);
        return;
      }
      // Imported entries get ids of their own, so an import never overwrites what is there.
      accepted.push({ ...parsed.data, id: randomUUID() });
    });
    if (accepted.length > 0) {
      const scopes = this.load();
      scopes.set(scope, [...(scopes.get(scope) ?? []), ...accepted]);
      this.persist();
    }
    return { imported: accepted.length, problems };
  }
}
