import OpenAI from 'openai'
import type { Locator, Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { DESKTOP, PASSWORD, PHONE, registerAndWait, text, useWebPages } from '../helpers/browser.js'

// The page's "API keys" view (src/web/api-keys.js), end to end: the real app and a real headless
// Chromium; the keys it makes are then used by the official openai SDK against the same app.

const web = useWebPages()

const listed = async (page: Page): Promise<string[]> =>
  await page.locator('#api-keys-list .api-key-name').allTextContents()

describe('the API keys view', () => {
  it('makes a key shown once with a copy button, lists it, revokes it; the key works for an OpenAI client until then', async () => {
    const { page, context, screenshot } = await web.open(DESKTOP)
    await context.grantPermissions(['clipboard-read', 'clipboard-write'])
    await page.goto('/')
    await registerAndWait(page, 'Eric')

    await page.getByRole('button', { name: 'API keys' }).click()
    const dialog = page.getByRole('dialog', { name: 'API keys' })
    await expect.poll(() => text(page, '#api-keys-status')).toBe('No keys yet.')
    expect(await text(page, '#api-keys-base')).toBe(`${web.app.url}/v1`)
    await expect.poll(() => text(page, '#api-keys-model')).toBe(web.app.config.LLM_MODEL)
    expect(await page.evaluate('document.activeElement.id')).toBe('api-key-name')

    // Untrusted text stays text: a name that looks like markup is shown as written.
    const tricky = '<img src=x onerror=alert(1)> Open WebUI'
    const key = await makeKey(page, dialog, tricky)
    await screenshot('api-keys-1-created')

    // The key is an OpenAI client's.
    const client = new OpenAI({ apiKey: key, baseURL: `${web.app.url}/v1`, maxRetries: 0 })
    const completion = await client.chat.completions.create({ model: web.app.config.LLM_MODEL, messages: [{ role: 'user', content: 'hi from the SDK' }] })
    expect(completion.choices[0]?.message.content).toBe('Echo: hi from the SDK')

    // Closed and opened again: the key is not shown any more, the list still is.
    await page.keyboard.press('Escape')
    await dialog.waitFor({ state: 'hidden' })
    expect(await page.evaluate('document.activeElement.id')).toBe('open-api-keys')
    await page.getByRole('button', { name: 'API keys' }).click()
    await expect.poll(() => listed(page)).toEqual([tricky])
    expect(await page.locator('#api-key-created').isHidden()).toBe(true)
    expect(await page.locator('#api-key-secret').inputValue()).toBe('')
    await dialog.getByLabel('Name').fill('editor')
    await dialog.getByRole('button', { name: 'Create key' }).click()
    await expect.poll(() => listed(page)).toEqual(['editor', tricky])

    await revokeAfterConfirm(page, dialog, client, tricky, 'editor')
    await screenshot('api-keys-2-revoked')

    // In Chinese, in place.
    await page.locator('#language').selectOption('zh-CN', { force: true })
    await expect.poll(() => text(page, '#api-keys-title')).toBe('接口密钥')
    expect(await page.getByRole('dialog', { name: '接口密钥' }).getByRole('button', { name: '撤销密钥“editor”' }).count()).toBe(1)
    expect(await text(page, '#api-keys-client')).toContain('任何 OpenAI 客户端')
  })

  it('fits a phone, by keyboard; a session that died while it was open goes back to log in', async () => {
    const { page, screenshot } = await web.open(PHONE)
    await page.goto('/')
    await registerAndWait(page, 'mei')
    await page.getByRole('button', { name: 'API keys' }).click()
    await page.keyboard.type('my phone')
    await page.keyboard.press('Enter')
    await expect.poll(() => listed(page)).toEqual(['my phone'])
    expect(await page.evaluate('document.activeElement.id')).toBe('api-key-copy')
    expect(await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth')).toBe(0)
    const box = await page.locator('#api-keys-dialog').boundingBox()
    expect((box?.x ?? -1) >= 0 && (box?.x ?? 0) + (box?.width ?? 1e9) <= 360).toBe(true)
    await screenshot('api-keys-3-phone')

    // The account goes (another tab): the next call ends the session with the reason.
    const token = (await web.app.inject({ method: 'POST', url: '/token', payload: { username: 'mei', password: PASSWORD } })).json<{ access_token: string }>().access_token
    expect((await web.app.inject({ method: 'DELETE', url: '/user/', headers: { authorization: `Bearer ${token}` }, payload: { password: PASSWORD } })).statusCode).toBe(204)
    await page.getByRole('textbox', { name: 'Name' }).fill('another')
    await page.keyboard.press('Enter')
    await page.getByRole('heading', { name: 'Log in' }).waitFor()
    expect(await page.locator('#api-keys-dialog').isVisible()).toBe(false)
    expect(await text(page, '#auth-status')).not.toBe('')
  })
})

/** A name is needed (only spaces is none); `name` makes a key, shown once, listed as written, copied. */
async function makeKey (page: Page, dialog: Locator, name: string): Promise<string> {
  await dialog.getByLabel('Name').fill('   ')
  await dialog.getByRole('button', { name: 'Create key' }).click()
  await expect.poll(() => text(page, '#api-keys-error')).toBe('Give the key a name, so you know later what it is for.')
  expect(await dialog.getByLabel('Name').getAttribute('aria-invalid')).toBe('true')

  await dialog.getByLabel('Name').fill(name)
  await dialog.getByRole('button', { name: 'Create key' }).click()
  const secret = dialog.getByLabel('Your new key. Copy it now: it is not shown again.')
  await expect.poll(() => secret.inputValue()).toMatch(/^sk-sc-/)
  const key = await secret.inputValue()
  expect(await page.locator('#api-keys-error').isHidden()).toBe(true)
  await expect.poll(() => listed(page)).toEqual([name])
  expect(await page.locator('#api-keys-list img').count()).toBe(0)
  await dialog.getByRole('button', { name: 'Copy' }).click()
  await expect.poll(() => text(page, '#api-key-copied')).toBe('Copied.')
  expect(await page.evaluate('navigator.clipboard.readText()')).toBe(key)
  return key
}

/** Revoking `name` asks first: "cancel" keeps it, "OK" revokes it (`other` stays) and its client is refused. */
async function revokeAfterConfirm (page: Page, dialog: Locator, client: OpenAI, name: string, other: string): Promise<void> {
  const revoke = dialog.getByRole('button', { name: `Revoke the key “${name}”` })
  page.once('dialog', (confirm) => { confirm.dismiss().catch(() => {}) })
  await revoke.click()
  expect(await listed(page)).toEqual([other, name])
  expect((await client.models.list()).data).toHaveLength(1)
  const asked: string[] = []
  page.once('dialog', (confirm) => { asked.push(confirm.message()); confirm.accept().catch(() => {}) })
  await revoke.click()
  await expect.poll(() => listed(page)).toEqual([other])
  expect(asked).toEqual([`Revoke the key “${name}”? Clients using it stop working at once.`])
  await expect(client.models.list()).rejects.toBeInstanceOf(OpenAI.AuthenticationError)
}
