import { describe, expect, it } from 'vitest'
import { WIDE, useWebPages } from '../helpers/browser.js'

// What the page costs to load: every file compressed (br), and on a second visit revalidated by
// ETag (304, no body). The figures are printed for src/web/README.md; only the weight has a budget
// (first paint depends on the machine, which is shared and loaded).

const web = useWebPages()

interface Load { files: number, transferred: number, decoded: number, firstPaint: number }

const measure = `(() => {
  const entries = performance.getEntriesByType('resource').concat(performance.getEntriesByType('navigation'))
  const paint = performance.getEntriesByType('paint').find((p) => p.name === 'first-contentful-paint')
  return {
    files: entries.length,
    transferred: entries.reduce((n, e) => n + e.transferSize, 0),
    decoded: entries.reduce((n, e) => n + e.decodedBodySize, 0),
    firstPaint: Math.round(paint?.startTime ?? -1)
  }
})()`

describe('page weight', () => {
  it('loads compressed, under 200 KB, and revalidates by ETag on the next visit', async () => {
    const { page } = await web.open(WIDE)
    const encodings: string[] = []
    page.on('response', (response) => {
      const type = response.headers()['content-type'] ?? ''
      if (/javascript|css|html/.test(type) && response.status() === 200) encodings.push(`${new URL(response.url()).pathname} ${response.headers()['content-encoding'] ?? 'none'}`)
    })
    await page.goto('/')
    await page.getByRole('heading', { name: 'Log in' }).waitFor()
    await page.waitForLoadState('load')
    const first = await page.evaluate(measure) as Load
    // Every text file over compress's 1 KB threshold went out compressed.
    for (const line of encodings) expect(line).toMatch(/ br$|favicon| none$/)
    expect(encodings.filter((line) => line.endsWith(' none')).length).toBeLessThanOrEqual(2)
    expect(first.transferred).toBeLessThan(200_000)
    expect(first.decoded).toBeGreaterThan(first.transferred * 2)

    const statuses: string[] = []
    // The favicon is the browser's own business (its own cache).
    page.on('response', (response) => {
      if (!['/', '/favicon.svg'].includes(new URL(response.url()).pathname)) statuses.push(`${new URL(response.url()).pathname} ${response.status()}`)
    })
    await page.reload()
    await page.getByRole('heading', { name: 'Log in' }).waitFor()
    await page.waitForLoadState('load')
    const again = await page.evaluate(measure) as Load
    // Revalidated: nothing but headers came again.
    expect(statuses.length).toBeGreaterThan(10)
    expect(statuses.filter((s) => !s.endsWith(' 304'))).toEqual([])
    expect(again.transferred).toBeLessThan(first.transferred / 4)
    console.log(`page weight: ${first.files} files, ${first.transferred} bytes transferred (${first.decoded} decoded), first contentful paint ${first.firstPaint} ms; reload: ${again.transferred} bytes, first contentful paint ${again.firstPaint} ms`)
  })
})
