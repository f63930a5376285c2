import type { Report } from '../schemas/report.js'
import type { Store } from '../storage/store.js'
import { buildReport } from './build-report.js'
import { createTermCounter, TOPIC_SAMPLE } from './topics.js'
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
  /** The user's own report over the last `days` days (1–365), today included. */
  report (user: { id: string, username: string }, days: number): Promise<Report>
}

const DEFAULT_TOPICS = 10

/**
 * `GET /user/report`: the window in JS (local days, UTC offsets), the figures from the store, and
 * the topics counted here from the texts the store streams (its budget decides when to stop).
 */
export function createReportService (deps: ReportServiceDeps): ReportService {
  const topics = deps.topics ?? DEFAULT_TOPICS
  return {
    async report (user, days) {
      const window = reportWindow(deps.clock(), days, deps.timeZone)
      const counter = createTermCounter()
      const range = { since: window.since, until: window.until, offsets: window.offsets, textChars: TOPIC_SAMPLE.messageChars }
      const data = await deps.store.report(user.id, range, (text) => counter.add(text))
      return buildReport(user.username, window, data, counter.top(topics))
    }
  }
}
