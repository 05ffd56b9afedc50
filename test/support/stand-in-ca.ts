// Each stand-in's own certificate authority, with a name no other CA has. Why not the relay's
// ensureLocalCertificate: every CA it makes is called "Remote Help local CA", and its server
// certificates carry no authority key identifier, so a client that trusts two of them (the relay's
// and a stand-in's, or two stand-ins') lets OpenSSL pick the issuer by name alone — the wrong one half
// of the time, and the handshake fails with "certificate signature failure".
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import forge from 'node-forge';

export interface StandInCertificate {
  key: string;
  cert: string;
  caPem: string;
  caCertPath: string;
}

const day = 24 * 60 * 60 * 1000;

export async function makeStandInCertificate(dir: string, name: string): Promise<StandInCertificate> {
  const ca = newKey();
  const caCert = newCert(ca.publicKey, 30);
  const caSubject = [{ name: 'commonName', value: `Remote Help test ${name} CA ${randomBytes(4).toString('hex')}` }];
  caCert.setSubject(caSubject);
  caCert.setIssuer(caSubject);
  caCert.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  caCert.sign(ca.key, forge.md.sha256.create());

  const server = newKey();
  const cert = newCert(server.publicKey, 30);
  cert.setSubject([{ name: 'commonName', value: '127.0.0.1' }]);
  cert.setIssuer(caSubject);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', serverAuth: true },
    { name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }, { type: 2, value: 'localhost' }] },
    { name: 'authorityKeyIdentifier', keyIdentifier: caCert.generateSubjectKeyIdentifier().getBytes() },
  ]);
  cert.sign(ca.key, forge.md.sha256.create());

  const caPem = forge.pki.certificateToPem(caCert);
  const caCertPath = join(dir, 'ca.pem');
  await writeFile(caCertPath, caPem);
  return { key: server.keyPem, cert: forge.pki.certificateToPem(cert), caPem, caCertPath };
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
  cert.serialNumber = `01${randomBytes(15).toString('hex')}`;
  cert.validity.notBefore = new Date(Date.now() - day);
  cert.validity.notAfter = new Date(Date.now() + validDays * day);
  return cert;
}
