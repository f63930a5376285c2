import { describe, expect, it } from 'vitest'
import { DESKTOP, answer, registerAndWait, sendInPage, settled, text, useWebPages } from '../helpers/browser.js'
import { gate } from '../helpers/http-client.js'

// The status line (model, today's count against the limit, the burst window) and middle-out's note.

const web = useWebPages()

describe('the status line', () => {
  it('names the model, counts "n / 20 today" as soon as a message is admitted, and says the burst window', async () => {
    const { page, screenshot } = await web.open(DESKTOP, { LLM_MODEL: 'mistralai/mistral-7b-instruct' })
    const { promise: held, open: release } = gate()
    web.app.upstream.behave(answer(() => 'firstlast', { pieces: 2, holdBefore: { 1: held } }))
    await page.goto('/')
    await registerAndWait(page, 'counter')
    await expect.poll(() => text(page, '#usage-text')).toBe('0 / 20 today')
    expect(await text(page, '#model')).toBe('mistralai/mistral-7b-instruct')
    expect(await text(page, '#model-line')).toBe('Model: mistralai/mistral-7b-instruct · at most 3 messages in 30 seconds')
    await sendInPage(page, 'count me')
    // Admitted, reply still streaming: counted already.
    await expect.poll(() => page.locator('.msg.ai .bubble').last().textContent()).toBe('first')
    expect(await text(page, '#usage-text')).toBe('1 / 20 today')
    release()
    await settled(page)
    expect(await text(page, '#usage-text')).toBe('1 / 20 today')
    await screenshot('desktop-11-status')
  })

  it('says what middle-out cut, from what, and still says it after a reload', async () => {
    const { page } = await web.open(DESKTOP, { LLM_CONTEXT_TOKENS: '2048', LLM_MAX_TOKENS: '256', MAX_MESSAGE_CHARS: '200000' })
    web.app.upstream.behave(answer(() => 'noted'))
    await page.goto('/')
    await registerAndWait(page, 'longwriter')
    await page.locator('#message').fill(`${'word '.repeat(6000)}the end`)
    await page.locator('#message').press('Enter')
    await settled(page)
    const said = /^Your message was shortened by [\d,]+ tokens to fit the model's 2,048\.$/
    await expect.poll(() => text(page, '.msg.user .trimmed')).toMatch(said)
    await page.reload()
    await page.locator('.msg.user').waitFor()
    expect(await text(page, '.msg.user .trimmed')).toMatch(said)
  })
})
