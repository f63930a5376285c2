import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { hashPassword } from '../../auth/password.js'
import type { RegistrationLimit } from '../../auth/throttles.js'
import { AppError, sentence } from '../../errors.js'
import { errorResponses } from '../../schemas/common.js'
import { RegisterBodySchema, UserSchema } from '../../schemas/auth.js'
import type { Store } from '../../domain/store.js'
import { clientAddress } from '../client-address.js'

export interface UserRoutesOptions { store: Store, registrations: RegistrationLimit, clock: () => number }

const userRoutes: FastifyPluginAsyncTypebox<UserRoutesOptions> = async (app, { store, registrations, clock }) => {
  app.post('/user/', {
    schema: {
      tags: ['users'],
      summary: 'Create a user',
      description: 'Usernames are unique regardless of case ("Eric" and "eric" are one user); the password is kept only as a salted scrypt hash.',
      body: RegisterBodySchema,
      response: { 201: UserSchema, ...errorResponses(400, 409, 413, 415, 422, 429) }
    }
  }, async (request, reply) => {
    const { username, password } = request.body
    await registrations.admit(clientAddress(request.ip))
    const user = await store.createUser(username, await hashPassword(password), clock())
    if (user === null) throw new AppError('username_taken', { detail: sentence('username_taken_named', { username }) })
    request.log.info({ userId: user.id }, 'user created')
    return reply.code(201).send({ username: user.username, created_at: new Date(user.createdAt).toISOString() })
  })
}

export default userRoutes
