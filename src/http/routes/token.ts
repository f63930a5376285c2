import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { decoyHash, verifyPassword } from '../../auth/password.js'
import type { LoginThrottle } from '../../auth/throttles.js'
import type { TokenService } from '../../auth/tokens.js'
import { AppError } from '../../errors.js'
import { errorResponses } from '../../schemas/common.js'
import { TokenBodySchema, TokenSchema } from '../../schemas/auth.js'
import type { Store } from '../../domain/store.js'
import { clientAddress } from '../client-address.js'

export interface TokenRoutesOptions { store: Store, tokens: TokenService, throttle: LoginThrottle, clock: () => number }

const tokenRoutes: FastifyPluginAsyncTypebox<TokenRoutesOptions> = async (app, { store, tokens, throttle, clock }) => {
  app.post('/token', {
    schema: {
      tags: ['users'],
      summary: 'Log in (OAuth2 password flow)',
      description: 'Send `username` and `password` as `application/x-www-form-urlencoded` (or JSON). A wrong name and a wrong password get the same 401.',
      consumes: ['application/x-www-form-urlencoded', 'application/json'],
      body: TokenBodySchema,
      response: { 200: TokenSchema, ...errorResponses(400, 401, 413, 415, 422, 429) }
    }
  }, async (request) => {
    const { username, password } = request.body
    const user = await throttle.attempt(username, clientAddress(request.ip), async () => {
      const found = await store.findUser(username)
      // Verify against a decoy when the name is unknown, so both failures take the same time.
      const valid = await verifyPassword(password, found?.passwordHash ?? await decoyHash)
      return valid ? found : null
    })
    if (user === null) throw new AppError('invalid_credentials', { headers: { 'www-authenticate': 'Bearer' } })
    return {
      access_token: tokens.issue({ userId: user.id, username: user.username, version: user.tokenVersion }, clock()),
      token_type: 'bearer' as const,
      expires_in: tokens.ttlSeconds
    }
  })
}

export default tokenRoutes
