import type { FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import type { TokenClaims, TokenService } from '../../auth/tokens.js'
import { AppError } from '../../errors.js'

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

export default fp<{ tokens: TokenService }>(async (app, { tokens }) => {
  app.decorateRequest('user', null as unknown as TokenClaims)
  app.decorate('authenticate', async (request: FastifyRequest) => {
    const header = request.headers.authorization
    const match = header === undefined ? null : BEARER.exec(header)
    if (match === null) {
      throw new AppError('not_authenticated', { headers: { 'www-authenticate': 'Bearer' } })
    }
    try {
      request.user = tokens.verify(match[1] as string)
    } catch (err) {
      if (err instanceof AppError) err.headers['www-authenticate'] = 'Bearer error="invalid_token"'
      throw err
    }
  })
}, { name: 'auth' })
