import { createParser } from 'eventsource-parser'
// undici's fetch takes a dispatcher, here one bound to a source address.
import { Agent, fetch as fetchVia } from 'undici'

/** Plain `fetch` calls to a server on a real socket: for tests where the network is the point. */

export interface JsonResponse { status: number, headers: Headers, body: { access_token?: string, error?: string, [key: string]: unknown } }

// One connection pool per source address: 127.0.0.2, 127.0.0.3 … act as other clients (all loopback on Linux).
const agents = new Map<string, Agent>()
function from (address: string): Agent {
  let agent = agents.get(address)
  if (agent === undefined) {
    agent = new Agent({ localAddress: address })
    agents.set(address, agent)
  }
  return agent
}

/** `POST path` with a JSON body; `source` is the client's own address (default 127.0.0.1). */
export async function post (url: string, path: string, body: unknown, token?: string, source = '127.0.0.1'): Promise<JsonResponse> {
  const res = await fetchVia(`${url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token === undefined ? {} : { authorization: `Bearer ${token}` }) },
    body: JSON.stringify(body),
    dispatcher: from(source)
  })
  return { status: res.status, headers: res.headers as unknown as Headers, body: await res.json() as JsonResponse['body'] }
}

/** Registers and logs in; returns the access token. */
export async function signUp (url: string, username: string, password = 'correct horse battery'): Promise<string> {
  await post(url, '/user/', { username, password })
  const { body } = await post(url, '/token', { username, password })
  return body.access_token as string
}

/** `count` simultaneous `POST /llm/message` ("m0", "m1", …) with `token`, taking turns over `urls`. */
export async function burst (urls: string | string[], token: string, count: number): Promise<JsonResponse[]> {
  const list = typeof urls === 'string' ? [urls] : urls
  return await Promise.all(Array.from({ length: count }, (_, i) =>
    post(list[i % list.length] as string, '/llm/message', { message: `m${i}` }, token)))
}

/** How many responses of each status. */
export function tally (responses: Array<{ status: number }>): Record<number, number> {
  const counts: Record<number, number> = {}
  for (const { status } of responses) counts[status] = (counts[status] ?? 0) + 1
  return counts
}

export interface SseEvent { event: string, data: Record<string, unknown> }

/**
 * Posts a chat message with `Accept: text/event-stream` and collects the events; `stopAfter` aborts
 * after that many. A JSON answer (refusals, errors before the stream) comes back as `json`.
 */
export async function postStream (url: string, token: string, message: string, { path = '/llm/message', stopAfter, onEvent }: { path?: string, stopAfter?: number, onEvent?: (event: SseEvent) => void } = {}): Promise<{ status: number, type: string | null, events: SseEvent[], json?: unknown }> {
  const controller = new AbortController()
  const res = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', accept: 'text/event-stream' },
    body: JSON.stringify({ message }),
    signal: controller.signal
  })
  const type = res.headers.get('content-type')
  if (!type?.startsWith('text/event-stream')) return { status: res.status, type, events: [], json: await res.json() }
  const events: SseEvent[] = []
  const parser = createParser({
    onEvent: (e) => {
      const event = { event: e.event ?? 'message', data: JSON.parse(e.data) }
      events.push(event)
      onEvent?.(event)
    }
  })
  const decoder = new TextDecoder()
  try {
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      parser.feed(decoder.decode(chunk, { stream: true }))
      if (stopAfter !== undefined && events.length >= stopAfter) {
        controller.abort()
        break
      }
    }
  } catch (err) {
    if (!controller.signal.aborted) throw err
  }
  return { status: res.status, type, events }
}

/**
 * Posts a chat message as plain JSON and leaves (closes the connection) once `leaveWhen` holds,
 * e.g. once the upstream has the prompt; resolves when the request has failed on the client side.
 */
export async function postThenLeave (url: string, token: string, message: string, leaveWhen: () => Promise<boolean> | boolean): Promise<void> {
  const client = new AbortController()
  const sent = fetch(`${url}/llm/message`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ message }),
    signal: client.signal
  })
  // The rejection is awaited below; until then it must not count as unhandled.
  sent.catch(() => {})
  await until(leaveWhen)
  client.abort()
  const outcome = await sent.then(() => 'answered', () => 'left')
  if (outcome !== 'left') throw new Error('the request was answered before the client left')
}

/**
 * Waits for `condition` to hold, polling; throws when it has not within `timeoutMs` (as long as
 * expect.poll's: a loaded machine is slow; a server process starting there may need 2 minutes).
 */
export async function until (condition: () => Promise<boolean> | boolean, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition never held')
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
}

export interface OpenStream {
  status: number
  headers: Headers
  /** The JSON body when the answer is not a stream (a refusal). */
  json?: JsonResponse['body']
  /** Reads the stream to its end. */
  events (): Promise<SseEvent[]>
}

/**
 * `POST path` with `Accept: text/event-stream`, resolved as soon as the response headers are in:
 * a stream whose headers never come never resolves.
 */
export async function openStream (url: string, token: string, message: string, path = '/llm/message'): Promise<OpenStream> {
  const res = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', accept: 'text/event-stream' },
    body: JSON.stringify({ message })
  })
  const isStream = res.headers.get('content-type')?.startsWith('text/event-stream') === true
  return {
    status: res.status,
    headers: res.headers,
    ...(isStream ? {} : { json: await res.json() as JsonResponse['body'] }),
    async events () {
      const events: SseEvent[] = []
      const parser = createParser({ onEvent: (e) => events.push({ event: e.event ?? 'message', data: JSON.parse(e.data) }) })
      parser.feed(await res.text())
      return events
    }
  }
}

/** A promise the test settles by hand, e.g. to hold the upstream's answers. */
export function gate (): { promise: Promise<void>, open: () => void } {
  let open!: () => void
  const promise = new Promise<void>((resolve) => { open = resolve })
  return { promise, open }
}
