import { MOODS, type Mood } from '../care/emotion.js'
import type { Language } from '../care/language.js'
import type { Report } from '../schemas/report.js'
import type { ReportData } from '../domain/report.js'
import { busiest, longestStreak, share, zeroFillDays, zeroFillHours } from './activity.js'
import { summarize } from './summary.js'
import type { TermCount } from './topics.js'
import type { ReportWindow } from './window.js'

/** Assembles the API's report from the store's aggregates: zero-filled days and hours, streak, busiest, shares. */
export function buildReport (username: string, window: ReportWindow, data: ReportData, topics: TermCount[], language: Language): Report {
  const perDay = zeroFillDays(window.dates, data.perDay)
  const perHour = zeroFillHours(data.perHour)
  const refused = data.refusals.daily + data.refusals.burst
  const mood = moodFigures(data.moods)
  const streak = longestStreak(perDay)
  const summary = summarize({
    days: window.days,
    messagesSent: data.messagesSent,
    daysActive: data.perDay.length,
    busiestDay: busiest(perDay),
    busiestHour: busiest(perHour),
    longestStreak: streak,
    topics,
    ...mood,
    refused
  }, language)

  return {
    username,
    summary: { language, text: summary },
    window: {
      days: window.days,
      time_zone: window.timeZone,
      since: new Date(window.since).toISOString(),
      until: new Date(window.until).toISOString()
    },
    totals: {
      messages_sent: data.messagesSent,
      replies_received: data.repliesReceived,
      failed_messages: data.failedMessages,
      days_active: data.perDay.length,
      first_activity: isoOrNull(data.firstActivity),
      last_activity: isoOrNull(data.lastActivity)
    },
    activity: { per_day: perDay, per_hour: perHour, busiest_day: busiest(perDay), busiest_hour: busiest(perHour), longest_streak: streak },
    habits: habits(data),
    limits: { daily: data.refusals.daily, burst: data.refusals.burst, total: refused },
    topics,
    mood
  }
}

/** How many messages were read for mood, how many per mood, and the prevailing one (distress before joy on a tie). */
function moodFigures (moods: ReportData['moods']): { readings: number, distribution: Record<Mood, number>, prevailing: Mood | null } {
  const distribution = Object.fromEntries(MOODS.map((mood) => [mood, 0])) as Record<Mood, number>
  for (const { mood, messages } of moods) {
    // A label this version no longer gives is left out rather than breaking the schema.
    if (isMood(mood)) distribution[mood] = messages
  }
  const prevailing = busiest(MOODS.filter((m) => m !== 'neutral').map((mood) => ({ mood, messages: distribution[mood] })))
  const readings = moods.reduce((sum, m) => sum + m.messages, 0)
  return { readings, distribution, prevailing: prevailing?.mood ?? null }
}

function habits (data: ReportData): Report['habits'] {
  return {
    average_length: data.averageLength === null ? null : Math.round(data.averageLength * 100) / 100,
    median_length: data.medianLength,
    messages_by_endpoint: { message: data.byEndpoint.message, advanced: data.byEndpoint.advanced },
    advanced_share: share(data.byEndpoint.advanced, data.messagesSent),
    plain_share: share(data.byEndpoint.message, data.messagesSent) // the SPEC's name for `message`
  }
}

function isMood (label: string): label is Mood {
  return (MOODS as readonly string[]).includes(label)
}

function isoOrNull (time: number | null): string | null {
  return time === null ? null : new Date(time).toISOString()
}
