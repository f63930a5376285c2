import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { axeViolations } from '../helpers/axe.js'
import { launchBrowser, logInInPage, openPage, startWebApp, type WebApp } from '../helpers/browser.js'

// No layout can lose the screen: with 200 long messages on the page, at desktop and phone size, in
// light and dark, the document itself never scrolls (only the conversation does), whatever the
// reader does: the wheel over the margin, End, Page Down, a focus far down.

let browser: Browser
let app: WebApp

const long = (i: number) => i % 2 === 0
  ? `Message ${i}: ${'a long line of words that wraps across the bubble '.repeat(60)}`
  : `Message ${i}\n${Array.from({ length: 40 }, (_, line) => `- point ${line + 1}`).join('\n')}`

beforeAll(async () => {
  browser = await launchBrowser()
  app = await startWebApp({ DAILY_MESSAGE_LIMIT: '1000' })
  app.upstream.behave((request) => ({ kind: 'reply', text: long(Number(/Message (\d+)/.exec(request.body.messages?.at(-1)?.content ?? '')?.[1] ?? 0) + 1) }))
  const token = await app.signUp('scroller')
  for (let i = 0; i < 200; i += 2) {
    expect((await app.chat(token, long(i))).statusCode).toBe(200)
    app.clock.advance(11_000)
  }
})
afterAll(async () => {
  await browser?.close()
  await app?.close()
})

const VIEWS = [
  { name: 'desktop', viewport: { width: 1440, height: 900 } },
  { name: 'phone', viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 }
] as const

describe('the layout', () => {
  for (const { name, ...size } of VIEWS) {
    for (const colorScheme of ['light', 'dark'] as const) {
      it(`keeps the document still with 200 long messages (${name}, ${colorScheme})`, async () => {
        const { page, problems, context, screenshot } = await openPage(browser, app.url, { ...size, colorScheme })
        try {
          await page.goto('/')
          await logInInPage(page, 'scroller')
          const count = () => page.locator('#messages .msg').count()
          await expect.poll(count).toBe(30)
          // Page in everything, as a reader scrolling up would.
          while (await count() < 200) {
            const before = await count()
            await page.evaluate("document.getElementById('log').scrollTop = 0")
            await expect.poll(count).toBeGreaterThan(before)
          }
          const documentScroll = async () => await page.evaluate(`({
            height: document.documentElement.scrollHeight, viewport: window.innerHeight,
            width: document.documentElement.scrollWidth, viewportWidth: window.innerWidth,
            y: window.scrollY, bodyHeight: document.body.scrollHeight
          })`) as { height: number, viewport: number, width: number, viewportWidth: number, y: number, bodyHeight: number }
          const still = { height: size.viewport.height, viewport: size.viewport.height, width: size.viewport.width, viewportWidth: size.viewport.width, y: 0, bodyHeight: size.viewport.height }
          expect(await documentScroll()).toEqual(still)

          // The wheel over the margin (or the top bar), End and Page Down on the page itself.
          await page.mouse.move(3, size.viewport.height / 2)
          await page.mouse.wheel(0, 20_000)
          await page.mouse.move(size.viewport.width / 2, 10)
          await page.mouse.wheel(0, 20_000)
          await page.evaluate('document.activeElement.blur()')
          await page.keyboard.press('End')
          await page.keyboard.press('PageDown')
          await page.locator('#messages .msg').nth(100).locator('button').first().focus()
          expect(await documentScroll()).toEqual(still)
          // The conversation itself does scroll.
          expect(await page.evaluate("document.getElementById('log').scrollHeight")).toBeGreaterThan(size.viewport.height * 20)
          await screenshot(`${name}-${colorScheme}-200-messages`)
          expect(await axeViolations(page)).toEqual([])
          expect(problems).toEqual([])
        } finally {
          await context.close()
        }
      })
    }
  }
})
