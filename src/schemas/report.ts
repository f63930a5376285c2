import { Type, type Static, type TSchema } from 'typebox'
import { MOODS } from '../care/emotion.js'

const Count = Type.Integer({ minimum: 0 })
const LocalDate = Type.String({ format: 'date', description: 'A calendar date in DAY_TIMEZONE.' })
const Timestamp = Type.String({ format: 'date-time' })
const nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()])

/** `GET /user/report?days=`: the window, in days up to and including today. */
export const ReportQuerySchema = Type.Object({
  days: Type.Integer({ minimum: 1, maximum: 365, default: 30, description: 'How many days, up to and including today (in DAY_TIMEZONE).' }),
  language: Type.Optional(Type.Union([Type.Literal('en'), Type.Literal('zh')], {
    description: "The summary's language. Without it: the language most of the messages are in, or the request's `Accept-Language` when there are none."
  }))
})
export type ReportQuery = Static<typeof ReportQuerySchema>

/** The caller's own behaviour report over a window of days. */
export const ReportSchema = Type.Object({
  username: Type.String(),
  summary: Type.Object({
    language: Type.Union([Type.Literal('en'), Type.Literal('zh')], { description: 'The language most of the messages are written in.' }),
    text: Type.String({ description: 'A few sentences from the figures below (templates, no provider call).' })
  }, { description: 'The report in words, in the person\'s language.' }),
  window: Type.Object({
    days: Type.Integer({ minimum: 1, maximum: 365 }),
    time_zone: Type.String({ description: 'DAY_TIMEZONE, in which days and hours are counted.' }),
    since: Type.String({ format: 'date-time', description: 'Start of the first day, inclusive.' }),
    until: Type.String({ format: 'date-time', description: 'End of today, exclusive.' })
  }),
  totals: Type.Object({
    messages_sent: Type.Integer({ minimum: 0, description: 'Messages stored, answered or not; refused ones are under `limits`.' }),
    replies_received: Count,
    failed_messages: Type.Integer({ minimum: 0, description: 'Messages whose reply failed (provider error).' }),
    days_active: Count,
    first_activity: nullable(Timestamp),
    last_activity: nullable(Timestamp)
  }),
  activity: Type.Object({
    per_day: Type.Array(Type.Object({ date: LocalDate, messages: Count }), { description: 'Every day of the window, oldest first.' }),
    per_hour: Type.Array(Type.Object({ hour: Type.Integer({ minimum: 0, maximum: 23 }), messages: Count }), { description: 'The 24 local hours of the day.' }),
    busiest_day: nullable(Type.Object({ date: LocalDate, messages: Count })),
    busiest_hour: nullable(Type.Object({ hour: Type.Integer({ minimum: 0, maximum: 23 }), messages: Count })),
    longest_streak: Type.Object({ days: Count, start: nullable(LocalDate), end: nullable(LocalDate) }, { description: 'Consecutive days with messages.' })
  }),
  habits: Type.Object({
    average_length: nullable(Type.Number({ description: 'Characters per message.' })),
    median_length: nullable(Type.Number()),
    messages_by_endpoint: Type.Object({ message: Count, advanced: Count }),
    advanced_share: nullable(Type.Number({ minimum: 0, maximum: 1 })),
    plain_share: nullable(Type.Number({ minimum: 0, maximum: 1 }))
  }),
  limits: Type.Object({
    daily: Type.Integer({ minimum: 0, description: 'Messages refused by the daily limit.' }),
    burst: Type.Integer({ minimum: 0, description: 'Messages refused by the burst limit.' }),
    total: Count
  }),
  topics: Type.Array(Type.Object({ term: Type.String(), count: Count }), { description: 'The most frequent terms of the messages, without stop words, filler or the person\'s own name.' }),
  mood: Type.Object({
    readings: Type.Integer({ minimum: 0, description: 'Messages with an emotion reading: every message sent, on either endpoint.' }),
    distribution: Type.Record(Type.Enum(MOODS), Count, { description: 'Messages by reading, every mood listed.' }),
    prevailing: nullable(Type.Enum(MOODS, { description: 'The most frequent reading other than neutral.' }))
  })
})
export type Report = Static<typeof ReportSchema>
