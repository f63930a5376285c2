/** Beyond this many UTF-16 units, a message's handling is split into turns of the event loop. */
export const LONG_MESSAGE_CHARS = 10_000

/**
 * Whether `text` holds more than `max` characters (code points, as the contract counts them), in one
 * pass without copying: `[...text]` would build an array of 200,000 strings for a message at the limit.
 */
export function longerThan (text: string, max: number): boolean {
  if (text.length <= max) return false
  let chars = text.length
  for (let i = 0; i < text.length - 1; i++) {
    const code = text.charCodeAt(i)
    // A surrogate pair is one character in two UTF-16 units.
    if (code >= 0xd800 && code <= 0xdbff) {
      const next = text.charCodeAt(i + 1)
      if (next >= 0xdc00 && next <= 0xdfff) {
        chars--
        i++
      }
    }
  }
  return chars > max
}
