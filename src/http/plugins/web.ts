import { fileURLToPath } from 'node:url'
import fastifyStatic from '@fastify/static'
import fp from 'fastify-plugin'

/** The page's CSP: everything from this origin, nothing inline (src/web keeps to it). */
export const PAGE_CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

// The page is not compiled: src/web/ is served from the source tree, reached from both
// src/http/plugins/ (tsx) and dist/http/plugins/ (the build), which sit at the same depth.
const WEB_ROOT = fileURLToPath(new URL('../../../src/web/', import.meta.url))

/** The chat page (src/web) at `/`, one route per file, with a strict CSP. */
export default fp(async (app) => {
  await app.register(fastifyStatic, {
    root: WEB_ROOT,
    wildcard: false,
    globIgnore: ['**/README.md'],
    decorateReply: false,
    // Stricter than helmet's default policy; helmet's other headers (security-headers.ts) stay.
    setHeaders (reply) {
      reply.header('content-security-policy', PAGE_CSP)
    }
  })
}, { name: 'web' })
