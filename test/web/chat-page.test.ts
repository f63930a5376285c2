import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { PAGE_CSP } from '../../src/http/plugins/web.js'
import {
  DESKTOP, PASSWORD, PHONE, answer, conversation, logInInPage, registerAndWait, sendInPage, settled, text, useWebPages, type OpenedPage
} from '../helpers/browser.js'

// The page at `/`, end to end: the real app (SQLite in a temp dir, a real upstream on 127.0.0.1)
// driven by a real headless Chromium. Screenshots go to .artifacts/screenshots/.

// After each test, useWebPages fails it if its page logged any `problems`.
const web = useWebPages()

const userRecords = async (token: string) =>
  (await web.app.get(token, '/user/history/100')).json()
    .filter((r: { type: string }) => r.type === 'user')
const focused = async (page: Page): Promise<string | undefined> => await page.evaluate('document.activeElement?.id')
const overflow = async (page: Page): Promise<number> => await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth')

describe('the chat page', () => {
  it('registers, logs in, chats with streamed replies, hits the burst limit and opens the report', async () => {
    const { page, screenshot } = await web.open(DESKTOP)
    web.app.upstream.behave(answer((last) => `收到 ✅ ${last}`))

    const home = await page.goto('/')
    expect(home?.headers()['content-security-policy']).toBe(PAGE_CSP)
    await page.getByRole('heading', { name: 'Log in' }).waitFor()
    await screenshot('desktop-1-login')

    await registerAndWait(page, 'Eric')
    await expect.poll(() => text(page, '#usage-text')).toBe('0 / 20 today')
    await chatThreeTimes(page)
    await hitBurstLimit(page, screenshot)
    const token = (await web.app.inject({ method: 'POST', url: '/token', payload: { username: 'eric', password: PASSWORD } })).json().access_token
    expect((await userRecords(token)).map((r: { endpoint: string }) => r.endpoint)).toEqual(['message', 'message', 'advanced'])
    await openReport(page, screenshot)

    // Log out, log back in (any case): the conversation is still there.
    await page.getByRole('button', { name: 'Log out' }).click()
    await expect.poll(() => text(page, '#auth-status')).toBe('You have logged out.')
    await logInInPage(page, 'eric')
    await expect.poll(() => text(page, '#who')).toBe('Eric')
    await expect.poll(() => page.locator('#messages .msg').count()).toBe(6)
    await screenshot('desktop-4-history')
  })

  it('works at 360 px wide, by keyboard alone', async () => {
    const { page, screenshot } = await web.open(PHONE)
    web.app.upstream.behave(answer(() => '早上好！☀️ 今天想聊点什么？'))

    await page.goto('/')
    await page.getByRole('heading', { name: 'Log in' }).waitFor()
    expect(await focused(page)).toBe('login-username')
    expect(await overflow(page)).toBe(0)
    await screenshot('phone-1-login')
    await logInWrongThenRegisterByKeyboard(page)
    await chatByKeyboard(page)
    expect(await overflow(page)).toBe(0)
    await screenshot('phone-2-chat')
    await toolbarByKeyboard(page)
    expect(await overflow(page)).toBe(0)
    const svgWidth = Number(await page.locator('#chart-days svg').getAttribute('width'))
    expect(svgWidth).toBeGreaterThan(250)
    expect(svgWidth).toBeLessThanOrEqual(360)
    await screenshot('phone-3-report')
    await page.keyboard.press('Escape')
    expect(await focused(page)).toBe('open-report')
  })

  it('loads earlier history as you scroll up, in order and without repeats', async () => {
    const { page, screenshot } = await web.open(PHONE, { DAILY_MESSAGE_LIMIT: '1000' })
    web.app.upstream.behave(answer((last) => `answer to ${last}`))
    const token = await web.app.signUp('ann')
    for (let i = 1; i <= 40; i++) {
      expect((await web.app.chat(token, `question ${i}`)).statusCode).toBe(200)
      web.app.clock.advance(11_000)
    }
    const all = Array.from({ length: 40 }, (_, i) => [`user: question ${i + 1}`, `ai: answer to question ${i + 1}`]).flat()

    await page.goto('/')
    await logInInPage(page, 'ann')
    await expect.poll(() => page.locator('#messages .msg').count()).toBe(30)
    expect(await conversation(page)).toEqual(all.slice(-30))
    // Opened at the newest message.
    expect(await page.evaluate("(() => { const log = document.getElementById('log'); return log.scrollHeight - log.scrollTop - log.clientHeight })()")).toBeLessThan(2)

    await page.evaluate("document.getElementById('log').scrollTop = 0")
    await expect.poll(() => page.locator('#messages .msg').count()).toBe(60)
    expect(await text(page, '#history-status')).toBe('Loaded 30 earlier messages.')
    // The reader stays where they were rather than jumping to the top.
    expect(await page.evaluate("document.getElementById('log').scrollTop")).toBeGreaterThan(500)
    await screenshot('phone-5-earlier-history')

    // The button does the same, for keyboards. Focused without scrolling: a click would scroll it
    // into view, and the scroll alone loads (racing the click, which a slow machine then loses).
    await page.evaluate("document.getElementById('log').scrollTop = 100")
    await page.evaluate("document.getElementById('load-earlier').focus({ preventScroll: true })")
    expect(await page.evaluate('document.activeElement.textContent')).toBe('Load earlier messages')
    await page.keyboard.press('Enter')
    await expect.poll(() => page.locator('#messages .msg').count()).toBe(80)
    expect(await text(page, '#history-status')).toBe('Loaded 20 earlier messages. This is the start of your conversation.')
    expect(await page.locator('#load-earlier').isHidden()).toBe(true)
    expect(await conversation(page)).toEqual(all)

    // A new message after paging: still one conversation, in order.
    await sendInPage(page, 'question 41')
    await settled(page)
    expect(await conversation(page)).toEqual([...all, 'user: question 41', 'ai: answer to question 41'])
  })

  it('shows a reply as it streams, and keeps what arrived when the stream breaks', async () => {
    const { page, screenshot } = await web.open(DESKTOP)
    // Each piece waits for the test to let it go: every step is seen, however slow the machine.
    let releaseSecond = (): void => {}
    let releaseThird = (): void => {}
    const second = new Promise<void>((resolve) => { releaseSecond = resolve })
    const third = new Promise<void>((resolve) => { releaseThird = resolve })
    web.app.upstream.behave(answer(() => '一二三四五六七八', { pieces: 4, holdBefore: { 1: second, 2: third } }))
    await page.goto('/')
    await registerAndWait(page, 'lin')

    await sendInPage(page, 'count for me')
    const reply = page.locator('.msg.ai .bubble').last()
    await expect.poll(() => reply.textContent()).toBe('一二')
    expect(await page.locator('.msg.ai').last().getAttribute('aria-busy')).toBe('true')
    expect(await page.getByRole('button', { name: 'Stop' }).isVisible()).toBe(true)
    releaseSecond()
    await expect.poll(() => reply.textContent()).toBe('一二三四')
    await screenshot('desktop-5-streaming')
    releaseThird()
    await settled(page)
    expect(await reply.textContent()).toBe('一二三四五六七八')

    // Stop: what arrived stays, marked, and the message box is ready again.
    // The provider goes quiet after the first piece: Stop, not a timer, ends the reply.
    web.app.upstream.behave(answer(() => '慢慢地说很长的一句话', { pieces: 5, stallAfter: 1 }))
    web.app.clock.advance(60_000)
    await sendInPage(page, 'take your time')
    await expect.poll(() => page.locator('.msg.ai .bubble').last().textContent()).toBe('慢慢')
    await page.getByRole('button', { name: 'Stop' }).click()
    await settled(page)
    expect(await page.locator('.msg.ai .bubble').last().textContent()).toBe('慢慢')
    expect(await page.locator('.msg.ai .meta').last().textContent()).toContain('Stopped')
    expect(await page.evaluate('document.activeElement.id')).toBe('message')

    // The provider drops the connection after two pieces: the part stays, marked, with the reason.
    web.app.upstream.behave(() => ({ kind: 'stream', chunks: ['半', '句', '话', '……'], failAfter: 2, delayMs: 100 }))
    web.app.clock.advance(60_000)
    await sendInPage(page, 'again')
    await settled(page)
    expect(await page.locator('.msg.ai .bubble').last().textContent()).toBe('半句')
    expect(await page.locator('.msg.ai .meta').last().textContent()).toContain('Reply cut short')
    await expect.poll(() => text(page, '#chat-error-text')).toMatch(/^The reply was cut off before it finished\. Try again\. \(.+\)$/)
    expect(await page.getByRole('textbox', { name: 'Message' }).inputValue()).toBe('again')
    await screenshot('desktop-6-stream-broke')
  })

  it('shows a whole JSON reply from a server that does not stream', async () => {
    const { page } = await web.open(DESKTOP)
    await page.goto('/')
    await registerAndWait(page, 'old-server')
    await page.route('**/llm/message', (route) => route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify({ response: '整段回复 🙂' }) }))
    await sendInPage(page, 'hi')
    await settled(page)
    expect(await conversation(page)).toEqual(['user: hi', 'ai: 整段回复 🙂'])
  })
})

/** Three messages, the third in caring mode; replies arrive as server-sent events. */
async function chatThreeTimes (page: Page): Promise<void> {
  const streamed = page.waitForResponse((res) => res.url().endsWith('/llm/message'))
  await sendInPage(page, '你好，我叫 Eric 👋🏽')
  expect((await streamed).headers()['content-type']).toMatch(/^text\/event-stream/)
  await settled(page)
  await sendInPage(page, 'What can you do? 🤖')
  await settled(page)
  await page.getByRole('switch', { name: 'Caring mode' }).check()
  await sendInPage(page, '今天有点累 😔')
  await settled(page)
  expect(await conversation(page)).toEqual([
    'user: 你好，我叫 Eric 👋🏽', 'ai: 收到 ✅ 你好，我叫 Eric 👋🏽',
    'user: What can you do? 🤖', 'ai: 收到 ✅ What can you do? 🤖',
    'user: 今天有点累 😔', 'ai: 收到 ✅ 今天有点累 😔'
  ])
  await expect.poll(() => text(page, '#usage-text')).toBe('3 / 20 today')
  expect(await page.locator('.msg.user .badge').allTextContents()).toEqual(['caring'])
}

/** The fourth within 30 s is refused: a countdown, the text kept, nothing sent upstream. */
async function hitBurstLimit (page: Page, screenshot: OpenedPage['screenshot']): Promise<void> {
  await sendInPage(page, 'one more?')
  await page.locator('#limit').waitFor()
  expect(await text(page, '#limit-text')).toBe('You are sending messages too quickly.')
  expect(await text(page, '#countdown')).toMatch(/^0:(30|29|28)$/)
  expect(await page.locator('#limit-announce').textContent()).toMatch(/You can send again in (30|29|28) seconds\./)
  expect(await page.locator('#send').isDisabled()).toBe(true)
  expect(await page.getByRole('textbox', { name: 'Message' }).inputValue()).toBe('one more?')
  expect(await page.locator('.msg.user').count()).toBe(3)
  expect(web.app.upstream.chats).toHaveLength(3)
  await screenshot('desktop-2-burst-limit')
}

/** The report: totals, and activity per day and per hour as SVG bar charts; Escape closes it. */
async function openReport (page: Page, screenshot: OpenedPage['screenshot']): Promise<void> {
  await page.getByRole('button', { name: 'Report' }).click()
  const dialog = page.getByRole('dialog', { name: 'Your chat report' })
  await dialog.locator('#chart-hours svg').waitFor()
  expect(await dialog.locator('#chart-days svg rect').count()).toBe(30)
  expect(await dialog.locator('#chart-hours svg rect').count()).toBe(24)
  expect(await dialog.locator('.stat', { hasText: 'Messages sent' }).locator('dd').textContent()).toBe('3')
  expect(await dialog.locator('.stat', { hasText: 'Refused by limits' }).locator('dd').textContent()).toBe('1')
  expect(await dialog.locator('#chart-hours').getByRole('img').getAttribute('aria-labelledby')).toBe('chart-hours-title chart-hours-desc')
  await screenshot('desktop-3-report')
  await page.evaluate("document.getElementById('report-dialog').scrollTop = 1e6")
  await screenshot('desktop-3b-report-end')
  await dialog.getByLabel('Period').selectOption('7')
  await expect.poll(() => dialog.locator('#chart-days svg rect').count()).toBe(7)
  await page.keyboard.press('Escape')
  await dialog.waitFor({ state: 'hidden' })
  expect(await page.evaluate('document.activeElement.id')).toBe('open-report')
}

/** By keyboard: a wrong login, then on to "Create an account", a password too short, a long enough one. */
async function logInWrongThenRegisterByKeyboard (page: Page): Promise<void> {
  // A wrong login first: the error is announced and the focus goes to the password.
  await page.keyboard.type('mei')
  await page.keyboard.press('Tab')
  expect(await focused(page)).toBe('login-password')
  await page.keyboard.type('not my password')
  await page.keyboard.press('Enter')
  await expect.poll(() => text(page, '#login-error')).toBe('Incorrect username or password.')
  expect(await page.locator('#login-error').getAttribute('role')).toBe('alert')
  expect(await focused(page)).toBe('login-password')

  // Tab on to "Create an account"; the name typed so far comes along.
  await page.keyboard.press('Tab')
  expect(await focused(page)).toBe('') // the "Log in" button has no id
  await page.keyboard.press('Tab')
  expect(await focused(page)).toBe('show-register')
  await page.keyboard.press('Enter')
  expect(await focused(page)).toBe('register-username')
  expect(await page.locator('#register-username').inputValue()).toBe('mei')
  await page.keyboard.press('Tab')
  await page.keyboard.type('short')
  await page.keyboard.press('Enter')
  await expect.poll(() => text(page, '#register-error')).toBe('Choose a password of at least 8 characters.')
  expect(await focused(page)).toBe('register-password')
  await page.keyboard.press('Control+A')
  await page.keyboard.type('a long enough password')
  await page.keyboard.press('Enter')
}

/** Chatting by keyboard: Enter sends, Shift+Enter is a new line. */
async function chatByKeyboard (page: Page): Promise<void> {
  await expect.poll(() => focused(page)).toBe('message')
  await page.keyboard.type('早上好 ☀️')
  await page.keyboard.press('Enter')
  await settled(page)
  await page.keyboard.type('line one')
  await page.keyboard.press('Shift+Enter')
  await page.keyboard.type('line two')
  await page.keyboard.press('Enter')
  await settled(page)
  expect(await conversation(page)).toEqual([
    'user: 早上好 ☀️', 'ai: 早上好！☀️ 今天想聊点什么？', 'user: line one\nline two', 'ai: 早上好！☀️ 今天想聊点什么？'
  ])
}

/** The caring switch and the report, by keyboard: Shift+Tab back through the toolbar. */
async function toolbarByKeyboard (page: Page): Promise<void> {
  // Back through the messages' buttons (Copy on each, Regenerate the last reply, Edit the last
  // message) to the conversation itself (scrollable, focusable).
  const passed: string[] = []
  for (let i = 0; i < 7; i++) {
    await page.keyboard.press('Shift+Tab')
    passed.push(await page.evaluate('document.activeElement.getAttribute("aria-label") ?? document.activeElement.textContent'))
  }
  expect(passed).toEqual(['Regenerate', 'Copy message', 'Edit and send again', 'Copy message', 'Copy message', 'Copy message', 'Conversation'])
  expect(await focused(page)).toBe('log')
  await page.keyboard.press('Shift+Tab')
  expect(await focused(page)).toBe('open-report')
  await page.keyboard.press('Shift+Tab')
  expect(await focused(page)).toBe('caring')
  await page.keyboard.press('Space')
  expect(await page.getByRole('switch', { name: 'Caring mode' }).isChecked()).toBe(true)
  await page.keyboard.press('Tab')
  await page.keyboard.press('Enter')
  await page.locator('#chart-days svg').waitFor()
}
