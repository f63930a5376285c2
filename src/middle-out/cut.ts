import type { ChatMessage } from '../llm/types.js'
import { cutText } from './cut-text.js'
import { encodeEnds, estimateCount } from './encode-ends.js'
import type { MiddleOutCut } from '../domain/messages.js'
import { maxTokens, type Encoding, type Tokenizer } from './tokenizers/tokenizer.js'

/**
 * How messages are sized: `encode` as `encodeEnds`, `estimate` (a message dropped unencoded) as
 * `estimateCount`, each straight or from a cache (encoding-cache.ts).
 */
export interface Sizer {
  encode: (text: string, limit: number, tokenizer: Tokenizer) => Encoding
  estimate: (text: string, limit: number, tokenizer: Tokenizer) => number
}
const DIRECT: Sizer = { encode: encodeEnds, estimate: estimateCount }

/** Tokens the chat template adds around the contents (role markers, BOS, the reply's header). */
export interface ChatTemplateCost {
  perMessage: number
  perPrompt: number
}

/** The budget cannot hold even an empty system prompt and user message: a configuration error. */
export class ContextTooSmallError extends Error {
  override name = 'ContextTooSmallError'
  constructor (readonly budget: number, readonly minimum: number) {
    super(`The prompt budget (${budget} tokens: context window minus LLM_MAX_TOKENS) is below the ${minimum} tokens a prompt needs.`)
  }
}

/**
 * Fits `[system, ...history, newMessage]` into `budget` tokens (the context window minus the reply's
 * room), counting each message as its content's tokens plus `template.perMessage`, plus
 * `template.perPrompt` once. Unchanged when it fits; otherwise, in this order:
 * 1. history leaves from the middle outwards, an exchange (user + reply) at a time, so the oldest and
 *    the newest exchanges go last and the roles keep alternating; the exchange where the excess runs
 *    out is cut from its messages' middles instead of dropped, unless dropping it wastes ≤ 1%;
 * 2. with no history left, the new message loses its middle; the system prompt too, but only if
 *    keeping it whole would leave the new message less than half the room.
 * Pure and deterministic; the report's token figures include the template overhead.
 */
export function cutMiddle (messages: readonly ChatMessage[], budget: number, tokenizer: Tokenizer, template: ChatTemplateCost, sizer: Sizer = DIRECT): { messages: ChatMessage[], middleOut: MiddleOutCut | null } {
  if (tokenizer.exact && fitsUnread(messages, budget, template)) return { messages: [...messages], middleOut: null }

  const limit = encodingLimit(budget)
  const encodings: Array<Encoding | undefined> = []
  const tokens: number[] = []
  for (const i of encodingOrder(messages, budget, template, tokens)) {
    const encoding = sizer.encode((messages[i] as ChatMessage).content, limit, tokenizer)
    encodings[i] = encoding
    tokens[i] = encoding.count
  }
  // The rest is dropped whole whatever its size (encodingOrder): its size is only for the report.
  messages.forEach((message, i) => { tokens[i] ??= sizer.estimate(message.content, limit, tokenizer) })
  const cost = (i: number): number => (tokens[i] ?? 0) + template.perMessage
  const promptTokens = template.perPrompt + tokens.reduce((sum, _, i) => sum + cost(i), 0)
  if (promptTokens <= budget || messages.length === 0) return { messages: [...messages], middleOut: null }

  const hasSystem = hasSystemPrompt(messages)
  const newest = messages.length - 1
  const minimum = template.perPrompt + template.perMessage * (hasSystem ? 2 : 1)
  if (budget < minimum) throw new ContextTooSmallError(budget, minimum)

  const contents: Array<string | null> = messages.map((message) => message.content)
  const shrink = (i: number, allowance: number): void => {
    const message = messages[i]
    if (message === undefined || allowance >= (tokens[i] ?? 0)) return
    // Only encoded messages are cut (encodingOrder); should another be, it is encoded now.
    const encoding = encodings[i] ?? sizer.encode(message.content, limit, tokenizer)
    const cut = cutText(message.content, encoding, allowance, tokenizer)
    contents[i] = cut.text
    tokens[i] = cut.tokens
  }

  // Summed again after each step rather than kept up to date: a message encoded by its ends only
  // counts an estimate until it is cut, and the cut's count is exact (encode-ends.ts).
  const excessNow = (): number => contents.reduce((sum: number, content, i) => content === null ? sum : sum + cost(i), template.perPrompt) - budget
  let removedMessages = 0
  // Dropping a whole exchange may overshoot by up to this much; beyond it, cut inside the exchange.
  const slack = Math.floor(budget / 100)
  for (const unit of removalOrder(exchanges(hasSystem ? 1 : 0, newest))) {
    const excess = excessNow()
    if (excess <= 0) break
    const unitCost = unit.reduce((sum, i) => sum + cost(i), 0)
    if (unitCost - excess <= Math.max(slack, template.perMessage * unit.length)) {
      for (const i of unit) contents[i] = null
      removedMessages += unit.length
      continue
    }
    // Largest message first; each gives what it can, down to an empty content.
    for (const i of [...unit].sort((a, b) => (tokens[b] ?? 0) - (tokens[a] ?? 0) || a - b)) {
      const left = excessNow()
      if (left <= 0) break
      shrink(i, (tokens[i] ?? 0) - left)
    }
  }

  const newestBefore = tokens[newest] ?? 0
  if (excessNow() > 0) {
    // Only the system prompt and the new message are left: share what the template leaves of the budget.
    const room = budget - minimum
    const system = hasSystem ? tokens[0] ?? 0 : 0
    const current = tokens[newest] ?? 0
    shrink(newest, Math.max(room - system, Math.min(current, Math.ceil(room / 2))))
    if (hasSystem) shrink(0, room - (tokens[newest] ?? 0))
  }

  const kept: ChatMessage[] = []
  let finalTokens = template.perPrompt
  contents.forEach((content, i) => {
    const message = messages[i]
    if (content === null || message === undefined) return
    kept.push(content === message.content ? message : { ...message, content })
    finalTokens += cost(i)
  })
  const messageRemovedTokens = contents[newest] === messages[newest]?.content ? 0 : Math.max(0, newestBefore - (tokens[newest] ?? 0))
  return { messages: kept, middleOut: { promptTokens, removedTokens: promptTokens - finalTokens, messageRemovedTokens, removedMessages, budget } }
}

/**
 * The messages a cut must encode, in the order it needs them: the system prompt and the new message,
 * then history exchanges from the ends inwards (the reverse of the removal order), until those
 * already taken fill the budget. Every exchange left is then dropped whole whatever its size: one is
 * dropped when what comes after it in the removal order fills the budget (within the slack), which
 * those taken do alone. So a history of 20 records at the limit encodes an exchange or two, not 20.
 * `counts[i]` must hold message i's token count before the next index is asked for.
 */
export function * encodingOrder (messages: readonly ChatMessage[], budget: number, template: ChatTemplateCost, counts: readonly number[]): Generator<number> {
  if (messages.length === 0) return
  const newest = messages.length - 1
  const hasSystem = hasSystemPrompt(messages)
  const fixed = hasSystem ? [0, newest] : [newest]
  for (const i of fixed) yield i
  let filled = template.perPrompt + fixed.reduce((sum, i) => sum + (counts[i] ?? 0) + template.perMessage, 0)
  for (const unit of removalOrder(exchanges(hasSystem ? 1 : 0, newest)).reverse()) {
    if (filled >= budget) return
    for (const i of unit) {
      yield i
      filled += (counts[i] ?? 0) + template.perMessage
    }
  }
}

function hasSystemPrompt (messages: readonly ChatMessage[]): boolean {
  return messages.length > 1 && messages[0]?.role === 'system'
}

/** How far a message's ends are encoded: a cut keeps at most `budget` tokens of it, half from each end. */
export function encodingLimit (budget: number): number {
  return Math.ceil(budget / 2) + 8
}

/**
 * Whether the prompt fits by `maxTokens` alone, without tokenizing. Stops at the first message that
 * settles it: a text of `budget` characters is over by itself, so a long history is not measured.
 */
export function fitsUnread (messages: readonly ChatMessage[], budget: number, template: ChatTemplateCost): boolean {
  let bound = template.perPrompt
  for (const { content } of messages) {
    bound += template.perMessage + (content.length >= budget ? budget + 1 : maxTokens(content))
    if (bound > budget) return false
  }
  return true
}

/**
 * History indices `[from, to)` grouped into exchanges counted back from the newest, so each pair is
 * (user, reply) when the history alternates; an odd message out is the oldest, alone.
 */
function exchanges (from: number, to: number): number[][] {
  const units: number[][] = []
  let end = to
  while (end - from >= 2) {
    units.unshift([end - 2, end - 1])
    end -= 2
  }
  if (end > from) units.unshift([from])
  return units
}

/**
 * The middle unit first, then outwards, always on the side that has kept more units (the older side
 * on a tie, as recent context matters more): the removed stretch stays contiguous and the two ends,
 * the oldest and the newest exchanges, go last.
 */
function removalOrder<T> (units: T[]): T[] {
  if (units.length === 0) return []
  const order: T[] = []
  let low = Math.floor((units.length - 1) / 2)
  let high = low
  const first = units[low]
  if (first !== undefined) order.push(first)
  while (order.length < units.length) {
    const keptBefore = low
    const keptAfter = units.length - 1 - high
    const next = keptBefore >= keptAfter ? units[--low] : units[++high]
    if (next !== undefined) order.push(next)
  }
  return order
}
