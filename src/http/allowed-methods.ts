import type { FastifyInstance } from 'fastify'
import Router from 'find-my-way'

/**
 * The methods the app answers at a path, for 405 and its `Allow` header: Fastify's router says only
 * "not found". Each route is mirrored into a find-my-way router (the one Fastify itself uses, with
 * the same trailing-slash rule), so a path matches here exactly when some method's route matches.
 * Call before any route is registered.
 */
export function trackAllowedMethods (app: FastifyInstance): (path: string) => string[] {
  const router = Router({ ignoreTrailingSlash: true })
  const methods = new Set<Router.HTTPMethod>()
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat() as Router.HTTPMethod[]) {
      if (router.hasRoute(method, route.url)) continue
      router.on(method, route.url, () => {})
      methods.add(method)
    }
  })
  return (path) => [...methods].filter((method) => router.find(method, path) !== null)
}
