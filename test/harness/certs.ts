// Certificates made with openssl at test time, so no key material is committed and nothing
// expires in the repository. EC P-256 keys keep generation to a fraction of a second.
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { harnessTempDir, processMemo } from './processes';
import { runTool } from './tools';

/** A certificate and its key, as files (for mosquitto and its clients) and as PEM text (for Node). */
export interface CertPair {
  certPath: string;
  keyPath: string;
  cert: string;
  key: string;
}

export interface HarnessCerts {
  dir: string;
  /** Trust anchor of every valid certificate below. */
  ca: CertPair;
  /** Server cert with SAN DNS:localhost and DNS:broker.test only, so connecting to the IP
   *  without a servername fails the hostname check and `servername: 'broker.test'` passes. */
  server: CertPair;
  /** Same names as `server`, signed by `ca`, but valid only in January 2020. */
  expiredServer: CertPair;
  /** An unrelated CA: trusting it instead of `ca` must fail verification ("unknown CA"). */
  otherCa: CertPair;
  /** Client cert (CN topograph-client) signed by `ca`, for mutual TLS. */
  client: CertPair;
  /** Client cert signed by `otherCa`: a mutual-TLS broker must refuse it. */
  foreignClient: CertPair;
  /** `client`'s key encrypted (PKCS#8, AES-256) with `passphrase`. */
  encryptedClientKey: { path: string; pem: string };
  /** PKCS#12 bundle of `client` cert + key (+ `ca`), protected by `passphrase`. */
  clientP12: { path: string; data: Buffer };
  passphrase: string;
}

const PASSPHRASE = 'topograph-test-passphrase';
const EC_KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
const SERVER_EXT = [
  'basicConstraints=CA:FALSE',
  'keyUsage=critical,digitalSignature,keyEncipherment',
  'extendedKeyUsage=serverAuth',
  'subjectAltName=DNS:localhost,DNS:broker.test',
].join('\n');
const CLIENT_EXT = ['basicConstraints=CA:FALSE', 'keyUsage=critical,digitalSignature', 'extendedKeyUsage=clientAuth'].join('\n');

// Per process, not per module instance: vitest re-imports this file for every test file.
const cache = processMemo('certs-by-dir', () => new Map<string, Promise<HarnessCerts>>());

/** Creates (once per process and directory) the full set of test certificates in `dir`. */
export function makeCerts(dir: string): Promise<HarnessCerts> {
  const key = path.resolve(dir);
  let pending = cache.get(key);
  if (pending === undefined) {
    pending = generate(key);
    // A failed generation must not poison later attempts (e.g. after installing openssl).
    pending.catch(() => cache.delete(key));
    cache.set(key, pending);
  }
  return pending;
}

/**
 * One set of certificates for the whole process, in its own temp dir. The dir stays until the
 * process ends (suites in the same worker share it); the next run sweeps it.
 */
export function sharedCerts(): Promise<HarnessCerts> {
  return processMemo('shared-certs', () => harnessTempDir('certs').then(makeCerts));
}

async function generate(dir: string): Promise<HarnessCerts> {
  await mkdir(dir, { recursive: true });
  const file = (name: string): string => path.join(dir, name);
  await writeFile(file('server.ext'), SERVER_EXT);
  await writeFile(file('client.ext'), CLIENT_EXT);

  const [ca, otherCa] = await Promise.all([
    makeCa(file('ca'), 'Topograph Test CA'),
    makeCa(file('other-ca'), 'Unrelated Test CA'),
  ]);
  const [server, client, foreignClient, expiredServer] = await Promise.all([
    makeLeaf(file('server'), 'localhost', ca, file('server.ext')),
    makeLeaf(file('client'), 'topograph-client', ca, file('client.ext')),
    makeLeaf(file('foreign-client'), 'foreign-client', otherCa, file('client.ext')),
    makeExpiredLeaf(dir, file('server-expired'), ca, file('server.ext')),
  ]);

  const encryptedKeyPath = file('client-encrypted.key');
  await runTool('openssl', ['pkey', '-in', client.keyPath, '-aes256', '-passout', `pass:${PASSPHRASE}`, '-out', encryptedKeyPath]);
  const p12Path = file('client.p12');
  await runTool('openssl', [
    'pkcs12', '-export', '-in', client.certPath, '-inkey', client.keyPath, '-certfile', ca.certPath,
    '-name', 'topograph-client', '-passout', `pass:${PASSPHRASE}`, '-out', p12Path,
  ]);

  return {
    dir,
    ca,
    server,
    expiredServer,
    otherCa,
    client,
    foreignClient,
    encryptedClientKey: { path: encryptedKeyPath, pem: await readFile(encryptedKeyPath, 'utf8') },
    clientP12: { path: p12Path, data: await readFile(p12Path) },
    passphrase: PASSPHRASE,
  };
}

async function readPair(base: string): Promise<CertPair> {
  const certPath = `${base}.pem`;
  const keyPath = `${base}.key`;
  return { certPath, keyPath, cert: await readFile(certPath, 'utf8'), key: await readFile(keyPath, 'utf8') };
}

function serial(): string {
  return `0x${randomBytes(12).toString('hex')}`;
}

async function makeCa(base: string, commonName: string): Promise<CertPair> {
  await runTool('openssl', [
    'req', '-x509', ...EC_KEY, '-keyout', `${base}.key`, '-out', `${base}.pem`, '-days', '3650',
    '-subj', `/CN=${commonName}`, '-set_serial', serial(),
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign',
  ]);
  return readPair(base);
}

async function makeLeaf(base: string, commonName: string, issuer: CertPair, extFile: string): Promise<CertPair> {
  await runTool('openssl', ['req', '-new', ...EC_KEY, '-keyout', `${base}.key`, '-out', `${base}.csr`, '-subj', `/CN=${commonName}`]);
  await runTool('openssl', [
    'x509', '-req', '-in', `${base}.csr`, '-CA', issuer.certPath, '-CAkey', issuer.keyPath, '-set_serial', serial(),
    '-days', '825', '-sha256', '-extfile', extFile, '-out', `${base}.pem`,
  ]);
  return readPair(base);
}

// `openssl x509` (3.0) cannot backdate a certificate; `openssl ca` can, given a throwaway database.
async function makeExpiredLeaf(dir: string, base: string, issuer: CertPair, extFile: string): Promise<CertPair> {
  const db = path.join(dir, 'ca-db');
  await mkdir(db, { recursive: true });
  await writeFile(path.join(db, 'index.txt'), '');
  await writeFile(path.join(db, 'serial'), `${randomBytes(8).toString('hex')}\n`);
  const config = [
    '[ca]', 'default_ca = harness', '[harness]', `database = ${path.join(db, 'index.txt')}`,
    `new_certs_dir = ${db}`, `serial = ${path.join(db, 'serial')}`, 'default_md = sha256',
    'policy = anything', 'unique_subject = no', '[anything]', 'commonName = supplied',
  ].join('\n');
  const configPath = path.join(db, 'ca.cnf');
  await writeFile(configPath, config);
  await runTool('openssl', ['req', '-new', ...EC_KEY, '-keyout', `${base}.key`, '-out', `${base}.csr`, '-subj', '/CN=localhost']);
  await runTool('openssl', [
    'ca', '-batch', '-notext', '-config', configPath, '-cert', issuer.certPath, '-keyfile', issuer.keyPath,
    '-startdate', '20200101000000Z', '-enddate', '20200201000000Z', '-extfile', extFile,
    '-in', `${base}.csr`, '-out', `${base}.pem`,
  ]);
  return readPair(base);
}
