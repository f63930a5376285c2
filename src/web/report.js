/* global window */
// The behaviour report (GET /user/report?days=N, ReportSchema in src/schemas/report.ts) in a
// modal dialog: totals, activity per day and per hour as SVG bar charts, habits, limits, topics
// and mood.

import * as api from './api.js'
import { barChart } from './charts.js'
import { byId, h } from './dom.js'
import { ApiError, SESSION_CODES, describeError } from './errors.js'
import { LANGUAGES, format, language, onLanguageChange, say, t } from './i18n.js'

const el = {
  dialog: byId('report-dialog'),
  days: byId('report-days'),
  close: byId('report-close'),
  body: byId('report-body')
}

/** @param {{ getToken: () => string|null, endSession: (code: string) => void }} session */
export function createReport (session) {
  const view = {
    session,
    opener: null,
    current: null, // the last report shown, redrawn when the width changes
    request: 0, // answers to an earlier request are dropped
    resizeTimer: null
  }
  const onResize = () => {
    clearTimeout(view.resizeTimer)
    view.resizeTimer = setTimeout(() => draw(view), 150)
  }
  el.days.addEventListener('change', () => load(view))
  // The report is drawn whole, and its summary is written by the server: a switch loads it again.
  onLanguageChange(() => { if (el.dialog.open) load(view) })
  el.close.addEventListener('click', () => el.dialog.close())
  el.dialog.addEventListener('close', () => {
    window.removeEventListener('resize', onResize)
    view.request++
    view.current = null
    el.body.replaceChildren()
    view.opener?.focus()
    view.opener = null
  })

  return {
    open (from) {
      view.opener = from
      el.dialog.showModal()
      el.close.focus()
      window.addEventListener('resize', onResize)
      load(view)
    },
    close () {
      if (el.dialog.open) el.dialog.close()
    }
  }
}

async function load (view) {
  const mine = ++view.request
  el.body.setAttribute('aria-busy', 'true')
  el.body.replaceChildren(say(h('p', { class: 'hint' }), 'report.loading'))
  try {
    const report = await api.report(view.session.getToken(), el.days.value, language().slice(0, 2))
    if (mine !== view.request || !el.dialog.open) return
    view.current = report
    draw(view)
  } catch (err) {
    if (mine !== view.request) return
    if (err instanceof ApiError && SESSION_CODES.has(err.code)) return view.session.endSession(err.code)
    const retry = say(h('button', { type: 'button', class: 'quiet' }), 'report.retry')
    retry.addEventListener('click', () => load(view))
    el.body.replaceChildren(say(h('p', { class: 'notice error', role: 'alert' }), () => t('report.failed', { reason: describeError(err) })), retry)
  } finally {
    if (mine === view.request) el.body.setAttribute('aria-busy', 'false')
  }
}

function draw (view) {
  if (view.current === null) return
  // Charts are drawn at the width they get, so their text stays readable on a phone.
  const width = Math.max(260, Math.floor(el.body.clientWidth - 32))
  el.body.replaceChildren(...renderReport(view.current, width))
}

// ---- rendering (pure: a report in, elements out, in the page's language) ---------------------

const moodName = (key) => `mood.${key}` in LANGUAGES[language()].catalogue ? t(`mood.${key}`) : key

export function renderReport (r, width) {
  // The report in words, first: written by the server, in the page's language (see load()).
  const summary = h('p', { class: 'summary', lang: r.summary.language }, r.summary.text)
  const a = r.activity
  const period = h('p', { class: 'hint' }, t('report.window', { days: r.window.days, from: a.per_day[0]?.date, to: a.per_day.at(-1)?.date, zone: r.window.time_zone }))
  const totals = renderTotals(r)
  if (r.totals.messages_sent === 0 && r.limits.total === 0) {
    return [summary, period, totals, h('p', {}, t('report.empty'))]
  }
  return [
    summary,
    period,
    totals,
    h('h3', {}, t('report.activity')),
    ...renderActivity(a, width),
    h('h3', {}, t('report.habits')),
    renderHabits(r),
    h('h3', {}, t('report.limits')),
    renderLimits(r.limits),
    h('h3', {}, t('report.topics')),
    renderTopics(r.topics),
    h('h3', {}, t('report.mood')),
    ...renderMood(r.mood, width)
  ]
}

function stat (label, value) {
  return h('div', { class: 'stat' }, h('dt', {}, t(label)), h('dd', {}, value))
}

function renderTotals (r) {
  const f = format()
  const tt = r.totals
  return h('dl', { class: 'stats' },
    stat('report.sent', f.number(tt.messages_sent)),
    stat('report.replies', f.number(tt.replies_received)),
    stat('report.unanswered', f.number(tt.failed_messages)),
    stat('report.activeDays', t('report.activeOf', { n: tt.days_active, of: r.window.days })),
    stat('report.longestStreak', t('report.days', { n: r.activity.longest_streak.days })),
    stat('report.refused', f.number(r.limits.total)))
}

/** Messages per day and per hour, as two bar charts. */
function renderActivity (a, width) {
  const f = format()
  const busiestDay = a.busiest_day === null ? t('report.none') : t('report.busiestDay', { date: a.busiest_day.date, n: a.busiest_day.messages })
  const busiestHour = a.busiest_hour === null ? t('report.none') : t('report.busiestHour', { hour: a.busiest_hour.hour, n: a.busiest_hour.messages })
  const perDay = barChart({
    id: 'chart-days',
    title: t('report.perDay'),
    summary: t('report.busiest', { what: busiestDay }),
    data: a.per_day.map((d) => ({ label: f.shortDate(d.date), long: f.date(d.date), value: d.messages })),
    width,
    columns: [t('report.colDay'), t('report.colMessages')]
  })
  const perHour = barChart({
    id: 'chart-hours',
    title: t('report.perHour'),
    summary: t('report.busiest', { what: busiestHour }),
    data: a.per_hour.map((x) => ({ label: String(x.hour), long: f.hourSpan(x.hour), value: x.messages })),
    width,
    columns: [t('report.colHour'), t('report.colMessages')]
  })
  return [perDay, perHour]
}

function renderHabits (r) {
  const hb = r.habits
  const tt = r.totals
  const streak = r.activity.longest_streak
  return h('ul', { class: 'facts' },
    h('li', {}, hb.average_length === null
      ? t('report.noLengths')
      : t('report.lengths', { average: hb.average_length, median: hb.median_length ?? 0 })),
    h('li', {}, t('report.endpoints', { caring: hb.messages_by_endpoint.advanced, caringShare: hb.advanced_share, plain: hb.messages_by_endpoint.message, plainShare: hb.plain_share })),
    tt.first_activity === null ? null : h('li', {}, t('report.firstLast', { first: tt.first_activity, last: tt.last_activity, zone: r.window.time_zone })),
    streak.days > 0 && streak.start !== null
      ? h('li', {}, t('report.streak', { n: streak.days, from: streak.start, to: streak.end }))
      : null)
}

function renderLimits (limits) {
  return h('p', {}, limits.total === 0
    ? t('report.noRefusals')
    : t('report.refusals', { total: limits.total, daily: limits.daily, burst: limits.burst }))
}

function renderTopics (topics) {
  if (topics.length === 0) return h('p', { class: 'hint' }, t('report.fewWords'))
  return h('ol', { class: 'topics', 'aria-label': t('report.topWords') },
    topics.map((x) => h('li', {},
      // The user's own words, in whatever language they were written.
      h('span', { 'data-user-content': '', lang: /\p{Script=Han}/u.test(x.term) ? 'zh' : null }, x.term),
      h('span', { class: 'count' }, `×${format().number(x.count)}`))))
}

function renderMood (m, width) {
  if (m.readings === 0) return [h('p', { class: 'hint' }, t('report.noMoods'))]
  const moods = Object.entries(m.distribution).filter(([, n]) => n > 0).sort((x, y) => y[1] - x[1])
  return [
    h('p', {}, t('report.moodsRead', { n: m.readings, prevailing: m.prevailing === null ? null : moodName(m.prevailing) })),
    barChart({
      id: 'chart-mood',
      title: t('report.moodChart'),
      summary: t('report.moodSummary', { moods: moods.map(([k, n]) => [moodName(k), n]) }),
      data: moods.map(([k, n]) => ({ label: moodName(k), value: n })),
      width: Math.min(width, 120 + moods.length * 90),
      height: 150,
      columns: [t('report.colMood'), t('report.colMessages')]
    })
  ]
}
