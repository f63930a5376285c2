/**
 * A parameter name that carries a secret: `access_token`, `token`, `key`, `api_key`, and the same
 * words at the end of a longer name (`refresh_token`, `x-api-key`, `client_secret`, `password`).
 */
const SECRET_NAME = /(?:^|[_.-])(?:access_token|token|key|apikey|api_key|secret|password|passwd|pwd|auth|authorization|signature|sig|code)$/i

/**
 * The URL with the values of secret-looking query parameters replaced, for the log: clients
 * (EventSource, links, some SDKs) put tokens in the query string. Names are compared decoded, so
 * `%74oken=` is caught too; everything else stays as sent.
 */
export function redactUrl (url: string): string {
  const at = url.indexOf('?')
  if (at < 0) return url
  const query = url.slice(at + 1).split('&').map((pair) => {
    const equals = pair.indexOf('=')
    const name = equals < 0 ? pair : pair.slice(0, equals)
    return SECRET_NAME.test(decodeName(name)) ? `${name}=[REDACTED]` : pair
  })
  return `${url.slice(0, at)}?${query.join('&')}`
}

function decodeName (name: string): string {
  try {
    return decodeURIComponent(name.replace(/\+/g, ' '))
  } catch {
    return name
  }
}
