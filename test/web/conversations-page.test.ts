import { describe, expect, it } from 'vitest'
import { axeViolations } from '../helpers/axe.js'
import { PHONE_390, WIDE, answer, conversation, registerAndWait, sendInPage, settled, text, useWebPages } from '../helpers/browser.js'

// The conversation list: new, switch, rename, delete, search by title; beside the chat on a wide
// screen, a panel on a phone. Each conversation is its own thread, for the page and the model.

const web = useWebPages()

const titles = async (page: import('playwright-core').Page) => await page.locator('#conversation-list .conversation-title').allTextContents()
const current = async (page: import('playwright-core').Page) => await text(page, '#conversation-list [aria-current] .conversation-title')

describe('conversations', () => {
  it('starts, switches, renames, searches and deletes conversations; the model sees only the one it is in', async () => {
    const { page, screenshot } = await web.open(WIDE, { DAILY_MESSAGE_LIMIT: '100' })
    web.app.upstream.behave(answer((last) => `about ${last}`))
    await page.goto('/')
    await registerAndWait(page, 'lister')
    await expect.poll(() => text(page, '#conversation-status')).toBe('No conversations yet.')

    await sendInPage(page, 'Plan a trip to Kyoto')
    await settled(page)
    await expect.poll(() => titles(page)).toEqual(['Plan a trip to Kyoto'])
    expect(await current(page)).toBe('Plan a trip to Kyoto')

    // A new chat: an empty thread, first in the list, named by its first message.
    web.app.clock.advance(60_000)
    await page.getByRole('button', { name: 'New chat' }).click()
    await expect.poll(() => titles(page)).toEqual(['New chat', 'Plan a trip to Kyoto'])
    expect(await conversation(page)).toEqual([])
    await sendInPage(page, 'Python exam tips')
    await settled(page)
    await expect.poll(() => titles(page)).toEqual(['Python exam tips', 'Plan a trip to Kyoto'])
    expect(await current(page)).toBe('Python exam tips')
    await screenshot('wide-light-conversations')
    expect(await axeViolations(page)).toEqual([])

    // Switch: that conversation's messages, and the model is sent only its history.
    await page.locator('.conversation-open', { hasText: 'Plan a trip to Kyoto' }).click()
    await expect.poll(() => conversation(page)).toEqual(['user: Plan a trip to Kyoto', 'ai: about Plan a trip to Kyoto'])
    web.app.clock.advance(60_000)
    await sendInPage(page, 'and the food?')
    await settled(page)
    const sent = web.app.upstream.chats.at(-1)?.body.messages?.map((m) => m.content).join('\n') ?? ''
    expect(sent).toContain('Plan a trip to Kyoto')
    expect(sent).not.toContain('Python')
    await expect.poll(() => titles(page)).toEqual(['Plan a trip to Kyoto', 'Python exam tips'])

    // Rename, by keyboard: Enter saves.
    await page.getByRole('button', { name: 'Rename “Plan a trip to Kyoto”' }).click()
    await page.keyboard.press('Control+A')
    await page.keyboard.type('日本旅行 Japan')
    await page.keyboard.press('Enter')
    await expect.poll(() => titles(page)).toEqual(['日本旅行 Japan', 'Python exam tips'])

    // Search by title, any letter case; nothing found is said.
    await page.getByRole('searchbox', { name: 'Search by title' }).fill('JAPAN')
    await expect.poll(() => titles(page)).toEqual(['日本旅行 Japan'])
    await page.getByRole('searchbox', { name: 'Search by title' }).fill('zzz')
    await expect.poll(() => text(page, '#conversation-status')).toBe('No conversation title contains “zzz”.')
    await page.getByRole('searchbox', { name: 'Search by title' }).fill('')
    await expect.poll(() => titles(page)).toEqual(['日本旅行 Japan', 'Python exam tips'])

    // Delete the one on screen, after a confirm: the next one shows.
    await page.getByRole('button', { name: 'Delete “日本旅行 Japan”' }).click()
    expect(await text(page, '.conversation-question')).toBe('Delete “日本旅行 Japan” and its messages? Messages sent today still count.')
    await screenshot('wide-light-conversation-delete')
    await page.locator('.conversation').first().getByRole('button', { name: 'Delete', exact: true }).click()
    await expect.poll(() => titles(page)).toEqual(['Python exam tips'])
    await expect.poll(() => conversation(page)).toEqual(['user: Python exam tips', 'ai: about Python exam tips'])
    expect(await current(page)).toBe('Python exam tips')
  })

  it('is a panel on a phone: opened from "Chats", closed by choosing, Close or Escape', async () => {
    const { page, screenshot } = await web.open({ ...PHONE_390, colorScheme: 'dark' })
    web.app.upstream.behave(answer((last) => `re: ${last}`))
    await page.goto('/')
    await registerAndWait(page, 'thumb')
    await sendInPage(page, 'first topic')
    await settled(page)
    web.app.clock.advance(60_000)
    const toggle = page.getByRole('button', { name: 'Chats' })
    const panel = page.getByRole('navigation', { name: 'Chats' })
    expect(await panel.isHidden()).toBe(true)
    await toggle.click()
    expect(await toggle.getAttribute('aria-expanded')).toBe('true')
    await panel.waitFor()
    expect(await page.evaluate('document.activeElement.id')).toBe('conversation-search')
    await expect.poll(() => titles(page)).toEqual(['first topic'])
    await screenshot('phone-dark-conversations')
    expect(await axeViolations(page)).toEqual([])
    await page.keyboard.press('Escape')
    await panel.waitFor({ state: 'hidden' })
    expect(await page.evaluate('document.activeElement.id')).toBe('conversations-toggle')

    await toggle.click()
    await page.getByRole('button', { name: 'New chat' }).click()
    await panel.waitFor({ state: 'hidden' })
    await sendInPage(page, 'second topic')
    await settled(page)
    await toggle.click()
    await expect.poll(() => titles(page)).toEqual(['second topic', 'first topic'])
    await page.locator('.conversation-open', { hasText: 'first topic' }).click()
    await panel.waitFor({ state: 'hidden' })
    await expect.poll(() => conversation(page)).toEqual(['user: first topic', 'ai: re: first topic'])
    expect(await page.evaluate('document.documentElement.scrollHeight')).toBe(844)
  })
})
