import { createHash, randomBytes } from 'node:crypto'

/** Every personal API key starts with this, so a Bearer value is told apart from a JWT at a glance. */
const API_KEY_PREFIX = 'sk-sc-'

/**
 * A new key: 256 random bits after the prefix. It is shown to its owner once; only its hash is kept.
 * A plain SHA-256 (no salt, no slow hash) is enough for 256 random bits, which no one can guess or
 * brute-force, and lets the key be found by its hash through a unique index: no stored secret is
 * ever compared byte by byte in JavaScript, so there is no comparison whose timing could leak.
 */
export function newApiKey (): { key: string, hash: string } {
  const key = API_KEY_PREFIX + randomBytes(32).toString('base64url')
  return { key, hash: hashApiKey(key) }
}

export function hashApiKey (key: string): string {
  return createHash('sha256').update(key).digest('hex')
}

export function isApiKey (bearer: string): boolean {
  return bearer.startsWith(API_KEY_PREFIX)
}
