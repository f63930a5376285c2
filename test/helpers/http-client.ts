/** Plain `fetch` calls to a server on a real socket: for tests where the network is the point. */

export interface JsonResponse { status: number, body: { access_token?: string, error?: string, [key: string]: unknown } }

export async function post (url: string, path: string, body: unknown, token?: string): Promise<JsonResponse> {
  const res = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token === undefined ? {} : { authorization: `Bearer ${token}` }) },
    body: JSON.stringify(body)
  })
  return { status: res.status, body: await res.json() as JsonResponse['body'] }
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
