import { existsSync } from 'node:fs'
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, expect } from 'vitest'
import { startTestApp, type TestApp } from './app.js'
import type { Behaviour, UpstreamRequest } from './upstream.js'

/** Debian's `chromium` package; `make test` installs it. */
const CHROMIUM = '/usr/bin/chromium'
/** Screenshots of the e2e tests (git-ignored). */
const SCREENSHOTS = fileURLToPath(new URL('../../.artifacts/screenshots/', import.meta.url))

// Offline-friendly flags: nothing in the browser itself may reach the network.
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync']

/**
 * A headless Chromium with a fresh profile (playwright's `launch` gives each browser a new
 * temporary user-data dir). Fails, rather than skips, when Chromium is missing.
 */
export async function launchBrowser (): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`The end-to-end tests need Chromium at ${CHROMIUM} (Debian's "chromium" package): run \`apt-get install -y chromium\`, or \`make test\`, which installs it.`)
  }
  return await chromium.launch({ executablePath: CHROMIUM, args: ARGS })
}

/** The test app (see `startTestApp`) serving the page, listening on 127.0.0.1 at `url`. */
export type WebApp = TestApp & { url: string }

/** Starts a `WebApp` with `env`. */
export async function startWebApp (env: Record<string, string> = {}): Promise<WebApp> {
  const t = await startTestApp({ env })
  return { ...t, url: await t.listen() }
}

export interface OpenedPage {
  context: BrowserContext
  page: Page
  /** Console errors, uncaught exceptions, CSP violations and requests that left the app's origin. */
  problems: string[]
  /** Saves `.artifacts/screenshots/<name>.png`. */
  screenshot (name: string): Promise<void>
}

/** A new context (fresh storage) and page on `baseUrl`, watching for anything that goes wrong. */
export async function openPage (browser: Browser, baseUrl: string, options: BrowserContextOptions = {}): Promise<OpenedPage> {
  const context = await browser.newContext({ baseURL: baseUrl, locale: 'en-GB', timezoneId: 'UTC', ...options })
  const page = await context.newPage()
  // Well under the test's own timeout, so a failure names the step that hung; long enough for a
  // step of Chromium's on a loaded machine.
  page.setDefaultTimeout(45_000)
  const problems: string[] = []
  const origin = new URL(baseUrl).origin
  page.on('console', (message) => {
    // Chromium logs every failed fetch; API errors and cut connections are the point of some
    // tests, so failed loads are judged by the response check below instead.
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource:')) {
      problems.push(`console: ${message.text()}`)
    }
  })
  page.on('response', (response) => {
    const path = new URL(response.url()).pathname
    const api = /^\/(user\/|token$|llm\/|conversations(\/|$))/.test(path)
    if (!api && response.status() >= 400) problems.push(`failed to load: ${response.status()} ${path}`)
  })
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`))
  page.on('request', (request) => {
    const url = request.url()
    if (!url.startsWith('data:') && new URL(url).origin !== origin) problems.push(`left the machine: ${request.method()} ${url}`)
  })
  await mkdir(SCREENSHOTS, { recursive: true })
  return {
    context,
    page,
    problems,
    async screenshot (name) {
      await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: false })
    }
  }
}

export interface WebPages {
  /** The app the running test started with `open`. */
  readonly app: WebApp
  /** Starts a fresh app with `env` and opens a page on it (not navigated yet: `page.goto('/')`). */
  open: (options?: BrowserContextOptions, env?: Record<string, string>) => Promise<OpenedPage>
}

/**
 * For a test file whose tests each start their own app and page: registers the hooks that launch
 * one Chromium for the file and close it after, and, after each test, check that its page had no
 * `problems`, then close its page's context and its app. Call it at the top level of the file.
 */
export function useWebPages (): WebPages {
  let browser: Browser | undefined
  let app: WebApp | undefined
  let opened: OpenedPage | undefined

  beforeAll(async () => { browser = await launchBrowser() })
  afterAll(async () => { await browser?.close() })
  afterEach(async () => {
    try {
      if (opened !== undefined) expect(opened.problems, 'problems on the page').toEqual([])
    } finally {
      await opened?.context.close()
      opened = undefined
      await app?.close()
      app = undefined
    }
  })

  return {
    get app () {
      if (app === undefined) throw new Error('No app yet: the test must call open() first.')
      return app
    },
    async open (options, env = {}) {
      if (browser === undefined) throw new Error('No browser: useWebPages() must be called at the top level of the test file.')
      app = await startWebApp(env)
      opened = await openPage(browser, app.url, options)
      return opened
    }
  }
}

export const PHONE: BrowserContextOptions = { viewport: { width: 360, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true }
export const DESKTOP: BrowserContextOptions = { viewport: { width: 1280, height: 800 } }
/** The sizes issue 14 names: a large laptop and a current phone. */
export const WIDE: BrowserContextOptions = { viewport: { width: 1440, height: 900 } }
export const PHONE_390: BrowserContextOptions = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true }

export const PASSWORD = 'correct horse battery'

/** Registers through the page's form (which then logs in). */
export async function registerInPage (page: Page, username: string, password = PASSWORD): Promise<void> {
  await page.getByRole('button', { name: 'Create an account' }).click()
  const form = page.locator('#register-form')
  await form.getByLabel('Username').fill(username)
  await form.getByLabel('Password').fill(password)
  await form.getByRole('button', { name: 'Create account' }).click()
}

/** Registers through the page's form, then waits until the page shows `username` logged in. */
export async function registerAndWait (page: Page, username: string, password = PASSWORD): Promise<void> {
  await registerInPage(page, username, password)
  await expect.poll(() => text(page, '#who')).toBe(username)
}

/** Logs in through the page's form. */
export async function logInInPage (page: Page, username: string, password = PASSWORD): Promise<void> {
  const form = page.locator('#login-form')
  await form.getByLabel('Username').fill(username)
  await form.getByLabel('Password').fill(password)
  await form.getByRole('button', { name: 'Log in' }).click()
}

/** Types a message and presses Enter. */
export async function sendInPage (page: Page, text: string): Promise<void> {
  await page.getByRole('textbox', { name: 'Message' }).fill(text)
  await page.getByRole('textbox', { name: 'Message' }).press('Enter')
}

/** Waits until no reply is in flight (the Send button is back). */
export async function settled (page: Page): Promise<void> {
  await page.locator('#send').waitFor({ state: 'visible' })
  await page.locator('.msg[aria-busy="true"]').waitFor({ state: 'detached' })
}

/** The trimmed text of the element matching `selector`. */
export async function text (page: Page, selector: string): Promise<string | undefined> {
  return (await page.locator(selector).textContent())?.trim()
}

/** The texts of the conversation, in order, as `user: …` / `ai: …`. */
export async function conversation (page: Page): Promise<string[]> {
  return await page.locator('#messages .msg').evaluateAll((items) => items.map((li) =>
    `${li.classList.contains('user') ? 'user' : 'ai'}: ${li.querySelector('.bubble')?.textContent ?? ''}`))
}

/**
 * An upstream that answers `reply(last message)` as a real provider would: streamed in `pieces`
 * when the app asks for a stream (the page always does), whole otherwise.
 */
export function answer (reply: (last: string) => string, options: { pieces?: number } & Pick<Extract<Behaviour, { kind: 'stream' }>, 'delayMs' | 'stallAfter' | 'holdBefore'> = {}) {
  return (request: UpstreamRequest): Behaviour => {
    const text = reply(request.body.messages?.at(-1)?.content ?? '')
    if (request.body.stream !== true) return { kind: 'reply', text }
    const chars = [...text]
    const size = Math.max(1, Math.ceil(chars.length / (options.pieces ?? 4)))
    const chunks = Array.from({ length: Math.ceil(chars.length / size) }, (_, i) => chars.slice(i * size, (i + 1) * size).join(''))
    return { kind: 'stream', chunks, delayMs: options.delayMs ?? 10, stallAfter: options.stallAfter, holdBefore: options.holdBefore }
  }
}
