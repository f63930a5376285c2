import { MongoClient, MongoError, MongoParseError, MongoServerSelectionError, type Db } from 'mongodb'
import { DatabaseStartupError } from '../database-startup-error.js'
import { clientOptions, describeUri, PINNED_DB_OPTIONS, redact, type MongoTimeouts } from './connection.js'

/**
 * Start-up: DNS (a `mongodb+srv://` URI's SRV and TXT records), connecting, authenticating, a
 * `ping`, then `prepare` (the indexes), all within one bound, `timeouts.startupTimeoutMS`. A
 * failure stops start-up with one message that says which of these went wrong and what to check,
 * naming the host, never the password.
 */
export async function openDatabase (uri: string, dbName: string, timeouts: MongoTimeouts, prepare: (db: Db) => Promise<void>): Promise<{ client: MongoClient, db: Db }> {
  const where = describeUri(uri)
  let client: MongoClient
  try {
    client = new MongoClient(uri, clientOptions(uri, timeouts))
  } catch (err) {
    const reason = err instanceof MongoParseError ? redact(err.message, uri) : 'it could not be parsed'
    throw new DatabaseStartupError(`invalid configuration: MONGODB_URI (${where}): ${reason}`)
  }
  // The driver resolves a `mongodb+srv://` name before it opens the topology.
  let resolved = !/^mongodb\+srv:/i.test(uri)
  client.once('topologyOpening', () => { resolved = true })

  let timer: NodeJS.Timeout | undefined
  const bound = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new StartupTimeout()), timeouts.startupTimeoutMS)
  })
  let preparing = false
  const steps = async (): Promise<Db> => {
    await client.connect()
    const db = client.db(dbName, PINNED_DB_OPTIONS)
    await db.command({ ping: 1 })
    preparing = true
    await prepare(db)
    return db
  }
  try {
    return { client, db: await Promise.race([steps(), bound]) }
  } catch (err) {
    await client.close().catch(() => {})
    throw startupError(err, { uri, dbName, timeouts, resolved, preparing })
  } finally {
    clearTimeout(timer)
  }
}

class StartupTimeout extends Error {}

type Failure = 'resolve' | 'authenticate' | 'authorize' | 'reach' | 'prepare'

/**
 * What went wrong, from the error, its causes and (for server selection) each server's last error.
 * Before the topology opens, the driver only resolves the SRV and TXT records.
 */
function classifyStartupFailure (err: unknown, { resolved, preparing }: { resolved: boolean, preparing: boolean }): Failure {
  if (!resolved) return 'resolve'
  const all = related(err)
  const codes = all.map((e) => e instanceof MongoError ? e.code : undefined)
  if (codes.includes(18)) return 'authenticate' // AuthenticationFailed
  if (codes.includes(13)) return 'authorize' // Unauthorized
  if (preparing && !(err instanceof StartupTimeout)) return 'prepare'
  const dns = all.some((e) => {
    const { code, syscall } = e as NodeJS.ErrnoException
    return syscall === 'getaddrinfo' || code === 'ENOTFOUND' || code === 'EAI_AGAIN'
  })
  return dns ? 'resolve' : 'reach'
}

function related (err: unknown, seen = new Set<unknown>()): Error[] {
  if (!(err instanceof Error) || seen.has(err)) return []
  seen.add(err)
  const out: Error[] = [err, ...related(err.cause, seen)]
  if (err instanceof MongoServerSelectionError) {
    for (const server of err.reason?.servers.values() ?? []) out.push(...related(server.error, seen))
  }
  return out
}

function startupError (err: unknown, { uri, dbName, timeouts, resolved, preparing }: { uri: string, dbName: string, timeouts: MongoTimeouts, resolved: boolean, preparing: boolean }): DatabaseStartupError {
  const where = describeUri(uri)
  const timedOut = err instanceof StartupTimeout
  const seconds = (timedOut ? timeouts.startupTimeoutMS : timeouts.serverSelectionTimeoutMS) / 1000
  const reason = timedOut
    ? `start-up did not finish within ${seconds} s`
    : redact(err instanceof Error ? err.message : String(err), uri).replace(/\s+/g, ' ').trim()
  switch (classifyStartupFailure(err, { resolved, preparing })) {
    case 'resolve':
      return new DatabaseStartupError(`cannot resolve the MongoDB host name in MONGODB_URI (${where}): ${reason}. ` +
        'Check the host name (on Atlas, copy the connection string again from Connect → Drivers) and this machine\'s DNS.')
    case 'authenticate':
      return new DatabaseStartupError(`MongoDB at ${where} refused the user name or password in MONGODB_URI (authentication failed): ${reason}. ` +
        'Check both (percent-encode @ : / ? # in the password) and, on Atlas, the user under Database Access.')
    case 'authorize':
      return new DatabaseStartupError(`the MongoDB user in MONGODB_URI is not authorized on database "${dbName}" at ${where}: ${reason}. ` +
        `Give it the readWrite role on "${dbName}" (on Atlas: Database Access → Edit → Built-in Role or Specific Privileges).`)
    case 'prepare':
      return new DatabaseStartupError(`MongoDB at ${where} (database "${dbName}"): could not prepare the collections and their indexes: ${reason}`)
    case 'reach':
      return new DatabaseStartupError(`cannot reach MongoDB at ${where} within ${seconds} s: ${reason}. ` +
        'Check MONGODB_URI, that the server is running, and, on Atlas, that this machine\'s IP address is in the project\'s Network Access list.')
  }
}
