import { fileURLToPath } from 'node:url'
import fastifyCompress from '@fastify/compress'
import fastifyStatic from '@fastify/static'
import fp from 'fastify-plugin'
import { AppError, sentence } from '../../errors.js'

/** The page's CSP: everything from this origin, nothing inline (src/web keeps to it). */
export const PAGE_CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

// The page is not compiled: src/web/ is served from the source tree, reached from both
// src/http/plugins/ (tsx) and dist/http/plugins/ (the build), which sit at the same depth; so is
// node_modules/, beside src/ and dist/.
const WEB_ROOT = fileURLToPath(new URL('../../../src/web/', import.meta.url))
const MODULES_ROOT = fileURLToPath(new URL('../../../node_modules/', import.meta.url))

/**
 * The page's libraries, served from node_modules as the browser ES modules (and styles) their
 * packages ship: a fixed list, so nothing else under node_modules can be fetched.
 */
export const VENDOR: Readonly<Record<string, string>> = {
  'marked.js': 'marked/lib/marked.esm.js',
  'purify.js': 'dompurify/dist/purify.es.mjs',
  'highlight.js': '@highlightjs/cdn-assets/es/highlight.min.js',
  // WCAG AA contrast, light and dark (the page follows the system's scheme).
  'highlight-light.css': '@highlightjs/cdn-assets/styles/a11y-light.min.css',
  'highlight-dark.css': '@highlightjs/cdn-assets/styles/a11y-dark.min.css'
}

/**
 * The chat page (src/web) at `/`, one route per file, and its libraries at `/vendor/<name>`, with
 * a strict CSP. Compressed (br/gzip, in this scope only: the chat's event streams must not wait
 * in a compressor's buffer) and revalidated by ETag (`max-age=0`: no build step fingerprints
 * the names, so a browser asks again and gets 304 while a file is unchanged).
 */
export default fp(async (app) => {
  await app.register(async (page) => {
    // zstd is left out: Node 22.15+ offers it (still experimental) and browsers ask for it, so the
    // page would go out br on Node 20 and zstd on 26; br is as small and the same on every Node.
    await page.register(fastifyCompress, { global: true, threshold: 1024, encodings: ['br', 'gzip', 'deflate'] })
    await page.register(fastifyStatic, {
      root: WEB_ROOT,
      wildcard: false,
      globIgnore: ['**/README.md'],
      // Stricter than helmet's default policy; helmet's other headers (security-headers.ts) stay.
      setHeaders (reply) {
        reply.header('content-security-policy', PAGE_CSP)
      }
    })
    page.get<{ Params: { file: string } }>('/vendor/:file', { schema: { hide: true } }, async (request, reply) => {
      const path = Object.hasOwn(VENDOR, request.params.file) ? VENDOR[request.params.file] : undefined
      if (path === undefined) throw new AppError('not_found', { detail: sentence('not_found_at', { method: request.method, path: request.url.split('?')[0] ?? '' }) })
      // `.mjs` is not in every MIME table; a module script must come as JavaScript.
      if (path.endsWith('.mjs')) reply.type('text/javascript; charset=utf-8')
      return await reply.sendFile(path, MODULES_ROOT)
    })
  })
}, { name: 'web' })
