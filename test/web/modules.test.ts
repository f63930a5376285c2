import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest'
import { ERRORS } from '../../src/errors.js'
import type { Report } from '../../src/schemas/report.js'
import { DESKTOP, launchBrowser, openPage, startWebApp, type OpenedPage } from '../helpers/browser.js'

// The page's own modules, run in the browser they are written for: the SSE parser, the table of
// error sentences and the report's rendering (parts the API data of a short test cannot reach).

let browser: Browser
let app: Awaited<ReturnType<typeof startWebApp>>
let opened: OpenedPage
let page: Page

beforeAll(async () => {
  browser = await launchBrowser()
  app = await startWebApp()
  opened = await openPage(browser, app.url, DESKTOP)
  page = opened.page
  await page.goto('/')
})
afterAll(async () => {
  await browser?.close()
  await app?.close()
})

describe('the page\'s modules', () => {
  it('has a sentence for every error code of src/errors.ts', async () => {
    const codes = [...Object.keys(ERRORS), 'network_error', 'bad_response', 'stream_interrupted', 'session_expired']
    const describe = (language: string) => page.evaluate(`Promise.all([import('/errors.js'), import('/i18n.js')]).then(([{ ApiError, describeError }, { setLanguage }]) => {
      setLanguage(${JSON.stringify(language)}, { remember: false })
      return Object.fromEntries(${JSON.stringify(codes)}.map((code) => [code, describeError(new ApiError(code, 'Server detail.', { retryAfter: 90 }))]))
    })`) as Promise<Record<string, string>>
    // The page is shared with the other tests here: it goes back to English even when this one fails.
    onTestFinished(() => page.evaluate("import('/i18n.js').then(({ setLanguage }) => setLanguage('en', { remember: false }))"))
    const english = await describe('en')
    const chinese = await describe('zh-CN')
    for (const code of codes) {
      expect(english[code], code).toMatch(/^[A-Z].{10,}[.)]$/)
      expect(english[code], code).not.toMatch(/undefined|null|\[object|\p{Script=Han}/u)
      expect(chinese[code], code).toMatch(/^(\p{Script=Han}|AI ).*[。）]$/u)
      expect(chinese[code], code).not.toMatch(/undefined|null|\[object/)
    }
    // Waits in words, in each language.
    expect(english.llm_rate_limited).toContain('Try again in 1 minute 30 seconds.')
    expect(chinese.llm_rate_limited).toContain('1分钟30秒后再试。')
    await page.evaluate("import('/i18n.js').then(({ setLanguage }) => setLanguage('en', { remember: false }))")
    // An unknown code still shows the server's sentence.
    expect(await page.evaluate("import('/errors.js').then(({ ApiError, describeError }) => describeError(new ApiError('brand_new', 'Said by the server.')))"))
      .toBe('Said by the server.')
  })

  it('reads server-sent events split across chunks anywhere, CRLF included', async () => {
    const stream = 'event: delta\ndata: {"text":"你"}\n\n: keep-alive\n\nevent: delta\r\ndata: {"text":"好 👋🏽"}\r\n\r\n' +
      'data: line one\ndata: line two\n\nevent: done\rdata: {"response":"你好 👋🏽"}\r\r'
    const expected = [
      { event: 'delta', data: '{"text":"你"}', id: '' },
      { event: 'delta', data: '{"text":"好 👋🏽"}', id: '' },
      { event: 'message', data: 'line one\nline two', id: '' },
      { event: 'done', data: '{"response":"你好 👋🏽"}', id: '' }
    ]
    const runs = await page.evaluate(`import('/sse.js').then(({ createSseParser }) => {
      const stream = ${JSON.stringify(stream)}
      const parse = (chunks) => { const out = []; const p = createSseParser((e) => out.push(e)); for (const c of chunks) p.push(c); p.end(); return out }
      const runs = [parse([stream]), parse([...stream])]
      for (let i = 1; i < stream.length; i++) runs.push(parse([stream.slice(0, i), stream.slice(i)]))
      return runs
    })`) as unknown[]
    for (const [i, run] of runs.entries()) expect(run, `split ${i}`).toEqual(expected)
  })

  it('draws a whole report: charts, topics in any language, and moods', async () => {
    const days = Array.from({ length: 14 }, (_, i) => ({ date: `2026-11-${String(12 + i).padStart(2, '0')}`, messages: [0, 3, 5, 0, 1, 8, 2, 0, 0, 4, 6, 1, 0, 7][i] as number }))
    const hours = Array.from({ length: 24 }, (_, hour) => ({ hour, messages: hour >= 8 && hour <= 23 ? (hour * 7) % 5 : 0 }))
    const report: Report = {
      username: 'eric',
      summary: { language: 'zh', text: '最近14天里，你在9天中发了37条消息。' },
      window: { days: 14, time_zone: 'Asia/Shanghai', since: '2026-11-11T16:00:00.000Z', until: '2026-11-25T16:00:00.000Z' },
      totals: { messages_sent: 37, replies_received: 35, failed_messages: 2, days_active: 9, first_activity: '2026-11-13T01:02:00.000Z', last_activity: '2026-11-25T12:00:00.000Z' },
      activity: {
        per_day: days,
        per_hour: hours,
        busiest_day: { date: '2026-11-17', messages: 8 },
        busiest_hour: { hour: 9, messages: 4 },
        longest_streak: { days: 3, start: '2026-11-13', end: '2026-11-15' }
      },
      habits: { average_length: 42.7, median_length: 31, messages_by_endpoint: { message: 25, advanced: 12 }, advanced_share: 0.3243, plain_share: 0.6757 },
      limits: { daily: 1, burst: 4, total: 5 },
      topics: [{ term: '工作', count: 6 }, { term: 'sleep', count: 4 }, { term: '考试', count: 3 }],
      mood: {
        readings: 12,
        distribution: { despair: 0, sadness: 3, anxiety: 4, loneliness: 1, anger: 0, joy: 2, neutral: 2 },
        prevailing: 'anxiety'
      }
    }
    const drawn = await page.evaluate(`import('/report.js').then(({ renderReport }) => {
      const dialog = document.getElementById('report-dialog')
      dialog.showModal()
      const body = document.getElementById('report-body')
      body.replaceChildren(...renderReport(${JSON.stringify(report)}, body.clientWidth - 32))
      const bars = (id) => document.querySelectorAll('#' + id + ' svg rect').length
      return {
        days: bars('chart-days'),
        hours: bars('chart-hours'),
        moods: [...document.querySelectorAll('#chart-mood tbody th')].map((th) => th.textContent),
        topics: [...document.querySelectorAll('.topics li')].map((li) => li.textContent + '|' + li.querySelector('[data-user-content]').lang),
        first: body.firstElementChild.outerHTML,
        text: body.textContent
      }
    })`) as { days: number, hours: number, moods: string[], topics: string[], first: string, text: string }
    expect(drawn.first).toBe('<p class="summary" lang="zh">最近14天里，你在9天中发了37条消息。</p>')
    expect(drawn.days).toBe(14)
    expect(drawn.hours).toBe(24)
    expect(drawn.moods).toEqual(['Anxiety', 'Sadness', 'Joy', 'Neutral', 'Loneliness'])
    expect(drawn.topics).toEqual(['工作×6|zh', 'sleep×4|', '考试×3|zh'])
    expect(drawn.text).toContain('days and hours in Asia/Shanghai time')
    expect(drawn.text).toContain('5 messages were refused: 1 by the daily limit, 4 for coming too quickly.')
    expect(drawn.text).toContain('Most often: Anxiety.')
    expect(drawn.text).toContain('Caring mode: 12 messages (32%); plain: 25 messages (68%).')
    await opened.screenshot('desktop-8-report-fixture')
    await page.evaluate("document.getElementById('report-dialog').scrollTop = 1e6")
    await opened.screenshot('desktop-8b-report-fixture-end')
    await page.evaluate("document.getElementById('report-dialog').close()")
    expect(opened.problems).toEqual([])
  })
})
