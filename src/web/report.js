/* global window */
// The behaviour report (GET /user/report?days=N, ReportSchema in src/schemas/report.ts) in a
// modal dialog: totals, activity per day and per hour as SVG bar charts, habits, limits, topics
// and mood.

import * as api from './api.js'
import { barChart } from './charts.js'
import { byId, h } from './dom.js'
import { ApiError, SESSION_CODES, describeError } from './errors.js'

const MOOD_NAMES = {
  joy: 'Joy', neutral: 'Neutral', sadness: 'Sadness', anxiety: 'Anxiety', loneliness: 'Loneliness', anger: 'Anger', despair: 'Despair'
}

const el = {
  dialog: byId('report-dialog'),
  days: byId('report-days'),
  close: byId('report-close'),
  body: byId('report-body')
}

/** @param {{ getToken: () => string|null, endSession: (code: string) => void }} session */
export function createReport (session) {
  let opener = null
  let current = null // the last report shown, redrawn when the width changes
  let request = 0
  let resizeTimer = null

  async function load () {
    const mine = ++request
    el.body.setAttribute('aria-busy', 'true')
    el.body.replaceChildren(h('p', { class: 'hint' }, 'Loading your report…'))
    try {
      const report = await api.report(session.getToken(), el.days.value)
      if (mine !== request || !el.dialog.open) return
      current = report
      draw()
    } catch (err) {
      if (mine !== request) return
      if (err instanceof ApiError && SESSION_CODES.has(err.code)) return session.endSession(err.code)
      const retry = h('button', { type: 'button', class: 'quiet' }, 'Try again')
      retry.addEventListener('click', load)
      el.body.replaceChildren(h('p', { class: 'notice error', role: 'alert' }, `The report could not be loaded. ${describeError(err)}`), retry)
    } finally {
      if (mine === request) el.body.setAttribute('aria-busy', 'false')
    }
  }

  function draw () {
    if (current === null) return
    // Charts are drawn at the width they get, so their text stays readable on a phone.
    const width = Math.max(260, Math.floor(el.body.clientWidth - 32))
    el.body.replaceChildren(...renderReport(current, width))
  }

  function onResize () {
    clearTimeout(resizeTimer)
    resizeTimer = setTimeout(draw, 150)
  }

  el.days.addEventListener('change', load)
  el.close.addEventListener('click', () => el.dialog.close())
  el.dialog.addEventListener('close', () => {
    window.removeEventListener('resize', onResize)
    request++
    current = null
    opener?.focus()
    opener = null
  })

  return {
    open (from) {
      opener = from
      el.dialog.showModal()
      el.close.focus()
      window.addEventListener('resize', onResize)
      load()
    },
    close () {
      if (el.dialog.open) el.dialog.close()
    }
  }
}

// ---- rendering (pure: a report in, elements out) -------------------------------------------

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeZone: 'UTC' })
const shortDate = new Intl.DateTimeFormat(undefined, { month: 'numeric', day: 'numeric', timeZone: 'UTC' })
const percent = new Intl.NumberFormat(undefined, { style: 'percent', maximumFractionDigits: 0 })

// Report dates are calendar dates in the server's DAY_TIMEZONE: shown as dates, never shifted.
const asDate = (date) => new Date(`${date}T00:00:00Z`)
const day = (date) => dateFormat.format(asDate(date))
const hour = (n) => `${String(n).padStart(2, '0')}:00`
const plural = (n, one, many = `${one}s`) => `${n} ${n === 1 ? one : many}`

/** A timestamp in the report's zone, like its days and hours. */
function moment (iso, zone) {
  try {
    return new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short', timeZone: zone }).format(new Date(iso))
  } catch {
    return new Date(iso).toLocaleString()
  }
}

function stat (label, value) {
  return h('div', { class: 'stat' }, h('dt', {}, label), h('dd', {}, value))
}

export function renderReport (r, width) {
  const zone = r.window.time_zone
  const t = r.totals
  const a = r.activity
  const lastDay = a.per_day.at(-1)?.date
  // The report in words, first: written by the server in the language of the messages.
  const summary = h('p', { class: 'summary', lang: r.summary.language }, r.summary.text)
  const period = h('p', { class: 'hint' },
    `${plural(r.window.days, 'day')}${a.per_day[0] === undefined ? '' : `, ${day(a.per_day[0].date)} – ${day(lastDay)}`}; days and hours in ${zone} time.`)

  const totals = h('dl', { class: 'stats' },
    stat('Messages sent', String(t.messages_sent)),
    stat('Replies received', String(t.replies_received)),
    stat('Without a reply', String(t.failed_messages)),
    stat('Active days', `${t.days_active} of ${r.window.days}`),
    stat('Longest streak', plural(a.longest_streak.days, 'day')),
    stat('Refused by limits', String(r.limits.total)))

  if (t.messages_sent === 0 && r.limits.total === 0) {
    return [summary, period, totals, h('p', {}, 'No messages in this period yet. Chat a little and come back!')]
  }

  const busiestDay = a.busiest_day === null ? 'none' : `${day(a.busiest_day.date)} (${plural(a.busiest_day.messages, 'message')})`
  const busiestHour = a.busiest_hour === null ? 'none' : `${hour(a.busiest_hour.hour)}–${hour((a.busiest_hour.hour + 1) % 24)} (${plural(a.busiest_hour.messages, 'message')})`

  const perDay = barChart({
    id: 'chart-days',
    title: 'Messages per day',
    summary: `Busiest: ${busiestDay}.`,
    data: a.per_day.map((d) => ({ label: shortDate.format(asDate(d.date)), long: day(d.date), value: d.messages })),
    width,
    columns: ['Day', 'Messages']
  })
  const perHour = barChart({
    id: 'chart-hours',
    title: 'Messages by hour of the day',
    summary: `Busiest: ${busiestHour}.`,
    data: a.per_hour.map((x) => ({ label: String(x.hour), long: `${hour(x.hour)}–${hour((x.hour + 1) % 24)}`, value: x.messages })),
    width,
    columns: ['Hour', 'Messages']
  })

  const hb = r.habits
  const habits = h('ul', { class: 'facts' },
    h('li', {}, hb.average_length === null
      ? 'No message lengths yet.'
      : `Your messages are ${Math.round(hb.average_length)} characters long on average (median ${Math.round(hb.median_length ?? 0)}).`),
    h('li', {}, `Caring mode: ${plural(hb.messages_by_endpoint.advanced, 'message')}${hb.advanced_share === null ? '' : ` (${percent.format(hb.advanced_share)})`}; plain: ${plural(hb.messages_by_endpoint.message, 'message')}${hb.plain_share === null ? '' : ` (${percent.format(hb.plain_share)})`}.`),
    t.first_activity === null ? null : h('li', {}, `First message in this period: ${moment(t.first_activity, zone)}; latest: ${moment(t.last_activity, zone)}.`),
    a.longest_streak.days > 0 && a.longest_streak.start !== null
      ? h('li', {}, `Longest streak: ${plural(a.longest_streak.days, 'day')}, ${day(a.longest_streak.start)} – ${day(a.longest_streak.end)}.`)
      : null)

  const limits = h('p', {}, r.limits.total === 0
    ? 'No message was refused by the limits.'
    : `${plural(r.limits.total, 'message was', 'messages were')} refused: ${r.limits.daily} by the daily limit, ${r.limits.burst} for coming too quickly.`)

  const topics = r.topics.length === 0
    ? h('p', { class: 'hint' }, 'Not enough words yet to tell.')
    : h('ol', { class: 'topics', 'aria-label': 'Most frequent words' },
      r.topics.map((x) => h('li', { lang: /\p{Script=Han}/u.test(x.term) ? 'zh' : null }, x.term, h('span', { class: 'count' }, `×${x.count}`))))

  const m = r.mood
  const moods = Object.entries(m.distribution).filter(([, n]) => n > 0).sort((x, y) => y[1] - x[1])
  const mood = m.readings === 0
    ? [h('p', { class: 'hint' }, 'Moods are read from messages sent in caring mode; there are none in this period.')]
    : [
        h('p', {}, `${plural(m.readings, 'message')} read for mood. ${m.prevailing === null ? 'Mostly neutral.' : `Most often: ${MOOD_NAMES[m.prevailing] ?? m.prevailing}.`}`),
        barChart({
          id: 'chart-mood',
          title: 'Moods of your caring-mode messages',
          summary: moods.map(([k, n]) => `${MOOD_NAMES[k] ?? k} ${n}`).join(', ') + '.',
          data: moods.map(([k, n]) => ({ label: MOOD_NAMES[k] ?? k, value: n })),
          width: Math.min(width, 120 + moods.length * 90),
          height: 150,
          columns: ['Mood', 'Messages']
        })
      ]

  return [
    summary,
    period,
    totals,
    h('h3', {}, 'Activity'),
    perDay,
    perHour,
    h('h3', {}, 'Habits'),
    habits,
    h('h3', {}, 'Limits'),
    limits,
    h('h3', {}, 'What you talk about'),
    topics,
    h('h3', {}, 'Mood'),
    ...mood
  ]
}
