import { describe, expect, it } from 'vitest'
import { axeViolations } from '../helpers/axe.js'
import { PHONE_390, WIDE, answer, registerAndWait, sendInPage, settled, useWebPages } from '../helpers/browser.js'

// Every view of the page at 1440×900 and 390×844, light and dark: no axe-core violation on any,
// and a screenshot of each in .artifacts/screenshots/.

const web = useWebPages()

const REPLY = [
  '## Two ways', '', 'Use **either** of these; see [the docs](https://example.com/).', '',
  '```python', 'def greet(name):', '    return f"Hello, {name}!"  # a comment', '```', '',
  '| way | cost |', '|---|---|', '| walk | free |', '| 坐地铁 | ¥4 |'
].join('\n')

const SIZES = [['wide', WIDE], ['phone', PHONE_390]] as const

describe('every view', () => {
  for (const [size, options] of SIZES) {
    for (const colorScheme of ['light', 'dark'] as const) {
      it(`has no axe-core violation (${size}, ${colorScheme})`, async () => {
        const { page, screenshot } = await web.open({ ...options, colorScheme })
        const check = async (view: string) => {
          expect(await axeViolations(page), view).toEqual([])
          await screenshot(`view-${size}-${colorScheme}-${view}`)
        }
        web.app.upstream.behave(answer(() => REPLY))
        await page.goto('/')
        await page.getByRole('heading', { name: 'Log in' }).waitFor()
        await check('login')
        await page.getByRole('button', { name: 'Create an account' }).click()
        await check('register')
        await page.locator('#show-login').click()

        await registerAndWait(page, `viewer-${size}-${colorScheme}`)
        await sendInPage(page, 'How do I get to the station?')
        await settled(page)
        await check('chat')

        // A refusal: the countdown, and the text handed back.
        for (let i = 0; i < 3; i++) {
          await sendInPage(page, `again ${i}`)
          await settled(page)
        }
        await page.locator('#limit').waitFor()
        await check('limit')

        const toggle = page.getByRole('button', { name: 'Chats' })
        if (await toggle.isVisible()) {
          await toggle.click()
          await page.getByRole('navigation', { name: 'Chats' }).waitFor()
          await check('conversations')
          await page.keyboard.press('Escape')
        }

        await page.getByRole('button', { name: 'Report' }).click()
        await page.locator('#chart-days svg').waitFor()
        await check('report')
        await page.keyboard.press('Escape')
        await page.getByRole('dialog').waitFor({ state: 'hidden' })

        await page.getByRole('button', { name: 'API keys' }).click()
        await page.getByRole('dialog', { name: 'API keys' }).waitFor()
        await check('api-keys')
        await page.keyboard.press('Escape')
        expect(await page.evaluate('document.documentElement.scrollHeight')).toBe(options.viewport?.height)
      })
    }
  }
})
