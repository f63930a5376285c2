import { createSigner, createVerifier } from 'fast-jwt'
import { AppError } from '../errors.js'

const ISSUER = 'simple-chat'
const AUDIENCE = 'simple-chat-api'

/** `version`: the user's `tokenVersion` when the token was issued; the token is good only while it is still theirs. */
export interface TokenClaims { userId: string, username: string, version: string }

export interface TokenService {
  readonly ttlSeconds: number
  issue (claims: TokenClaims, now: number): string
  /** The claims of a valid token; throws `invalid_token` for anything else. */
  verify (token: string): TokenClaims
}

/**
 * HS256 access tokens. Verification pins the algorithm, issuer and audience, so `alg: none`,
 * another algorithm or a token minted for something else is refused; expiry is checked against the
 * app's clock. Verified tokens are cached (fast-jwt's LRU, bounded by their expiry).
 */
export function createTokenService (secret: string, ttlSeconds: number, clock: () => number = Date.now): TokenService {
  const sign = createSigner({ key: secret, algorithm: 'HS256', noTimestamp: true })
  const verify = createVerifier({
    key: secret,
    algorithms: ['HS256'],
    allowedIss: ISSUER,
    allowedAud: AUDIENCE,
    requiredClaims: ['sub', 'exp', 'name', 'ver'],
    // Expiry is checked below against the app's clock, the one tokens are issued with.
    ignoreExpiration: true,
    cache: 10_000
  })

  return {
    ttlSeconds,
    issue ({ userId, username, version }, now) {
      const iat = Math.floor(now / 1000)
      return sign({ sub: userId, name: username, ver: version, iss: ISSUER, aud: AUDIENCE, iat, exp: iat + ttlSeconds })
    },
    verify (token) {
      try {
        const payload = verify(token) as { sub?: unknown, name?: unknown, ver?: unknown, exp?: unknown }
        if (typeof payload.sub !== 'string' || typeof payload.name !== 'string' || typeof payload.ver !== 'string') throw new Error('claims of the wrong type')
        if (typeof payload.exp !== 'number' || payload.exp * 1000 <= clock()) throw new Error('expired')
        return { userId: payload.sub, username: payload.name, version: payload.ver }
      } catch (err) {
        throw new AppError('invalid_token', { cause: err })
      }
    }
  }
}
