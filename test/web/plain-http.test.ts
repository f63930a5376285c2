import { networkInterfaces } from 'node:os'
import type { Browser } from 'playwright-core'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser, openPage } from '../helpers/browser.js'
import { startTestApp, type TestApp } from '../helpers/app.js'

// Plain HTTP stays plain: no response asks the browser to upgrade to HTTPS unless the request came
// over HTTPS. The page and the docs must work when opened through a LAN address, not only localhost
// (which browsers never upgrade).

/** A non-loopback IPv4 address of this machine, if it has one. */
const LAN = Object.values(networkInterfaces()).flat().find((entry) => entry?.family === 'IPv4' && !entry.internal)?.address

/** A computed style property of an element, read in the page (the tests compile without the DOM's types). */
const computed = (element: unknown, property: string): string => {
  const { getComputedStyle } = globalThis as unknown as { getComputedStyle: (el: unknown) => Record<string, string> }
  return getComputedStyle(element)[property] ?? ''
}

let t: TestApp
afterEach(async () => { await t?.close() })

const PATHS = ['/', '/docs', '/docs/', '/docs/static/index.css', '/openapi.json', '/healthz', '/no/such/page', '/token']

describe('over plain HTTP', () => {
  it.each([
    ['no forwarded header', {}],
    ['X-Forwarded-Proto: https from a client no proxy setting trusts', { 'x-forwarded-proto': 'https' }]
  ])('no HSTS and no upgrade-insecure-requests (%s)', async (_name, headers) => {
    t = await startTestApp()
    for (const url of PATHS) {
      const res = await t.inject({ method: 'GET', url, headers })
      expect(res.headers['strict-transport-security'], url).toBeUndefined()
      expect(String(res.headers['content-security-policy'] ?? ''), url).not.toMatch(/upgrade-insecure-requests/i)
      // The rest of the security headers stay.
      expect(res.headers['x-content-type-options'], url).toBe('nosniff')
    }
  })
})

describe('over HTTPS, per a trusted proxy\'s X-Forwarded-Proto (TRUST_PROXY)', () => {
  it('sends HSTS and upgrade-insecure-requests; the same header from an address not trusted changes nothing', async () => {
    t = await startTestApp({ env: { TRUST_PROXY: '127.0.0.1' } })
    const secure = await t.inject({ method: 'GET', url: '/healthz', headers: { 'x-forwarded-proto': 'https' } })
    expect(secure.headers['strict-transport-security']).toMatch(/max-age=\d+/)
    expect(secure.headers['content-security-policy']).toMatch(/upgrade-insecure-requests/)
    const plain = await t.inject({ method: 'GET', url: '/healthz' })
    expect(plain.headers['strict-transport-security']).toBeUndefined()
    const spoofed = await t.inject({ method: 'GET', url: '/healthz', remoteAddress: '203.0.113.9', headers: { 'x-forwarded-proto': 'https' } })
    expect(spoofed.headers['strict-transport-security']).toBeUndefined()
    expect(String(spoofed.headers['content-security-policy'])).not.toMatch(/upgrade-insecure-requests/)
  })
})

describe.skipIf(LAN === undefined)(`the docs in Chromium through a LAN address (${LAN ?? 'none on this machine'})`, () => {
  let browser: Browser
  beforeAll(async () => { browser = await launchBrowser() })
  afterAll(async () => { await browser?.close() })

  it('Swagger UI renders its operations and the chat page its form, every asset loaded over plain HTTP', async () => {
    t = await startTestApp()
    const url = await t.app.listen({ host: LAN, port: 0 })
    const { page, problems, context } = await openPage(browser, url)
    const schemes = new Set<string>()
    page.on('request', (request) => schemes.add(new URL(request.url()).protocol))
    try {
      await page.goto('/docs/')
      await expect.poll(() => page.locator('.opblock').count(), { timeout: 45_000 }).toBeGreaterThan(5)
      // The stylesheet applied: Swagger UI's own layout, not an unstyled page.
      expect(await page.locator('.swagger-ui .info .title').evaluate(computed, 'fontSize')).not.toBe('16px')
      await page.goto('/')
      await expect.poll(() => page.getByRole('button', { name: 'Create an account' }).isVisible()).toBe(true)
      expect(await page.locator('body').evaluate(computed, 'fontFamily')).not.toMatch(/^"?Times/)
      expect([...schemes]).toEqual(['http:'])
      // Swagger UI sets a few inline styles its own CSP does not allow (as on localhost): not this issue's.
      expect(problems.filter((p) => !/Applying inline style violates/.test(p))).toEqual([])
    } finally {
      await context.close()
    }
  })
})
