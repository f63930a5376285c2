import type { Store } from '../domain/store.js'
import type { ApiKey } from '../domain/users.js'
import { AppError, sentence } from '../errors.js'

export type KeyConversations = Pick<Store, 'createConversation' | 'linkApiKeyConversation' | 'deleteConversation'>

/**
 * One conversation per API key (SPEC "OpenAI-compatible API"): made on the key's first message and
 * titled with the key's name, made again if the user deleted it. `begin` admits the message to a
 * conversation; if the key's is gone by then (`conversation_not_found`), it is replaced once.
 * Costs nothing once linked: the link is read with the key, and a gone conversation is found by the
 * admission that happens anyway.
 */
export async function inKeyConversation<T> (store: KeyConversations, key: ApiKey, now: number, begin: (conversationId: string) => Promise<T>): Promise<T> {
  const first = key.conversationId ?? await link(store, key, null, now)
  try {
    return await begin(first)
  } catch (err) {
    if (!(err instanceof AppError && err.code === 'conversation_not_found')) throw err
    return await begin(await link(store, key, first, now))
  }
}

/** A new conversation linked to the key in place of `replacing`, or the one another request linked first. */
async function link (store: KeyConversations, key: ApiKey, replacing: string | null, now: number): Promise<string> {
  const created = await store.createConversation(key.userId, key.name, now)
  if (created === null) throw revoked()
  const linked = await store.linkApiKeyConversation(key.id, created.id, replacing)
  if (linked === created.id) return linked
  // Another request linked one first, or the key was revoked meanwhile: the new one, still empty, goes.
  await store.deleteConversation(key.userId, created.id, now)
  if (linked === null) throw revoked()
  return linked
}

function revoked (): AppError {
  return new AppError('invalid_token', { detail: sentence('api_key_invalid'), headers: { 'www-authenticate': 'Bearer error="invalid_token"' } })
}
