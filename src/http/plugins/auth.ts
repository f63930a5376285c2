import type { FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { hashApiKey, isApiKey } from '../../auth/api-keys.js'
import type { TokenClaims, TokenService } from '../../auth/tokens.js'
import { AppError, sentence, type Detail } from '../../errors.js'
import type { Store } from '../../domain/store.js'
import type { ApiKey } from '../../domain/users.js'

declare module 'fastify' {
  interface FastifyRequest {
    /** The token's user; set by `app.authenticate` on Bearer routes. */
    user: TokenClaims
    /** What the Bearer was: an access token (JWT) or a personal API key. */
    credential: 'token' | 'api_key'
    /** The API key, when the Bearer was one (`/v1` stores its messages in the key's conversation). */
    apiKey: ApiKey | null
  }
  interface FastifyInstance {
    /** preValidation hook for Bearer routes (401 before any 422): 401 unless the request carries a valid access token or API key. */
    authenticate: (request: FastifyRequest, reply: FastifyReply) => Promise<void>
  }
}

const BEARER = /^Bearer[ ]+([A-Za-z0-9._~+/-]+=*)[ ]*$/i

/**
 * A token is accepted when its signature holds and its account exists now, in this database, with
 * the token version it was issued with (random per account, new at each password change): a
 * deleted account, a password changed since, a database reset or restored to before the account
 * was made, answer 401 `invalid_token`, even where a new account got the same id. One read by
 * primary key per request (measured in `make bench`). A personal API key (`sk-sc-…`) is found by
 * its hash, then its user: two reads; it survives a password change (revoke it to end it).
 */
export default fp<{ tokens: TokenService, users: Pick<Store, 'findUserById' | 'findApiKey'> }>(async (app, { tokens, users }) => {
  app.decorateRequest('user', null as unknown as TokenClaims)
  app.decorateRequest('credential', 'token')
  app.decorateRequest('apiKey', null)
  app.decorate('authenticate', async (request: FastifyRequest) => {
    const header = request.headers.authorization
    const match = header === undefined ? null : BEARER.exec(header)
    if (match === null) {
      throw new AppError('not_authenticated', { headers: { 'www-authenticate': 'Bearer' } })
    }
    const bearer = match[1] as string
    if (isApiKey(bearer)) {
      // Read on every request, so a revoked key (or one of a deleted account) stops at once.
      const key = await users.findApiKey(hashApiKey(bearer))
      const user = key === null ? null : await users.findUserById(key.userId)
      if (user === null) throw invalidToken(undefined, sentence('api_key_invalid'))
      request.user = { userId: user.id, username: user.username, version: user.tokenVersion }
      request.credential = 'api_key'
      request.apiKey = key
      return
    }
    let claims: TokenClaims
    try {
      claims = tokens.verify(bearer)
    } catch (err) {
      throw invalidToken(err)
    }
    const user = await users.findUserById(claims.userId)
    if (user === null || user.tokenVersion !== claims.version) throw invalidToken()
    // The name as it is stored now, not as the token remembers it.
    request.user = { ...claims, username: user.username }
  })
}, { name: 'auth' })

function invalidToken (cause?: unknown, detail?: Detail): AppError {
  return new AppError('invalid_token', { cause, ...(detail === undefined ? {} : { detail }), headers: { 'www-authenticate': 'Bearer error="invalid_token"' } })
}
