import { detectLanguage, type Language } from '../care/language.js'
import { extractName } from '../care/name.js'
import type { Report } from '../schemas/report.js'
import type { Store } from '../domain/store.js'
import { buildReport } from './build-report.js'
import { createTermCounter, termsOf, TOPIC_SAMPLE } from './topics.js'
import { reportWindow } from './window.js'

export interface ReportServiceDeps {
  store: Store
  /** DAY_TIMEZONE: the zone of the report's days and hours. */
  timeZone: string
  clock: () => number
  /** How many topic terms a report lists. */
  topics?: number
}

export interface ReportService {
  /**
   * The user's own report over the last `days` days (1–365), today included. Its summary is in
   * `language` when asked for (the page asks in its own), else the language most of the messages
   * are in; `fallback` (the request's) when there are none.
   */
  report (user: { id: string, username: string }, days: number, languages?: { language?: Language, fallback?: Language }): Promise<Report>
}

const DEFAULT_TOPICS = 10

/**
 * `GET /user/report`: the window in JS (local days, UTC offsets), the figures from the store, and
 * from the texts the store streams (its budget decides when to stop): the topics, the names the
 * person gave (left out of the topics with their username) and the language they write in.
 */
export function createReportService (deps: ReportServiceDeps): ReportService {
  const topics = deps.topics ?? DEFAULT_TOPICS
  return {
    async report (user, days, { language: chosen, fallback = 'en' } = {}) {
      const window = reportWindow(deps.clock(), days, deps.timeZone)
      const counter = createTermCounter()
      const written: Record<Language, number> = { en: 0, zh: 0 }
      const ownNames = new Set([user.username, user.username.replace(/[^\p{L}]+/gu, ' ')])
      const range = { since: window.since, until: window.until, offsets: window.offsets, textChars: TOPIC_SAMPLE.messageChars }
      const data = await deps.store.report(user.id, range, (text) => {
        written[detectLanguage(text)]++
        const name = extractName(text)
        if (name !== undefined) ownNames.add(name)
        return counter.add(text)
      })
      const excluded = new Set([...ownNames].flatMap((name) => [name.toLowerCase(), ...termsOf(name)]))
      const language = chosen ?? (written.zh > written.en ? 'zh' : written.en > written.zh ? 'en' : fallback)
      return buildReport(user.username, window, data, counter.top(topics, excluded), language)
    }
  }
}
