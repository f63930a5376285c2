// The status line: the model that answers, today's count against the daily limit ("3 / 20 today",
// counted up the moment a message is admitted, not when its reply ends) and the burst window.

import * as api from './api.js'
import { byId } from './dom.js'
import { ApiError, SESSION_CODES } from './errors.js'
import { say, sayAttr } from './i18n.js'

const el = {
  text: byId('usage-text'),
  meter: byId('usage-meter'),
  model: byId('model'),
  modelLine: byId('model-line'),
  burst: byId('burst')
}

/** @param {{ getToken: () => string|null, endSession: (code: string) => void }} session */
export function createUsage (session) {
  // `version` is bumped by each local change, so a status asked for before it cannot overwrite it.
  const usage = { count: null, limit: null, version: 0 }

  return {
    refresh: () => refresh(usage, session),
    /** A message was admitted: it counts from now. */
    admitted () {
      usage.version++
      if (usage.count !== null) usage.count++
      show(usage)
    },
    /** Refused by the daily limit: today's count is the limit, whatever the server said before. */
    dailyLimitReached () {
      usage.version++
      if (usage.count !== null && usage.limit === null) usage.limit = usage.count
      if (usage.count !== null && usage.limit !== null) usage.count = Math.max(usage.count, usage.limit)
      show(usage)
    },
    reset () {
      usage.version++
      usage.count = null
      usage.limit = null
      show(usage)
    }
  }
}

async function refresh (usage, session) {
  const asked = usage.version
  try {
    const now = await api.status(session.getToken())
    if (asked !== usage.version) return
    usage.count = now.chat_cnt
    if (Number.isInteger(now.daily_limit)) usage.limit = now.daily_limit
    if (typeof now.model === 'string') el.model.textContent = now.model
    if (Number.isInteger(now.burst_limit) && Number.isInteger(now.burst_window_seconds)) {
      say(el.burst, 'usage.burst', { limit: now.burst_limit, seconds: now.burst_window_seconds })
    }
    el.modelLine.hidden = typeof now.model !== 'string'
    show(usage)
  } catch (err) {
    if (err instanceof ApiError && SESSION_CODES.has(err.code)) session.endSession(err.code)
    // Otherwise the count just stays as it was; the next turn refreshes it.
  }
}

function show ({ count, limit }) {
  if (count === null) {
    say(el.text, 'usage.loading')
    el.meter.hidden = true
    return
  }
  if (limit === null) {
    say(el.text, 'usage.count', { count })
    el.meter.hidden = true
    return
  }
  say(el.text, 'usage.ofLimit', { count, limit })
  el.meter.max = limit
  el.meter.value = Math.min(count, limit)
  el.meter.low = Math.floor(limit * 0.75)
  el.meter.high = limit - 1
  el.meter.optimum = 0
  sayAttr(el.meter, 'aria-valuetext', 'usage.valueText', { count, limit })
  el.meter.hidden = false
}
