// An incremental parser for `text/event-stream` (https://html.spec.whatwg.org/multipage/server-sent-events.html#event-stream-interpretation).
// Why it is here: the chat endpoints are POSTs with an Authorization header, which EventSource
// cannot send, so the page reads the fetch() body itself; and the page has no build step to bundle
// `eventsource-parser` from npm. Network chunks split events (and lines) anywhere, so unfinished
// text is carried over to the next chunk.

/**
 * @param {(event: { event: string, data: string, id: string }) => void} onEvent called once per complete event
 * @returns {{ push (text: string): void, end (): void }} feed it decoded text, chunk by chunk; `end` at the end of the stream
 */
export function createSseParser (onEvent) {
  let carry = ''
  let data = []
  let event = ''
  let id = ''

  function dispatch () {
    if (data.length > 0) onEvent({ event: event === '' ? 'message' : event, data: data.join('\n'), id })
    data = []
    event = ''
  }

  function line (text) {
    if (text === '') return dispatch()
    if (text.startsWith(':')) return // a comment (keep-alive)
    const colon = text.indexOf(':')
    const field = colon === -1 ? text : text.slice(0, colon)
    let value = colon === -1 ? '' : text.slice(colon + 1)
    if (value.startsWith(' ')) value = value.slice(1)
    if (field === 'data') data.push(value)
    else if (field === 'event') event = value
    else if (field === 'id' && !value.includes('\0')) id = value
    // `retry` and unknown fields are ignored: the page never reconnects by itself.
  }

  return {
    push (text) {
      const buffer = carry + text
      let start = 0
      for (let i = 0; i < buffer.length; i++) {
        const c = buffer[i]
        if (c !== '\n' && c !== '\r') continue
        // A CR at the very end may be the first half of a CRLF split across chunks: wait for more.
        if (c === '\r' && i === buffer.length - 1) break
        line(buffer.slice(start, i))
        if (c === '\r' && buffer[i + 1] === '\n') i++
        start = i + 1
      }
      carry = buffer.slice(start)
    },
    end () {
      // A CR held back above ends its line after all. Whatever else is left is an unfinished
      // event, which the standard says to drop.
      if (carry.endsWith('\r')) this.push('\n')
      carry = ''
      data = []
      event = ''
    }
  }
}
