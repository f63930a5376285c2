import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyRequest } from 'fastify'
import { hashPassword, verifyPassword } from '../../auth/password.js'
import type { LoginThrottle } from '../../auth/throttles.js'
import { AppError, sentence } from '../../errors.js'
import { errorResponses } from '../../schemas/common.js'
import { ChangePasswordBodySchema, DeleteAccountBodySchema } from '../../schemas/auth.js'
import type { Store } from '../../domain/store.js'
import { clientAddress } from '../client-address.js'

export interface AccountRoutesOptions { store: Store, throttle: LoginThrottle }

/** The signed-in user's own account: a new password, or its end. Both ask for the password again. */
const accountRoutes: FastifyPluginAsyncTypebox<AccountRoutesOptions> = async (app, { store, throttle }) => {
  /**
   * The password checked as a login would be, throttled with logins (so a stolen token cannot be
   * used to guess the password); 401 when it is wrong.
   */
  const confirm = async (request: FastifyRequest, password: string): Promise<void> => {
    const { userId, username } = request.user
    const user = await throttle.attempt(username, clientAddress(request.ip), async () => {
      const found = await store.findUserById(userId)
      return found !== null && await verifyPassword(password, found.passwordHash) ? found : null
    })
    if (user === null) throw new AppError('invalid_credentials', { detail: sentence('wrong_password') })
  }

  app.post('/user/password', {
    schema: {
      tags: ['users'],
      summary: 'Change your password',
      description: 'Every token issued before the change stops working, this one included: log in again with the new password.',
      security: [{ bearer: [] }],
      body: ChangePasswordBodySchema,
      response: { 204: { type: 'null', description: 'Changed.' }, ...errorResponses(401, 422, 429) }
    },
    preValidation: app.authenticate
  }, async (request, reply) => {
    await confirm(request, request.body.current_password)
    await store.changePassword(request.user.userId, await hashPassword(request.body.new_password))
    request.log.info({ userId: request.user.userId }, 'password changed')
    return await reply.code(204).send(null)
  })

  app.delete('/user/', {
    schema: {
      tags: ['users'],
      summary: 'Delete your account',
      description: 'Removes the account and everything of it: messages, replies, refusals, limits, failed logins. Its tokens stop working and the name can be registered again.',
      security: [{ bearer: [] }],
      body: DeleteAccountBodySchema,
      response: { 204: { type: 'null', description: 'Deleted.' }, ...errorResponses(401, 413, 415, 422, 429) }
    },
    preValidation: app.authenticate
  }, async (request, reply) => {
    await confirm(request, request.body.password)
    await store.deleteUser(request.user.userId)
    request.log.info({ userId: request.user.userId }, 'user deleted')
    return await reply.code(204).send(null)
  })
}

export default accountRoutes
