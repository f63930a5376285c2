import type { BrowserContextOptions } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import {
  DESKTOP, PHONE, answer, conversation, logInInPage, registerAndWait, registerInPage, sendInPage, settled, text, useWebPages, type OpenedPage
} from '../helpers/browser.js'

// How the page explains failures: the forms, providers that fail, limits with a countdown,
// expired sessions.

// After each test, useWebPages fails it if its page logged any `problems`.
const web = useWebPages()

/** `web.open`, then loads the page. */
async function open (options: BrowserContextOptions, env: Record<string, string> = {}): Promise<OpenedPage> {
  const opened = await web.open(options, env)
  await opened.page.goto('/')
  return opened
}

describe('the page explains what went wrong', () => {
  it('on the forms: a taken name, an invalid name, a wrong password', async () => {
    const { page, screenshot } = await open(PHONE)
    await web.app.signUp('eric')

    await registerInPage(page, 'ERIC')
    await expect.poll(() => text(page, '#register-error')).toBe('This username is already taken (names are the same whatever their case). Choose another one.')
    expect(await page.evaluate('document.activeElement.id')).toBe('register-username')
    expect(await page.locator('#register-username').getAttribute('aria-invalid')).toBe('true')

    await page.locator('#register-username').fill('李 雷')
    await page.locator('#register-form').getByRole('button', { name: 'Create account' }).click()
    await expect.poll(() => text(page, '#register-error')).toBe('Choose a username of 3–32 characters using only a–z, A–Z, 0–9, "_", "." or "-" (no spaces).')
    await screenshot('phone-6-register-error')

    await page.getByRole('button', { name: 'Log in' }).click() // "Already registered? Log in"
    await logInInPage(page, 'eric', 'wrong password')
    await expect.poll(() => text(page, '#login-error')).toBe('Incorrect username or password.')
    await logInInPage(page, 'eric')
    await expect.poll(() => text(page, '#who')).toBe('eric')
  })

  it('when the provider fails, the message is marked, its text handed back, and nothing counted', async () => {
    const { page, screenshot } = await open(DESKTOP)
    await registerAndWait(page, 'eric')
    web.app.upstream.behave(() => ({ kind: 'status', status: 500 }))
    await sendInPage(page, '你在吗？')
    await settled(page)
    await expect.poll(() => text(page, '#chat-error-text')).toMatch(/^The AI provider returned an error, so there is no reply\. It did not count against your limits\. \(.+\)$/)
    expect(await page.locator('#chat-error').getAttribute('role')).toBe('alert')
    expect(await conversation(page)).toEqual(['user: 你在吗？'])
    expect(await page.locator('.msg.user .meta').textContent()).toContain('No reply')
    expect(await page.getByRole('textbox', { name: 'Message' }).inputValue()).toBe('你在吗？')
    await expect.poll(() => text(page, '#usage-text')).toBe('0 / 20 today')
    await screenshot('desktop-7-provider-error')

    // Too long, blank, and no network: each said plainly, nothing lost.
    await page.route('**/llm/message', (route) => route.abort('internetdisconnected'))
    await sendInPage(page, 'anyone there?')
    await expect.poll(() => text(page, '#chat-error-text')).toBe('Cannot reach the server. Check your connection and try again.')
    expect(await page.getByRole('textbox', { name: 'Message' }).inputValue()).toBe('anyone there?')
    await page.unroute('**/llm/message')
    await sendInPage(page, '   ')
    await expect.poll(() => text(page, '#chat-error-text')).toBe('Write a message first.')

    // Back to normal: the error clears with the next reply.
    web.app.upstream.behave(answer(() => '在的 🙂'))
    await sendInPage(page, '你在吗？')
    await settled(page)
    expect(await page.locator('#chat-error').isHidden()).toBe(true)
  })

  it('says a message is too long, and that chat is not configured', async () => {
    const { page } = await open(DESKTOP, { MAX_MESSAGE_CHARS: '10', LLM_BASE_URL: 'https://openrouter.ai/api/v1', LLM_API_KEY: '' })
    await registerAndWait(page, 'eric')
    await sendInPage(page, 'x'.repeat(11))
    await expect.poll(() => text(page, '#chat-error-text')).toBe('Your message is too long: The message is longer than 10 characters. Shorten it and try again.')
    await sendInPage(page, 'short')
    await expect.poll(() => text(page, '#chat-error-text')).toMatch(/^Chat is not available yet: the server has no AI provider configured\./)
    expect(await conversation(page)).toEqual([])
  })

  it('counts down to midnight when the daily limit refuses, across a reload', async () => {
    const { page, screenshot } = await open(PHONE, { DAILY_MESSAGE_LIMIT: '1' })
    web.app.upstream.behave(answer(() => 'ok'))
    await registerAndWait(page, 'eric')
    await sendInPage(page, 'first')
    await settled(page)
    await sendInPage(page, 'second')
    await page.locator('#limit').waitFor()
    // Counting down the time to midnight UTC on the app's clock.
    const now = new Date(web.app.clock.now)
    const toMidnight = (Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1) - web.app.clock.now) / 1000
    const shown = async () => (await text(page, '#countdown') ?? '').split(':').reduce((total, part) => total * 60 + Number(part), 0)
    // The reset as a clock time on the page's own clock (the browser runs in UTC here).
    const resets = [0, 60_000].map((slack) => new Intl.DateTimeFormat('en-GB', { weekday: 'short', hour: '2-digit', minute: '2-digit', timeZone: 'UTC' })
      .format(Date.now() + toMidnight * 1000 - slack))
    expect(resets.map((at) => `You have reached today's message limit. It resets at ${at}.`)).toContain(await text(page, '#limit-text'))
    expect(await text(page, '#countdown')).toMatch(/^(\d{1,2}:)?[0-5]?\d:[0-5]\d$/)
    // The count runs down in real time from the refusal; a minute of slack for a loaded machine
    // still tells the app's clock from the browser's (days apart).
    expect(toMidnight - await shown()).toBeGreaterThanOrEqual(0)
    expect(toMidnight - await shown()).toBeLessThan(60)
    expect(await page.locator('#send').isDisabled()).toBe(true)
    await screenshot('phone-4-daily-limit')

    await page.reload()
    await page.locator('#limit').waitFor()
    expect(toMidnight - await shown()).toBeLessThan(60)
    expect(await page.getByRole('textbox', { name: 'Message' }).inputValue()).toBe('second')
  })

  it('sends you back to log in when the server says the token expired, keeping your draft', async () => {
    const { page, screenshot } = await open(PHONE, { ACCESS_TOKEN_TTL_MINUTES: '1' })
    web.app.upstream.behave(answer(() => 'ok'))
    await registerAndWait(page, 'eric')
    // The page's own first requests (status, conversations) must be answered before the server's clock
    // moves, or one of them meets the expired token first and the box is gone before the test types.
    await page.waitForLoadState('networkidle')
    // The server's clock moves past the 1-minute token, long before the page's own timer expects it.
    web.app.clock.advance(61_000)
    await sendInPage(page, 'are you still there?')
    await expect.poll(() => text(page, '#auth-status')).toBe('Your session has expired. Please log in again.')
    expect(await page.locator('#login-username').inputValue()).toBe('eric')
    expect(await page.evaluate('document.activeElement.id')).toBe('login-password')
    await screenshot('phone-7-session-expired')
    web.app.clock.now = Date.now()
    await page.locator('#login-password').fill('correct horse battery')
    await page.keyboard.press('Enter')
    await expect.poll(() => page.getByRole('textbox', { name: 'Message' }).inputValue()).toBe('are you still there?')
  })

  it('logs out by itself when the token expires', async () => {
    const { page } = await web.open(DESKTOP, { ACCESS_TOKEN_TTL_MINUTES: '1' })
    await page.clock.install()
    await page.goto('/')
    await registerAndWait(page, 'eric')
    await page.clock.fastForward('00:50')
    expect(await page.locator('#chat-view').isVisible()).toBe(true)
    await page.clock.fastForward('00:11')
    await expect.poll(() => text(page, '#auth-status')).toBe('Your session has expired. Please log in again.')
    expect(await page.locator('#chat-view').isHidden()).toBe(true)
    expect(await page.evaluate("localStorage.getItem('simple-chat.session')")).toBeNull()
  })
})
