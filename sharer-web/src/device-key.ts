// This browser's device key (DESIGN §6, device trust): an ECDSA P-256 key pair made by WebCrypto with a
// NON-extractable private half, kept in IndexedDB for this origin. Script can ask it to sign but can never
// read it out, so a copied profile export or an XSS cannot carry the key to another machine as bytes.
import type { DeviceProof } from '#protocol/policy.js';

const dbName = 'remote-help-device';
const storeName = 'device-key';
const recordKey = 'current';

export interface StoredDeviceKey {
  deviceId: string;
  keyPair: CryptoKeyPair;
  enrolledAt: string;
}

const algorithm = { name: 'ECDSA', namedCurve: 'P-256' } as const;

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('IndexedDB request failed'));
  });
}

async function openDb(): Promise<IDBDatabase | null> {
  if (typeof indexedDB === 'undefined') return null;
  const open = indexedDB.open(dbName, 1);
  open.onupgradeneeded = () => {
    if (!open.result.objectStoreNames.contains(storeName)) open.result.createObjectStore(storeName);
  };
  return request(open);
}

async function withStore<T>(mode: IDBTransactionMode, use: (store: IDBObjectStore) => IDBRequest<T>): Promise<T | null> {
  const db = await openDb();
  if (!db) return null;
  try {
    return await request(use(db.transaction(storeName, mode).objectStore(storeName)));
  } finally {
    db.close();
  }
}

function isStored(v: unknown): v is StoredDeviceKey {
  const r = v as Partial<StoredDeviceKey> | null | undefined;
  return typeof r?.deviceId === 'string' && r.keyPair?.privateKey instanceof CryptoKey && r.keyPair.publicKey instanceof CryptoKey;
}

/** The enrolled key of this browser profile, or null (never enrolled, storage off, or unreadable). */
export async function loadDeviceKey(): Promise<StoredDeviceKey | null> {
  try {
    const found: unknown = await withStore('readonly', (s) => s.get(recordKey));
    return isStored(found) ? found : null;
  } catch {
    return null;
  }
}

/** CryptoKey objects are structured-cloneable: IndexedDB keeps the key itself, not its bytes. */
export async function saveDeviceKey(record: StoredDeviceKey): Promise<void> {
  await withStore('readwrite', (s) => s.put(record, recordKey));
}

export function generateDeviceKeyPair(): Promise<CryptoKeyPair> {
  return crypto.subtle.generateKey(algorithm, false /* private half non-extractable */, ['sign', 'verify']);
}

/** The public half as JWK (public keys stay exportable whatever the pair's flag). */
export async function publicKeyJwk(keyPair: CryptoKeyPair): Promise<JsonWebKey> {
  return crypto.subtle.exportKey('jwk', keyPair.publicKey);
}

function base64url(bytes: ArrayBuffer): string {
  let binary = '';
  for (const b of new Uint8Array(bytes)) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** ECDSA P-256 / SHA-256 over the UTF-8 challenge; WebCrypto answers IEEE P1363 (r||s), as the relay expects. */
export async function signChallenge(key: StoredDeviceKey, challenge: string): Promise<DeviceProof> {
  const signature = await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, key.keyPair.privateKey, new TextEncoder().encode(challenge));
  return { deviceId: key.deviceId, challenge, signature: base64url(signature) };
}

/** What session:join sends along when this browser is enrolled; undefined means "join as unenrolled". */
export type DeviceProver = (askChallenge: () => Promise<string | null>) => Promise<DeviceProof | undefined>;

export const proveWithStoredKey: DeviceProver = async (askChallenge) => {
  try {
    const key = await loadDeviceKey();
    if (!key) return undefined;
    const challenge = await askChallenge();
    return challenge ? await signChallenge(key, challenge) : undefined;
  } catch {
    // A broken key store must not keep anyone from getting help: the helper then sees "not enrolled".
    return undefined;
  }
};
