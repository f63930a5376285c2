import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { DESKTOP, PASSWORD, PHONE, answer, settled, text, useWebPages, type OpenedPage } from '../helpers/browser.js'

// The page in the browser's language: Chromium set to zh-CN and to en-US goes through every view
// (log in, register, form errors, the chat with notes, a provider failure, the daily limit, the
// report, logged out). In each, a walk over the DOM's text and its spoken attributes finds no word
// of the other language outside what users and the model wrote. Screenshots of both.

const web = useWebPages()

type Catalogue = Record<string, unknown>
const load = async (name: string): Promise<Record<string, string>> =>
  (await import(new URL(`../../src/web/locales/${name}.js`, import.meta.url).href) as { default: Catalogue }).default as Record<string, string>
const CATALOGUES = { 'zh-CN': await load('zh'), en: await load('en') }

/**
 * Every text of the page (text nodes, the title, and the attributes that are read out) that holds
 * a word of the wrong script: Latin words on the Chinese page, Han characters on the English one.
 * Skipped: users' and the model's words ([data-user-content], [translate=no]), parts marked as in
 * another language (the language menu's own names), and what never shows (scripts, noscript).
 */
async function foreignText (page: Page, language: 'zh-CN' | 'en', allowed: string[]): Promise<string[]> {
  // Run in the page (a string: this file is type-checked without the DOM's types).
  return await page.evaluate(`(({ language, allowed }) => {
    const foreign = language === 'en' ? /\\p{Script=Han}/u : /[A-Za-z]{2,}/
    const strip = (s) => allowed.reduce((rest, word) => rest.split(word).join(''), s)
    const exempt = (el) => el === null ||
      el.closest('script, style, noscript, [data-user-content], [translate="no"]') !== null ||
      el.closest('[lang]').lang.slice(0, 2) !== document.documentElement.lang.slice(0, 2)
    const found = []
    const walker = document.createTreeWalker(document.documentElement, NodeFilter.SHOW_TEXT)
    for (let node = walker.nextNode(); node !== null; node = walker.nextNode()) {
      const said = node.textContent ?? ''
      if (!exempt(node.parentElement) && foreign.test(strip(said))) found.push('text: ' + said.trim())
    }
    for (const el of document.querySelectorAll('[title], [aria-label], [placeholder], [aria-valuetext], [alt]')) {
      for (const attr of ['title', 'aria-label', 'placeholder', 'aria-valuetext', 'alt']) {
        const said = el.getAttribute(attr)
        if (said !== null && !exempt(el) && foreign.test(strip(said))) found.push(attr + ': ' + said)
      }
    }
    return found
  })(${JSON.stringify({ language, allowed })})`)
}

/** The font families Chromium actually drew the text of `selector` with (DevTools protocol). */
async function fontsOf (page: Page, selector: string): Promise<string[]> {
  const cdp = await page.context().newCDPSession(page)
  try {
    await cdp.send('DOM.enable')
    await cdp.send('CSS.enable')
    const { root } = await cdp.send('DOM.getDocument')
    const { nodeId } = await cdp.send('DOM.querySelector', { nodeId: root.nodeId, selector })
    const { fonts } = await cdp.send('CSS.getPlatformFontsForNode', { nodeId })
    return fonts.map((font) => font.familyName)
  } finally {
    await cdp.detach()
  }
}

/** Fills the log-in or register form (labels from catalogue `c`) and presses its button. */
async function submit (page: Page, c: Record<string, string>, form: 'login' | 'register', fields: { username?: string, password?: string }): Promise<void> {
  const box = page.locator(`#${form}-form`)
  if (fields.username !== undefined) await box.getByLabel(c['auth.username'] as string).fill(fields.username)
  if (fields.password !== undefined) await box.getByLabel(c['auth.password'] as string).fill(fields.password)
  await box.getByRole('button', { name: c[form === 'login' ? 'auth.login.submit' : 'auth.register.submit'] }).click()
}

/** Registers `username` through the page's form, in the language of catalogue `c`. */
async function register (page: Page, c: Record<string, string>, username: string): Promise<void> {
  if (await page.locator('#register-form').isHidden()) await page.getByRole('button', { name: c['auth.login.toRegister'] }).click()
  await submit(page, c, 'register', { username, password: PASSWORD })
  await expect.poll(() => text(page, '#who')).toBe(username)
}

/** What a tour of the page in one language works with: the page, its catalogue, the check. */
type Tour = OpenedPage & {
  language: 'zh-CN' | 'en'
  c: Record<string, string>
  /** Fails when `view` shows a word of the other language. */
  check: (view: string) => Promise<void>
  shot: string
}

/** Goes through every view of the page in `language`, checking each as it goes. */
async function tour (opened: OpenedPage, language: 'zh-CN' | 'en', shot: string): Promise<void> {
  // Names kept as written in Chinese (see locales/zh.js), and the report's time zone.
  const allowed = language === 'en' ? [] : ['mei', 'AI', 'Enter', 'Shift', 'a–z', 'A–Z', 'LLM_API_KEY', 'LLM_BASE_URL', '/llm/message/advanced', 'UTC']
  const check = async (view: string) => {
    expect(await foreignText(opened.page, language, allowed), view).toEqual([])
  }
  const walk: Tour = { ...opened, language, c: CATALOGUES[language], check, shot }
  await tourLogIn(walk)
  await tourChat(walk)
  await tourDailyLimit(walk)
  await tourReport(walk)
}

/** Log in and register: the page's language, its font, the forms' own checks and the server's refusals. */
async function tourLogIn ({ page, screenshot, language, c, check, shot }: Tour): Promise<void> {
  await page.goto('/')
  expect(await page.evaluate('document.documentElement.lang')).toBe(language)
  await page.getByRole('heading', { name: c['auth.login.title'] }).waitFor()
  expect(await page.title()).toBe(c['app.name'])
  expect(await page.locator('#language').inputValue()).toBe(language)
  await check('log in')
  if (language === 'zh-CN') {
    // Chinese is drawn with the Simplified Chinese face of the CJK font `make test` installs.
    expect(await fontsOf(page, '#auth-title')).toContain('Noto Sans CJK SC')
  }
  // The walk does see words: asked for the other language, it finds the page's own.
  expect((await foreignText(page, language === 'en' ? 'zh-CN' : 'en', [])).length).toBeGreaterThan(10)
  await screenshot(`${shot}-1-login`)

  // The forms' own checks and the server's refusals.
  await web.app.signUp('eric')
  await submit(page, c, 'login', {})
  await expect.poll(() => text(page, '#login-error')).toBe(c['auth.enterUsername'])
  await submit(page, c, 'login', { username: 'eric', password: 'not the password' })
  await expect.poll(() => text(page, '#login-error')).toBe(c['error.invalid_credentials'])
  await check('log in, refused')

  await page.getByRole('button', { name: c['auth.login.toRegister'] }).click()
  await page.getByRole('heading', { name: c['auth.register.title'] }).waitFor()
  await submit(page, c, 'register', { username: '李 雷' })
  await expect.poll(() => text(page, '#register-error')).toBe(c['auth.badUsername'])
  await submit(page, c, 'register', { username: 'Eric', password: 'long enough password' })
  await expect.poll(() => text(page, '#register-error')).toBe(c['error.username_taken'])
  await check('register, refused')
  await screenshot(`${shot}-2-register`)
}

/** The chat: a reply, a provider failure, a caring-mode message. */
async function tourChat ({ page, screenshot, language, c, check, shot }: Tour): Promise<void> {
  web.app.upstream.behave(answer(() => language === 'en' ? 'Hello! How are you today?' : '你好！今天过得怎么样？'))
  await register(page, c, 'mei')
  expect(await page.title()).toContain('mei')
  const box = page.getByRole('textbox', { name: c['composer.label'] as string })
  expect(await box.getAttribute('placeholder')).toBe(c['composer.placeholder'])
  await box.fill(language === 'en' ? 'Hi there' : '你好')
  await box.press('Enter')
  await settled(page)
  web.app.upstream.behave(() => ({ kind: 'status', status: 500, body: { error: { message: 'upstream exploded' } } }))
  await box.fill('?')
  await box.press('Enter')
  await settled(page)
  await expect.poll(() => text(page, '#chat-error-text')).toMatch(language === 'en' ? /^The AI provider returned an error/ : /^AI 服务返回了错误/)
  expect(await page.locator('.msg.user.failed .meta').textContent()).toContain(c['note.noReply'])
  await check('provider failure')
  await screenshot(`${shot}-3-provider-error`)
  web.app.upstream.behave(answer(() => language === 'en' ? 'That sounds tiring. Want to talk about it?' : '听起来很累。想聊聊吗？'))
  await page.getByRole('switch', { name: c['caring.label'] as string }).check()
  await box.fill(language === 'en' ? 'A long day, a bit tired' : '今天有点累')
  await box.press('Enter')
  await settled(page)
  expect(await page.locator('.msg.user .badge').allTextContents()).toEqual([c['note.caring']])
  await check('chat')
  await screenshot(`${shot}-4-chat`)
}

/** The daily limit (2 here): the reset as a clock time, the wait as a countdown. */
async function tourDailyLimit ({ page, screenshot, language, c, check, shot }: Tour): Promise<void> {
  const box = page.getByRole('textbox', { name: c['composer.label'] as string })
  await box.fill(language === 'en' ? 'one more' : '再来一条')
  await box.press('Enter')
  await page.locator('#limit').waitFor()
  const reset = language === 'en'
    ? /^You have reached today's message limit\. It resets at (\w{3},? )?\d{1,2}:\d{2}(\s[AP]M)?\.$/
    : /^今天的消息已达上限，(周.)?\d{2}:\d{2} 重置。$/
  expect(await text(page, '#limit-text')).toMatch(reset)
  expect(await page.locator('#limit-announce').textContent()).toMatch(language === 'en' ? /You can send again in \d+ hours?( \d+ minutes?)?\.$/ : /\d+小时(\d+分钟)?后可以再发。$/)
  await expect.poll(() => text(page, '#usage-text')).toBe(language === 'en' ? '2 / 2 today' : '今天：2 / 2')
  await check('daily limit')
  await screenshot(`${shot}-5-daily-limit`)
}

/** The report, drawn in the page's language; then Log out. */
async function tourReport ({ page, screenshot, language, c, check, shot }: Tour): Promise<void> {
  await page.getByRole('button', { name: c['report.open'] }).click()
  const dialog = page.getByRole('dialog', { name: c['report.title'] })
  await dialog.locator('#chart-hours svg').waitFor()
  expect(await dialog.locator('.stat', { hasText: c['report.sent'] }).locator('dd').textContent()).toBe('3')
  // The written summary (the server's) comes in the page's language too.
  expect(await dialog.locator('.summary').getAttribute('lang')).toBe(language.slice(0, 2))
  await check('report')
  await screenshot(`${shot}-6-report`)
  await page.evaluate("document.getElementById('report-dialog').scrollTop = 1e6")
  await screenshot(`${shot}-6b-report-end`)
  await dialog.getByRole('button', { name: c['report.close'] }).click()

  await page.getByRole('button', { name: c['session.logout'] }).click()
  await expect.poll(() => text(page, '#auth-status')).toBe(c['session.loggedOut'])
  await check('logged out')
}

describe('the page speaks the browser\'s language', () => {
  it('in Chinese for a zh-CN browser: every view, no English left', async () => {
    const opened = await web.open({ ...DESKTOP, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' }, { DAILY_MESSAGE_LIMIT: '2' })
    await tour(opened, 'zh-CN', 'zh-desktop')
  })

  it('in English for an en-US browser: every view, no Chinese left', async () => {
    const opened = await web.open({ ...DESKTOP, locale: 'en-US', timezoneId: 'America/New_York' }, { DAILY_MESSAGE_LIMIT: '2' })
    await tour(opened, 'en', 'en-desktop')
  })

  it('switches in place, keeps the choice across a reload, and asks the API in it', async () => {
    const { page, screenshot } = await web.open({ ...PHONE, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' })
    const zh = CATALOGUES['zh-CN']
    const en = CATALOGUES.en
    await page.goto('/')
    await register(page, zh, 'mei')
    // A message in the log, an error in the alert: both said again on a switch.
    await page.route('**/llm/message', (route) => route.abort('internetdisconnected'))
    await page.getByRole('textbox', { name: zh['composer.label'] as string }).fill('在吗')
    await page.getByRole('textbox', { name: zh['composer.label'] as string }).press('Enter')
    await expect.poll(() => text(page, '#chat-error-text')).toBe(zh['error.network_error'])
    await expect.poll(() => text(page, '#usage-text')).toBe('今天：0 / 20')
    await screenshot('zh-phone-chat')

    await page.getByLabel(zh['language.label'] as string).selectOption('en')
    expect(await page.evaluate('document.documentElement.lang')).toBe('en')
    expect(await text(page, '#chat-error-text')).toBe(en['error.network_error'])
    expect(await text(page, '#usage-text')).toBe('0 / 20 today')
    expect(await page.title()).toBe('Simple chat — mei')
    expect(await foreignText(page, 'en', [])).toEqual([])
    await screenshot('en-phone-chat')

    // Remembered: a reload (same tab, still logged in) is in English, and so are the API's sentences.
    await page.unroute('**/llm/message')
    await page.reload()
    await expect.poll(() => text(page, '#who')).toBe('mei')
    expect(await page.evaluate('document.documentElement.lang')).toBe('en')
    expect(await page.evaluate("localStorage.getItem('simple-chat.language')")).toBe('en')
    const asked = page.waitForRequest((request) => request.url().endsWith('/user/report?days=30&language=en'))
    await page.getByRole('button', { name: en['report.open'] }).click()
    expect((await asked).headers()['accept-language']).toBe('en')
    await page.getByRole('dialog', { name: en['report.title'] }).getByRole('button', { name: en['report.close'] }).click()

    // And back to Chinese.
    await page.getByLabel(en['language.label'] as string).selectOption('zh-CN')
    expect(await page.evaluate('document.documentElement.lang')).toBe('zh-CN')
    expect(await foreignText(page, 'zh-CN', ['mei', 'Enter', 'Shift', 'AI', 'a–z', 'A–Z', '/llm/message/advanced'])).toEqual([])
  })

  it('picks Chinese for any Chinese tag first in the list, English for anything else', async () => {
    const { page } = await web.open(DESKTOP)
    await page.goto('/')
    const picks = await page.evaluate(`import('/i18n.js').then(({ pickLanguage }) => [
      ['zh-CN'], ['zh'], ['zh-TW', 'en'], ['zh-Hans-SG'], ['fr-FR', 'zh-CN', 'en'], ['en-GB', 'zh-CN'], ['fr', 'de'], [], undefined, ['ZH-cn']
    ].map(pickLanguage))`)
    expect(picks).toEqual(['zh-CN', 'zh-CN', 'zh-CN', 'zh-CN', 'zh-CN', 'en', 'en', 'en', 'en', 'zh-CN'])
  })
})
