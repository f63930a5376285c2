import { readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import type { Page } from 'playwright-core'

// axe-core (from npm) run inside the page. Evaluated through the DevTools protocol, which the
// page's CSP does not govern (a <script> tag would be refused, as it should be).
const AXE_SOURCE = await readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8')

export interface AxeViolation { id: string, impact: string | null, help: string, targets: string[] }

/** Every axe-core violation on the page as it is now (all rules axe runs by default). */
export async function axeViolations (page: Page): Promise<AxeViolation[]> {
  if (await page.evaluate('typeof window.axe') === 'undefined') await page.evaluate(AXE_SOURCE)
  return await page.evaluate(`window.axe.run(document, { resultTypes: ['violations'] }).then((result) =>
    result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.slice(0, 5).map((n) => n.target.join(' ')) })))`) as AxeViolation[]
}
