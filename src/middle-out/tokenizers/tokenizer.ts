/** Where the tokens of one text fall, for cutting it on token boundaries. */
export interface Encoding {
  /** Number of tokens (no BOS/EOS: those belong to the chat template's overhead). */
  readonly count: number
  /**
   * The UTF-16 offset where token `boundary` starts (`count`: the text's length), or -1 when that
   * boundary falls inside a character (byte-level tokens): never cut there.
   */
  offset (boundary: number): number
}

/** One tokenizer family behind the same three operations: count, encode, count a spliced text. */
export interface Tokenizer {
  /** e.g. `mistral-v3`, `o200k_base`, `estimate`. */
  readonly name: string
  /** False for the conservative estimate used when the model's own vocabulary is not available. */
  readonly exact: boolean
  count (text: string): number
  encode (text: string): Encoding
  /**
   * The token count of `text.slice(0, offset(head)) + marker + text.slice(offset(tail))`, exactly as
   * `count` would give it; `head` and `tail` are boundaries of `encoding` that are not `-1`.
   */
  countSpliced (text: string, encoding: Encoding, head: number, tail: number, marker: string): number
}

/**
 * At least `count(text)` for every exact tokenizer here, without tokenizing: each token covers at
 * least one UTF-8 byte (byte fallback is the worst case), plus SentencePiece's "▁" prefix, which can
 * be a token of its own. A prompt within this bound fits without being tokenized, which is most chats.
 * (Not the estimate's: it prices a mixed run like "中abc" at 2 a character.)
 */
export function maxTokens (text: string): number {
  return Buffer.byteLength(text, 'utf8') + 1
}

/** The spliced text itself, shared by every tokenizer so they agree on what they count. */
export function splice (text: string, encoding: Encoding, head: number, tail: number, marker: string): string {
  return text.slice(0, offsetAt(encoding, head)) + marker + text.slice(offsetAt(encoding, tail))
}

function offsetAt (encoding: Encoding, boundary: number): number {
  const offset = encoding.offset(boundary)
  if (offset < 0) throw new RangeError(`token boundary ${boundary} is not a character boundary`)
  return offset
}

/** An encoding whose offsets were all computed up front (`offsets.length` is `count + 1`). */
export function encodingOf (offsets: Int32Array): Encoding {
  return { count: offsets.length - 1, offset: (boundary) => offsets[boundary] ?? -1 }
}
