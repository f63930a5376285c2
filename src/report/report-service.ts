import type { Report } from '../schemas/report.js'
import type { Store } from '../storage/store.js'
import { buildReport } from './build-report.js'
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

/** `GET /user/report`: the window in JS (local days, UTC offsets), the figures from the store. */
export function createReportService (deps: ReportServiceDeps): ReportService {
  const topics = deps.topics ?? DEFAULT_TOPICS
  return {
    async report (user, days) {
      const window = reportWindow(deps.clock(), days, deps.timeZone)
      const data = await deps.store.report(user.id, { since: window.since, until: window.until, offsets: window.offsets, topics })
      return buildReport(user.username, window, data)
    }
  }
}
