import { describe, expect, it } from 'vitest'
import { axeViolations } from '../helpers/axe.js'
import { DESKTOP, PHONE_390, answer, conversation, logInInPage, registerAndWait, sendInPage, settled, text, useWebPages } from '../helpers/browser.js'

// What a person does after a reply (or a failure): retry, regenerate, edit and send again, jump
// back to the newest message; the box that grows; the status line; the session across tabs.

const web = useWebPages()

describe('actions on the conversation', () => {
  it('retries a message the provider failed, regenerates the last reply, edits and sends the last message again', async () => {
    const { page, screenshot } = await web.open(DESKTOP)
    await page.goto('/')
    await registerAndWait(page, 'actor')
    web.app.upstream.behave(() => ({ kind: 'status', status: 500 }))
    await sendInPage(page, 'first try')
    await settled(page)
    await expect.poll(() => page.getByRole('button', { name: 'Retry' }).isVisible()).toBe(true)
    await screenshot('desktop-10-retry')

    // Retry: the same text again, as a new message; the box (which had it back) is emptied.
    let n = 0
    web.app.upstream.behave(answer((last) => `reply ${++n} to ${last}`))
    await page.getByRole('button', { name: 'Retry' }).click()
    await settled(page)
    expect(await conversation(page)).toEqual(['user: first try', 'user: first try', 'ai: reply 1 to first try'])
    expect(await page.getByRole('textbox', { name: 'Message' }).inputValue()).toBe('')
    expect(await page.locator('#chat-error').isHidden()).toBe(true)

    // Regenerate: the last message again, a new message for the limits.
    web.app.clock.advance(60_000)
    await page.locator('.msg.ai').last().getByRole('button', { name: 'Regenerate' }).click()
    await settled(page)
    expect((await conversation(page)).slice(-2)).toEqual(['user: first try', 'ai: reply 2 to first try'])
    expect(web.app.upstream.chats.map((c) => c.body.messages?.at(-1)?.content)).toEqual(['first try', 'first try', 'first try'])
    // Only the last reply and the last message carry the buttons.
    expect(await page.getByRole('button', { name: 'Regenerate' }).count()).toBe(1)
    expect(await page.getByRole('button', { name: 'Edit and send again' }).count()).toBe(1)

    // Edit: the last message into the box, focused, to change and send.
    web.app.clock.advance(60_000)
    await page.getByRole('button', { name: 'Edit and send again' }).click()
    expect(await page.getByRole('textbox', { name: 'Message' }).inputValue()).toBe('first try')
    expect(await page.evaluate('document.activeElement.id')).toBe('message')
    await page.keyboard.press('End')
    await page.keyboard.type(', edited')
    await page.keyboard.press('Enter')
    await settled(page)
    expect((await conversation(page)).slice(-2)).toEqual(['user: first try, edited', 'ai: reply 3 to first try, edited'])
    expect(await axeViolations(page)).toEqual([])
  })

  it('offers "Jump to newest" when scrolled away, and grows the message box with its text', async () => {
    const { page, screenshot } = await web.open(PHONE_390, { DAILY_MESSAGE_LIMIT: '1000' })
    const token = await web.app.signUp('reader')
    for (let i = 1; i <= 12; i++) {
      expect((await web.app.chat(token, `question ${i}\n${'and more words '.repeat(20)}`)).statusCode).toBe(200)
      web.app.clock.advance(11_000)
    }
    await page.goto('/')
    await logInInPage(page, 'reader')
    await expect.poll(() => page.locator('#messages .msg').count()).toBe(24)
    const jump = page.getByRole('button', { name: 'Jump to newest' })
    expect(await jump.isHidden()).toBe(true)
    await page.evaluate("document.getElementById('log').scrollTop = 300")
    await jump.waitFor()
    await screenshot('phone-7-jump-newest')
    await jump.click()
    await jump.waitFor({ state: 'hidden' })
    expect(await page.evaluate("(() => { const log = document.getElementById('log'); return log.scrollHeight - log.scrollTop - log.clientHeight })()")).toBeLessThan(2)

    const input = page.locator('#message')
    const height = async () => (await input.boundingBox())?.height ?? 0
    const one = await height()
    await input.fill('one\ntwo\nthree\nfour\nfive')
    const five = await height()
    expect(five).toBeGreaterThan(one * 1.8)
    await input.fill(Array.from({ length: 200 }, (_, i) => `line ${i}`).join('\n'))
    const many = await height()
    expect(many).toBeLessThanOrEqual(844 * 0.4 + 1)
    expect(many).toBeGreaterThan(five)
    expect(await page.evaluate('document.documentElement.scrollHeight')).toBe(844)
    await screenshot('phone-8-grown-box')
  })
})

describe('the session', () => {
  it('survives a reload and a new tab; logging out in one tab logs out the other', async () => {
    const { page, context } = await web.open(DESKTOP)
    await page.goto('/')
    await registerAndWait(page, 'tabby')
    await page.reload()
    await expect.poll(() => text(page, '#who')).toBe('tabby')
    const other = await context.newPage()
    await other.goto('/')
    await expect.poll(() => text(other, '#who')).toBe('tabby')
    expect(await other.locator('#chat-view').isVisible()).toBe(true)
    await other.getByRole('button', { name: 'Log out' }).click()
    await expect.poll(() => text(page, '#auth-status')).toBe('You have logged out.')
    expect(await page.locator('#chat-view').isHidden()).toBe(true)
    expect(await page.evaluate("localStorage.getItem('simple-chat.session')")).toBeNull()
    // And logging in again in one tab brings the other back.
    await logInInPage(other, 'tabby')
    await expect.poll(() => text(page, '#who')).toBe('tabby')
    await other.close()
  })
})
