import fp from 'fastify-plugin'
import helmet from 'helmet'

/**
 * Helmet's standard security headers on every response; its default CSP allows only the app's own
 * scripts and styles. The middleware is built once: @fastify/helmet builds it anew on every request,
 * which cost about 4% of a chat's CPU under load.
 *
 * Plain HTTP stays plain: HSTS and `upgrade-insecure-requests` go only with requests that came over
 * HTTPS, directly or per a trusted proxy's `X-Forwarded-Proto` (Fastify's `request.protocol`).
 * Otherwise a page opened at http://<LAN address> has the browser fetch its own scripts and styles
 * over HTTPS, which is not there, and shows blank; and HSTS would pin a name to HTTPS it lacks.
 * (Cross-Origin-Opener-Policy too, which browsers ignore there.)
 */
export default fp(async (app) => {
  const overHttps = helmet()
  const overHttp = helmet({
    strictTransportSecurity: false,
    // Browsers ignore it on an untrustworthy (plain HTTP, not localhost) origin, and say so in the console.
    crossOriginOpenerPolicy: false,
    contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } }
  })
  app.addHook('onRequest', (request, reply, done) => {
    const setHeaders = request.protocol === 'https' ? overHttps : overHttp
    // Helmet ≥ 8.1 throws rather than passing errors on; none is expected from fixed options.
    setHeaders(request.raw, reply.raw, () => { done() })
  })
}, { name: 'security-headers' })

/**
 * Swagger UI's own CSP (`staticCSP`) without `upgrade-insecure-requests`, which it adds
 * unconditionally: the docs load only same-origin, relative assets, so over HTTPS the directive
 * changes nothing, and over plain HTTP it breaks the page.
 */
export function withoutUpgrade (csp: string | string[]): string {
  return [csp].flat().join(';').split(';').map((directive) => directive.trim())
    .filter((directive) => directive !== '' && directive.toLowerCase() !== 'upgrade-insecure-requests').join('; ')
}
