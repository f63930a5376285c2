import type { Mood } from '../care/emotion.js'
import type { Language } from '../care/language.js'
import type { DayActivity, HourActivity, Streak } from './activity.js'
import type { TermCount } from './topics.js'

/** What the written summary is made from: the report's own figures. */
export interface SummaryFigures {
  days: number
  messagesSent: number
  daysActive: number
  busiestDay: DayActivity | null
  busiestHour: HourActivity | null
  longestStreak: Streak
  topics: readonly TermCount[]
  readings: number
  distribution: Record<Mood, number>
  prevailing: Mood | null
  refused: number
}

const TOPICS_NAMED = 3

const MOOD_WORDS: Record<Language, Record<Mood, string>> = {
  en: { joy: 'joy', sadness: 'sadness', anxiety: 'worry', anger: 'anger', loneliness: 'loneliness', despair: 'despair', neutral: 'calm' },
  zh: { joy: '开心', sadness: '难过', anxiety: '焦虑', anger: '生气', loneliness: '孤独', despair: '绝望', neutral: '平静' }
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December']

/**
 * A few sentences in the person's language from the report's figures: how much and when they chat,
 * what about, how their mood went. Templates only: no provider call, nothing invented.
 */
export function summarize (figures: SummaryFigures, language: Language): string {
  return (language === 'zh' ? chinese(figures) : english(figures)).join(language === 'zh' ? '' : ' ')
}

function english (f: SummaryFigures): string[] {
  const span = f.days === 1 ? 'Today' : `In the last ${f.days} days`
  if (f.messagesSent === 0) {
    return [`${span} you sent no messages${f.refused > 0 ? `; ${count(f.refused, 'message was', 'messages were')} refused by a limit` : ''}.`]
  }
  const sentences = [f.days === 1
    ? `${span} you sent ${count(f.messagesSent, 'message')}.`
    : `${span} you sent ${count(f.messagesSent, 'message')} on ${count(f.daysActive, 'day')}.`]
  const when: string[] = []
  if (f.busiestHour !== null) when.push(`you wrote most around ${hour(f.busiestHour.hour)}`)
  if (f.days > 1 && f.busiestDay !== null) when.push(`your busiest day was ${englishDate(f.busiestDay.date)} (${count(f.busiestDay.messages, 'message')})`)
  if (when.length > 0) sentences.push(`${capitalize(when.join(', and '))}.`)
  if (f.longestStreak.days > 1) sentences.push(`Your longest run was ${f.longestStreak.days} days in a row.`)
  const topics = f.topics.slice(0, TOPICS_NAMED).map((t) => `“${t.term}”`)
  if (topics.length > 0) sentences.push(`You talked most about ${list(topics, 'and')}.`)
  sentences.push(englishMood(f))
  if (f.refused > 0) sentences.push(`${capitalize(count(f.refused, 'message was', 'messages were'))} refused by a limit.`)
  return sentences
}

function englishMood (f: SummaryFigures): string {
  const words = MOOD_WORDS.en
  if (f.prevailing === null) return 'Your messages read as calm, with no strong feeling.'
  const n = f.distribution[f.prevailing]
  return `The feeling that came up most was ${words[f.prevailing]} (${n} of ${count(f.readings, 'message')}); ${f.distribution.neutral} read as calm.`
}

function chinese (f: SummaryFigures): string[] {
  const span = f.days === 1 ? '今天' : `最近${f.days}天里`
  if (f.messagesSent === 0) {
    return [`${span}你没有发消息${f.refused > 0 ? `，有${f.refused}条消息因为达到限额没有发出` : ''}。`]
  }
  const sentences = [f.days === 1 ? `${span}你发了${f.messagesSent}条消息。` : `${span}，你在${f.daysActive}天中发了${f.messagesSent}条消息。`]
  const when: string[] = []
  if (f.busiestHour !== null) when.push(`最常在${f.busiestHour.hour}点左右聊天`)
  if (f.days > 1 && f.busiestDay !== null) when.push(`最忙的一天是${chineseDate(f.busiestDay.date)}（${f.busiestDay.messages}条）`)
  if (when.length > 0) sentences.push(`你${when.join('，')}。`)
  if (f.longestStreak.days > 1) sentences.push(`最长连续聊了${f.longestStreak.days}天。`)
  const topics = f.topics.slice(0, TOPICS_NAMED).map((t) => `“${t.term}”`)
  if (topics.length > 0) sentences.push(`聊得最多的是${topics.join('、')}。`)
  const words = MOOD_WORDS.zh
  sentences.push(f.prevailing === null
    ? '你的消息读起来都比较平静。'
    : `出现最多的情绪是${words[f.prevailing]}（${f.readings}条中的${f.distribution[f.prevailing]}条），${f.distribution.neutral}条读起来比较平静。`)
  if (f.refused > 0) sentences.push(`有${f.refused}条消息因为达到限额没有发出。`)
  return sentences
}

function count (n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`
}

function list (items: readonly string[], and: string): string {
  if (items.length <= 1) return items.join('')
  return `${items.slice(0, -1).join(', ')} ${and} ${items.at(-1) as string}`
}

function capitalize (text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1)
}

function hour (h: number): string {
  return `${String(h).padStart(2, '0')}:00`
}

// Report dates are local calendar dates (YYYY-MM-DD): read them as such, never through a Date.
function englishDate (date: string): string {
  const [, month, day] = date.split('-').map(Number)
  return `${day as number} ${MONTHS[(month as number) - 1] as string}`
}

function chineseDate (date: string): string {
  const [, month, day] = date.split('-').map(Number)
  return `${month as number}月${day as number}日`
}
