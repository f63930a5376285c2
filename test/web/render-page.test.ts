import { describe, expect, it } from 'vitest'
import { axeViolations } from '../helpers/axe.js'
import { DESKTOP, answer, registerAndWait, sendInPage, settled, useWebPages } from '../helpers/browser.js'
import { gate } from '../helpers/http-client.js'

// Replies drawn as markdown, in the real page and a real Chromium: what a reply may contain, what it
// can never do (run script, load anything), and how a streamed reply is drawn.

const web = useWebPages()

const MARKDOWN = [
  '# Plan', '', 'Some **bold**, *italic*, ~~gone~~ and `inline code`; a [link](https://example.com/docs).', '',
  '## Steps', '', '1. first', '2. second', '', '- a', '- b', '', '> quoted', '',
  '```js', 'const answer = 42 // the answer', 'console.log(answer)', '```', '',
  '| name | score |', '|---|---:|', '| Ann | 9 |', '| 李雷 | 10 |'
].join('\n')

// Each tries to run `window.pwned = …`, open a dialog, or make the browser fetch something.
const PAYLOADS = [
  '<script>window.pwned = 1</script>',
  '<img src=x onerror="window.pwned = 2">',
  '<svg onload="window.pwned = 3"><circle r="1"/></svg>',
  '<iframe srcdoc="<script>parent.pwned = 4</script>"></iframe>',
  '<a href="javascript:window.pwned = 5">click me</a>',
  '[click](javascript:window.pwned=6)',
  '[click](JaVaScRiPt&#58;window.pwned=7)',
  '<javascript:window.pwned=8>',
  '[data](data:text/html;base64,PHNjcmlwdD5wYXJlbnQucHduZWQ9OTwvc2NyaXB0Pg==)',
  '<details open ontoggle="window.pwned = 10">x</details>',
  '<math><mtext><table><mglyph><style><img src=x onerror="window.pwned = 11">',
  '![tracker](https://tracker.example/pixel.png)',
  '<style>body { display: none }</style>',
  '<form action="https://evil.example"><button>go</button></form>',
  '```html\n<img src=x onerror="window.pwned = 12">\n```',
  '<noscript><p title="</noscript><img src=x onerror=window.pwned=13>">'
]

/** What in the conversation could run or load something. */
const DANGER = `(() => {
  const found = []
  for (const el of document.querySelectorAll('#messages *')) {
    for (const attr of el.attributes) if (/^on/i.test(attr.name) || attr.name === 'style' || attr.name === 'srcdoc') found.push(el.tagName + '[' + attr.name + ']')
    if (/^(SCRIPT|IFRAME|IMG|SVG|STYLE|OBJECT|EMBED|FORM|INPUT|MATH|LINK|META|BASE|NOSCRIPT|DETAILS)$/i.test(el.tagName)) found.push(el.tagName)
    const href = el.getAttribute('href')
    if (href !== null && !/^https?:/i.test(href)) found.push('href=' + href)
  }
  return found
})()`

describe('rendered replies', () => {
  it('draws markdown: headings from h3, lists, a highlighted code block with its copy button, a table, links in a new tab', async () => {
    const { page, screenshot, context } = await web.open({ ...DESKTOP, colorScheme: 'dark' })
    await context.grantPermissions(['clipboard-read', 'clipboard-write'])
    web.app.upstream.behave(answer(() => MARKDOWN))
    await page.goto('/')
    await registerAndWait(page, 'mark')
    await sendInPage(page, 'show me some markdown')
    await settled(page)
    const bubble = page.locator('.msg.ai .bubble').last()
    expect(await bubble.locator('h3').textContent()).toBe('Plan')
    expect(await bubble.locator('h4').textContent()).toBe('Steps')
    expect(await bubble.locator('strong').first().textContent()).toBe('bold')
    expect(await bubble.locator('ol li').allTextContents()).toEqual(['first', 'second'])
    expect(await bubble.locator('a').getAttribute('href')).toBe('https://example.com/docs')
    expect(await bubble.locator('a').getAttribute('target')).toBe('_blank')
    expect(await bubble.locator('a').getAttribute('rel')).toContain('noopener')
    expect(await bubble.locator('pre code.language-js .hljs-keyword').first().textContent()).toBe('const')
    expect(await bubble.locator('pre code').evaluate((el) => (globalThis as unknown as { getComputedStyle: (el: unknown) => { fontFamily: string } }).getComputedStyle(el).fontFamily)).toMatch(/mono/i)
    expect(await bubble.locator('table td').allTextContents()).toEqual(['Ann', '9', '李雷', '10'])

    await bubble.getByRole('button', { name: 'Copy code' }).click()
    expect(await page.evaluate('navigator.clipboard.readText()')).toBe('const answer = 42 // the answer\nconsole.log(answer)')
    await page.locator('.msg.ai').last().getByRole('button', { name: 'Copy message' }).click()
    expect(await page.evaluate('navigator.clipboard.readText()')).toBe(MARKDOWN)
    await page.locator('.msg.user').last().getByRole('button', { name: 'Copy message' }).click()
    expect(await page.evaluate('navigator.clipboard.readText()')).toBe('show me some markdown')
    expect(await axeViolations(page)).toEqual([])
    await screenshot('desktop-dark-markdown')
  })

  for (const csp of [true, false]) {
    it(`runs no script and loads nothing from a reply or the user's own text (${csp ? 'with' : 'without'} the page's CSP)`, async () => {
      const { page } = await web.open(DESKTOP)
      if (!csp) {
        // The sanitizer alone must hold: the page served without its CSP.
        await page.route((url) => url.pathname === '/', async (route) => {
          const response = await route.fetch()
          const headers = response.headers()
          delete headers['content-security-policy']
          await route.fulfill({ response, headers })
        })
      }
      const dialogs: string[] = []
      page.on('dialog', async (dialog) => { dialogs.push(dialog.message()); await dialog.dismiss() })
      const all = PAYLOADS.join('\n\n')
      web.app.upstream.behave(answer(() => all, { pieces: 7 }))
      await page.goto('/')
      expect(await page.evaluate('document.querySelector("meta[http-equiv]")')).toBeNull()
      await registerAndWait(page, csp ? 'xss-csp' : 'xss-nocsp')
      await sendInPage(page, all)
      await settled(page)
      // Drawn again from history, as after a reload.
      await page.reload()
      await page.locator('#messages .msg.ai').waitFor()
      expect(await page.evaluate('window.pwned')).toBeUndefined()
      expect(dialogs).toEqual([])
      expect(await page.evaluate(DANGER)).toEqual([])
      // The user's own text is shown exactly as typed; the reply's HTML shows as text too.
      expect(await page.locator('.msg.user .bubble').textContent()).toBe(all)
      const reply = await page.locator('.msg.ai .bubble').textContent()
      expect(reply).toContain('<script>window.pwned = 1</script>')
      expect(reply).toContain('<img src=x onerror="window.pwned = 2">')
      expect(await page.locator('.msg.ai .bubble a', { hasText: 'tracker' }).getAttribute('href')).toBe('https://tracker.example/pixel.png')
      // Nothing asked for the tracker (useWebPages fails a test whose page left the machine).
    })
  }

  it('draws a streaming reply block by block: a finished block is kept, not drawn again', async () => {
    const { page, screenshot } = await web.open(DESKTOP)
    const { promise: held, open: release } = gate()
    const { promise: heldLast, open: releaseLast } = gate()
    web.app.upstream.behave(() => ({
      kind: 'stream',
      chunks: ['First paragraph, **bold**.\n\nSecond', ' paragraph grows', ' and grows.\n\n```python\nprint("hi")\n', '```\n\nThe end.'],
      holdBefore: { 2: held, 3: heldLast }
    }))
    await page.goto('/')
    await registerAndWait(page, 'streamer')
    await sendInPage(page, 'stream please')
    const bubble = page.locator('.msg.ai .bubble').last()
    await expect.poll(() => bubble.textContent()).toContain('Second paragraph grows')
    // Mark the first paragraph's element: if it were drawn again, the mark would be gone.
    await bubble.locator('p').first().evaluate((p: { kept?: boolean }) => { p.kept = true })
    release()
    await expect.poll(() => bubble.locator('code').count()).toBe(1)
    expect(await bubble.locator('p').first().evaluate((p: { kept?: boolean }) => p.kept)).toBe(true)
    expect(await bubble.locator('p').nth(1).textContent()).toBe('Second paragraph grows and grows.')
    await screenshot('desktop-7-markdown-streaming')
    releaseLast()
    await settled(page)
    expect(await bubble.locator('p').allTextContents()).toEqual(['First paragraph, bold.', 'Second paragraph grows and grows.', 'The end.'])
    expect(await bubble.locator('code.language-python .hljs-string').textContent()).toBe('"hi"')
  })

  it('folds a long message behind "Show all"', async () => {
    const { page, screenshot } = await web.open(DESKTOP)
    const long = Array.from({ length: 400 }, (_, i) => `Line ${i + 1} of a very long paste.`).join('\n')
    await page.goto('/')
    await registerAndWait(page, 'paster')
    await sendInPage(page, long)
    await settled(page)
    const mine = page.locator('.msg.user').last()
    const height = async () => (await mine.locator('.bubble').boundingBox())?.height ?? 0
    expect(await height()).toBeLessThan(500)
    const toggle = mine.getByRole('button', { name: 'Show all' })
    expect(await toggle.getAttribute('aria-expanded')).toBe('false')
    await toggle.click()
    expect(await height()).toBeGreaterThan(5000)
    expect(await mine.getByRole('button', { name: 'Show less' }).getAttribute('aria-expanded')).toBe('true')
    await mine.getByRole('button', { name: 'Show less' }).click()
    expect(await height()).toBeLessThan(500)
    await screenshot('desktop-9-folded')
  })
})
