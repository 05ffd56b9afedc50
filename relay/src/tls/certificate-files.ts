// The organization's own certificate (DESIGN §11 `tls`), read from the files the configuration names.
// A key that does not belong to the certificate, or a file that cannot be read, stops the start with the
// key's name: a relay that would answer with the wrong certificate is worse than one that does not start.
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';

export interface CertificateFiles {
  certFile: string;
  keyFile: string;
  /** The issuing CA, when the system does not trust it already (an internal PKI). */
  caFile: string | undefined;
}

export interface ServedCertificate {
  key: string;
  cert: string;
  /** The CA to trust for this certificate, when it is not a public one. */
  caCertPath: string | undefined;
}

export class CertificateFilesError extends Error {}

async function readNamed(key: string, path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (e) {
    throw new CertificateFilesError(`tls.${key}: cannot read ${path} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
}

export async function readCertificateFiles(files: CertificateFiles): Promise<ServedCertificate> {
  const [cert, key] = await Promise.all([readNamed('certFile', files.certFile), readNamed('keyFile', files.keyFile)]);
  if (files.caFile) await readNamed('caFile', files.caFile);
  let x509: X509Certificate;
  try {
    x509 = new X509Certificate(cert);
  } catch {
    throw new CertificateFilesError(`tls.certFile: ${files.certFile} holds no PEM certificate`);
  }
  let privateKey;
  try {
    privateKey = createPrivateKey(key);
  } catch {
    throw new CertificateFilesError(`tls.keyFile: ${files.keyFile} holds no PEM private key (an encrypted key is not supported)`);
  }
  if (!x509.checkPrivateKey(privateKey)) {
    throw new CertificateFilesError(`tls.keyFile: ${files.keyFile} is not the key of the certificate in ${files.certFile}`);
  }
  return { key, cert, caCertPath: files.caFile };
}
