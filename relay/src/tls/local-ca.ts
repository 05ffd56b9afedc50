// A local certificate authority and a server certificate it signs, made once into the data folder,
// so the relay speaks HTTPS out of the box (MSAL refuses http authorities; getDisplayMedia needs a
// secure context). Production brings its own certificate or a TLS proxy instead. The nodes of a cluster
// (DESIGN §12) serve the same one: in this increment they share one data folder.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import { join } from 'node:path';
import forge from 'node-forge';

export interface LocalCertificate {
  key: string;
  cert: string;
  /** Give this to Node (NODE_EXTRA_CA_CERTS, or `ca`) so it trusts the relay. */
  caCertPath: string;
}

const day = 24 * 60 * 60 * 1000;

export async function ensureLocalCertificate(dataDir: string, hosts: string[]): Promise<LocalCertificate> {
  const dir = join(dataDir, 'tls');
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const paths = {
    caKey: join(dir, 'ca.key'),
    caCert: join(dir, 'ca.pem'),
    key: join(dir, 'server.key'),
    cert: join(dir, 'server.pem'),
  };
  const wanted = [...new Set(['localhost', '127.0.0.1', '::1', ...hosts.filter((h) => h.length > 0)])];

  let ca = await readPair(paths.caKey, paths.caCert);
  if (!ca || !stillValid(ca.cert)) {
    ca = makeCa();
    await writeSecret(paths.caKey, ca.keyPem);
    await writeSecret(paths.caCert, ca.certPem);
  }
  let server = await readPair(paths.key, paths.cert);
  // A server certificate is reissued when it lacks a wanted host, nears expiry, is not the current CA's,
  // or does not name its CA's key (made before that was added: clients trusting two local CAs need it).
  if (!server || !stillValid(server.cert) || !coversHosts(server.cert, wanted) || !issuedBy(server.cert, ca.cert)
    || !server.cert.getExtension('authorityKeyIdentifier')) {
    server = makeServerCert(ca, wanted);
    await writeSecret(paths.key, server.keyPem);
    await writeSecret(paths.cert, server.certPem);
  }
  return { key: server.keyPem, cert: server.certPem, caCertPath: paths.caCert };
}

interface Pair {
  keyPem: string;
  certPem: string;
  key: forge.pki.rsa.PrivateKey;
  cert: forge.pki.Certificate;
}

async function readPair(keyPath: string, certPath: string): Promise<Pair | undefined> {
  try {
    const [keyPem, certPem] = await Promise.all([readFile(keyPath, 'utf8'), readFile(certPath, 'utf8')]);
    return {
      keyPem,
      certPem,
      key: forge.pki.privateKeyFromPem(keyPem),
      cert: forge.pki.certificateFromPem(certPem),
    };
  } catch {
    return undefined; // missing or unreadable: make a new one
  }
}

async function writeSecret(path: string, content: string): Promise<void> {
  await writeFile(path, content, { mode: 0o600 });
  await chmod(path, 0o600); // the mode option does not apply when the file already existed
}

// node:crypto makes the RSA key (fast, native); forge builds and signs the X.509 structures.
function newKey(): { keyPem: string; key: forge.pki.rsa.PrivateKey; publicKey: forge.pki.rsa.PublicKey } {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const keyPem = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
  const key = forge.pki.privateKeyFromPem(keyPem);
  return { keyPem, key, publicKey: forge.pki.setRsaPublicKey(key.n, key.e) };
}

function newCert(publicKey: forge.pki.PublicKey, validDays: number): forge.pki.Certificate {
  const cert = forge.pki.createCertificate();
  cert.publicKey = publicKey;
  cert.serialNumber = certificateSerial(randomBytes(16));
  cert.validity.notBefore = new Date(Date.now() - day);
  cert.validity.notAfter = new Date(Date.now() + validDays * day);
  return cert;
}

/**
 * A certificate serial (hex) from 16 random bytes. Its first byte is 0x01..0x7f: below 0x80 keeps the
 * DER integer positive, and never 0x00, because forge strips only one leading zero byte, so a serial
 * starting 00 00 (1 in 65,536) became a non-minimal integer that OpenSSL refuses ("illegal padding"):
 * the relay then failed to start.
 */
export function certificateSerial(random: Uint8Array): string {
  const first = (random[0]! % 0x7f) + 1;
  return first.toString(16).padStart(2, '0') + Buffer.from(random.subarray(1, 16)).toString('hex');
}

function makeCa(): Pair {
  const { keyPem, key, publicKey } = newKey();
  const cert = newCert(publicKey, 3650);
  // A name of its own: a client that trusts two local CAs (a console that reaches two relays, a relay that
  // calls a provider with its own local CA) finds each server certificate's issuer by name first.
  const subject = [{ name: 'commonName', value: `Remote Help local CA ${randomBytes(4).toString('hex')}` }, { name: 'organizationName', value: 'Remote Help' }];
  cert.setSubject(subject);
  cert.setIssuer(subject);
  cert.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  cert.sign(key, forge.md.sha256.create());
  return { keyPem, certPem: forge.pki.certificateToPem(cert), key, cert };
}

function makeServerCert(ca: Pair, hosts: string[]): Pair {
  const { keyPem, key, publicKey } = newKey();
  // Browsers refuse server certificates valid for more than 398 days.
  const cert = newCert(publicKey, 397);
  cert.setSubject([{ name: 'commonName', value: hosts[0] ?? 'localhost' }]);
  cert.setIssuer(ca.cert.subject.attributes);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', serverAuth: true },
    // Names the CA's key, so a client picks the right issuer even among CAs of the same name.
    { name: 'authorityKeyIdentifier', keyIdentifier: ca.cert.generateSubjectKeyIdentifier().getBytes() },
    { name: 'subjectAltName', altNames: hosts.map((h) => (isIP(h) ? { type: 7, ip: h } : { type: 2, value: h })) },
  ]);
  cert.sign(ca.key, forge.md.sha256.create());
  return { keyPem, certPem: forge.pki.certificateToPem(cert), key, cert };
}

function stillValid(cert: forge.pki.Certificate): boolean {
  return cert.validity.notAfter.getTime() - Date.now() > 30 * day;
}

function issuedBy(cert: forge.pki.Certificate, ca: forge.pki.Certificate): boolean {
  try {
    return ca.verify(cert);
  } catch {
    return false;
  }
}

function coversHosts(cert: forge.pki.Certificate, hosts: string[]): boolean {
  const ext = cert.getExtension('subjectAltName') as { altNames?: { type: number; value?: string; ip?: string }[] } | undefined;
  const names = new Set((ext?.altNames ?? []).map((n) => (n.type === 7 ? normalizeIp(n.ip ?? '') : (n.value ?? '').toLowerCase())));
  return hosts.every((h) => names.has(isIP(h) ? normalizeIp(h) : h.toLowerCase()));
}

function normalizeIp(ip: string): string {
  return ip === '0:0:0:0:0:0:0:1' ? '::1' : ip;
}
