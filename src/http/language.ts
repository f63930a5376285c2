import type { FastifyReply, FastifyRequest } from 'fastify'
import Negotiator from 'negotiator'
import type { Language } from '../errors.js'

// English first: it is the answer when the header is absent, `*`, or names neither language.
const LANGUAGES: Language[] = ['en', 'zh']
// What `Content-Language` says: the Chinese sentences are Simplified Chinese.
const TAGS: Record<Language, string> = { en: 'en', zh: 'zh-Hans' }

/**
 * The language of the request's `Accept-Language` (q-values weighed): `zh`, `zh-CN`, `zh-Hans`
 * and the other Chinese tags give Chinese (Simplified is the one written), anything else English.
 */
export function languageOf (request: FastifyRequest): Language {
  return (new Negotiator(request.raw).language(LANGUAGES) as Language | undefined) ?? 'en'
}

/** Marks a reply whose words follow `Accept-Language`, for the reader and for caches. */
export function speak (reply: FastifyReply, language: Language): FastifyReply {
  const vary = reply.getHeader('vary')
  const already = typeof vary === 'string' ? vary.split(',').map((v) => v.trim().toLowerCase()) : []
  if (!already.includes('accept-language') && !already.includes('*')) {
    reply.header('vary', typeof vary === 'string' && vary !== '' ? `${vary}, Accept-Language` : 'Accept-Language')
  }
  return reply.header('content-language', TAGS[language])
}
