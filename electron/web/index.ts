/**
 * `npm run web`: the engine and the web host in plain Node, for a browser or a script.
 * Built by vite.web.config.ts into out/web/index.js, next to the built renderer in out/renderer.
 */
import { existsSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { version } from '../../package.json';
import { Engine } from '../core/engine';
import { plainSecretBox } from '../core/profiles/secret-box';
import { isWildcardHost } from './auth';
import { parseCli } from './cli';
import { startDemo } from './demo';
import { startWebHost, type WebHost } from './server';

function lanAddresses(port: number, token: string): string[] {
  const out: string[] = [];
  for (const list of Object.values(networkInterfaces())) {
    for (const info of list ?? []) {
      if (!info.internal && info.family === 'IPv4') out.push(`http://${info.address}:${port}/?token=${token}`);
    }
  }
  return out;
}

async function main(argv: string[]): Promise<void> {
  const parsed = parseCli(argv);
  if (parsed.kind === 'help') {
    console.log(parsed.text);
    return;
  }
  if (parsed.kind === 'error') {
    console.error(parsed.message);
    process.exitCode = 2;
    return;
  }
  const { options, warnings } = parsed;
  for (const warning of warnings) console.warn(`\n${warning}\n`);

  const staticDir = fileURLToPath(new URL('../renderer/', import.meta.url));
  if (!existsSync(join(staticDir, 'index.html'))) {
    console.error(`The renderer is not built (${staticDir} has no index.html). Run \`npm run build\`, then start the web host again.`);
    process.exitCode = 1;
    return;
  }

  const engine = new Engine({ dataDir: options.dataDir, host: 'web', version, secretBox: plainSecretBox });
  let host: WebHost;
  try {
    host = await startWebHost({ engine, host: options.host, port: options.port, staticDir });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const cause = error instanceof Error ? error.message : String(error);
    console.error(
      code === 'EADDRINUSE'
        ? `Port ${options.port} is already in use. Choose another with --port, or leave --port out to take a free one.`
        : code === 'EADDRNOTAVAIL'
          ? `This machine has no address ${options.host}. Use 127.0.0.1 (the default) or 0.0.0.0.`
          : `The web host could not start: ${cause}`,
    );
    await engine.close();
    process.exitCode = 1;
    return;
  }

  console.log(`Topograph ${version} web host is running.\n\n  Open: ${host.url}\n`);
  if (isWildcardHost(options.host)) {
    for (const url of lanAddresses(host.port, host.token)) console.log(`  From the network: ${url}`);
  }
  console.log(`  Data: ${options.dataDir}\n  API:  ws://127.0.0.1:${host.port}/rpc (see docs/API.md)\n\nPress Ctrl+C to stop.`);
  if (options.demo) for (const line of await startDemo(engine)) console.log(line);

  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) {
      // A second Ctrl+C means now.
      process.exit(130);
    }
    stopping = true;
    console.log(`\n${signal}: closing connections and flushing the message store...`);
    void host
      .close()
      .then(() => engine.close())
      .then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

void main(process.argv.slice(2));
