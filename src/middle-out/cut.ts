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
  const prompt = sizePrompt(messages, budget, tokenizer, template, sizer)
  const promptTokens = prompt.size()
  if (promptTokens <= budget || messages.length === 0) return { messages: [...messages], middleOut: null }

  const hasSystem = hasSystemPrompt(messages)
  const newest = messages.length - 1
  const minimum = template.perPrompt + template.perMessage * (hasSystem ? 2 : 1)
  if (budget < minimum) throw new ContextTooSmallError(budget, minimum)

  const removedMessages = cutHistory(prompt, hasSystem ? 1 : 0, newest)
  const newestBefore = prompt.tokens[newest] ?? 0
  if (prompt.excess() > 0) shareRoom(prompt, hasSystem, newest, budget - minimum)
  const messageRemovedTokens = prompt.contents[newest] === messages[newest]?.content ? 0 : Math.max(0, newestBefore - (prompt.tokens[newest] ?? 0))
  return { messages: prompt.kept(), middleOut: { promptTokens, removedTokens: promptTokens - prompt.size(), messageRemovedTokens, removedMessages, budget } }
}

/** A prompt being cut: each message's content (`null` once dropped) and its token count. */
interface PromptCut {
  readonly budget: number
  readonly template: ChatTemplateCost
  readonly contents: Array<string | null>
  readonly tokens: number[]
  /** A message's share of the prompt: its tokens and the template's per-message overhead. */
  cost: (i: number) => number
  /** The prompt's size now, the template's overhead included. */
  size: () => number
  excess: () => number
  /** Cuts message `i` from its middle down to `allowance` tokens; nothing when it fits already. */
  shrink: (i: number, allowance: number) => void
  /** The messages left, each with its content now. */
  kept: () => ChatMessage[]
}

/** Encodes what a cut may keep (`encodingOrder`) and sizes the rest, which can only be dropped. */
function sizePrompt (messages: readonly ChatMessage[], budget: number, tokenizer: Tokenizer, template: ChatTemplateCost, sizer: Sizer): PromptCut {
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
  const contents: Array<string | null> = messages.map((message) => message.content)
  const cost = (i: number): number => (tokens[i] ?? 0) + template.perMessage
  // Summed again after each step rather than kept up to date: a message encoded by its ends only
  // counts an estimate until it is cut, and the cut's count is exact (encode-ends.ts).
  const size = (): number => contents.reduce((sum: number, content, i) => content === null ? sum : sum + cost(i), template.perPrompt)
  return {
    budget,
    template,
    contents,
    tokens,
    cost,
    size,
    excess: () => size() - budget,
    shrink (i, allowance) {
      const message = messages[i]
      if (message === undefined || allowance >= (tokens[i] ?? 0)) return
      // Only encoded messages are cut (encodingOrder); should another be, it is encoded now.
      const encoding = encodings[i] ?? sizer.encode(message.content, limit, tokenizer)
      const cut = cutText(message.content, encoding, allowance, tokenizer)
      contents[i] = cut.text
      tokens[i] = cut.tokens
    },
    kept: () => messages.flatMap((message, i) => {
      const content = contents[i]
      if (content === null || content === undefined) return []
      return [content === message.content ? message : { ...message, content }]
    })
  }
}

/**
 * History indices `[from, newest)` leave from the middle outwards, an exchange at a time, until the
 * prompt fits; the exchange where the excess runs out is cut inside instead, unless dropping it
 * wastes little. Returns how many messages were dropped whole.
 */
function cutHistory (prompt: PromptCut, from: number, newest: number): number {
  const { contents, tokens, template } = prompt
  let removedMessages = 0
  // Dropping a whole exchange may overshoot by up to this much; beyond it, cut inside the exchange.
  const slack = Math.floor(prompt.budget / 100)
  for (const unit of removalOrder(exchanges(from, newest))) {
    const excess = prompt.excess()
    if (excess <= 0) break
    const unitCost = unit.reduce((sum, i) => sum + prompt.cost(i), 0)
    if (unitCost - excess <= Math.max(slack, template.perMessage * unit.length)) {
      for (const i of unit) contents[i] = null
      removedMessages += unit.length
      continue
    }
    // Largest message first; each gives what it can, down to an empty content.
    for (const i of [...unit].sort((a, b) => (tokens[b] ?? 0) - (tokens[a] ?? 0) || a - b)) {
      const left = prompt.excess()
      if (left <= 0) break
      prompt.shrink(i, (tokens[i] ?? 0) - left)
    }
  }
  return removedMessages
}

/**
 * Only the system prompt and the new message are left: they share `room`, what the template leaves
 * of the budget. The system prompt is cut only if keeping it whole leaves the message under half.
 */
function shareRoom (prompt: PromptCut, hasSystem: boolean, newest: number, room: number): void {
  const { tokens } = prompt
  const system = hasSystem ? tokens[0] ?? 0 : 0
  const current = tokens[newest] ?? 0
  prompt.shrink(newest, Math.max(room - system, Math.min(current, Math.ceil(room / 2))))
  if (hasSystem) prompt.shrink(0, room - (tokens[newest] ?? 0))
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
