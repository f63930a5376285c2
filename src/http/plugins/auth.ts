import type { FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import type { TokenClaims, TokenService } from '../../auth/tokens.js'
import { AppError } from '../../errors.js'
import type { Store } from '../../storage/store.js'

declare module 'fastify' {
  interface FastifyRequest {
    /** The token's user; set by `app.authenticate` on Bearer routes. */
    user: TokenClaims
  }
  interface FastifyInstance {
    /** preValidation hook for Bearer routes (401 before any 422): 401 unless the request carries a valid access token. */
    authenticate: (request: FastifyRequest, reply: FastifyReply) => Promise<void>
  }
}

const BEARER = /^Bearer[ ]+([A-Za-z0-9._~+/-]+=*)[ ]*$/i

/**
 * A token is accepted when its signature holds and its account exists now, in this database, with
 * the token version it was issued with (random per account, new at each password change): a
 * deleted account, a password changed since, a database reset or restored to before the account
 * was made, answer 401 `invalid_token`, even where a new account got the same id. One read by
 * primary key per request (measured in `make bench`).
 */
export default fp<{ tokens: TokenService, users: Pick<Store, 'findUserById'> }>(async (app, { tokens, users }) => {
  app.decorateRequest('user', null as unknown as TokenClaims)
  app.decorate('authenticate', async (request: FastifyRequest) => {
    const header = request.headers.authorization
    const match = header === undefined ? null : BEARER.exec(header)
    if (match === null) {
      throw new AppError('not_authenticated', { headers: { 'www-authenticate': 'Bearer' } })
    }
    let claims: TokenClaims
    try {
      claims = tokens.verify(match[1] as string)
    } catch (err) {
      throw invalidToken(err)
    }
    const user = await users.findUserById(claims.userId)
    if (user === null || user.tokenVersion !== claims.version) throw invalidToken()
    // The name as it is stored now, not as the token remembers it.
    request.user = { ...claims, username: user.username }
  })
}, { name: 'auth' })

function invalidToken (cause?: unknown): AppError {
  return new AppError('invalid_token', { cause, headers: { 'www-authenticate': 'Bearer error="invalid_token"' } })
}
