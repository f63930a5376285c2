import { BSON, Long, ObjectId } from 'mongodb'
import { applyUpdate, equals, matches, project, runPipeline, sortDocs, upsertSeed, type Doc } from './mongo-eval.js'

/**
 * The CRUD and index commands of the stand-in MongoDB server (fake-mongo-server.ts), run against
 * a `Space`: the committed data, or a transaction's snapshot of it (fake-mongo-sessions.ts).
 * Where the manual is clear it is strict: documents over 16 MiB are refused, an index whose name
 * or key exists with another definition is refused (IndexKeySpecsConflict, IndexOptionsConflict),
 * unique indexes hold.
 */

/** Where a command reads and writes: every changed document is reported by `_id`. */
export interface Space {
  docs (ns: string): Doc[]
  /** `doc` (by its `_id`) was inserted, replaced or removed in `ns`. */
  touched (ns: string, doc: Doc): void
}

export interface IndexSpec { key: Doc, name: string, [option: string]: unknown }

/** An error the server answers with `ok: 0` (or as a write error). */
export class CommandError extends Error {
  constructor (readonly code: number, readonly codeName: string, message: string, readonly labels: string[] = []) {
    super(message)
  }

  reply (): Doc {
    return { ok: 0, code: this.code, codeName: this.codeName, errmsg: this.message, ...(this.labels.length > 0 ? { errorLabels: this.labels } : {}) }
  }
}

export const MAX_BSON_SIZE = 16 * 1024 * 1024

/** The indexes of every namespace (`db.collection` → name → definition); `_id_` is implicit. */
export type Indexes = Map<string, Map<string, IndexSpec>>

const ID_INDEX: IndexSpec = { key: { _id: 1 }, name: '_id_' }

function indexesOf (indexes: Indexes, ns: string): IndexSpec[] {
  return [ID_INDEX, ...(indexes.get(ns)?.values() ?? [])]
}

/** Refuses a document that a unique index or the size limit would not take. */
function check (indexes: Indexes, ns: string, docs: Doc[], doc: Doc, self: Doc | undefined, tooLargeCode: number): void {
  const size = BSON.calculateObjectSize(doc)
  if (size > MAX_BSON_SIZE) {
    throw new CommandError(tooLargeCode, 'BSONObjectTooLarge', `document is ${size} bytes, larger than ${MAX_BSON_SIZE}`)
  }
  for (const index of indexesOf(indexes, ns)) {
    if (index.name !== '_id_' && index.unique !== true) continue
    const key = (d: Doc) => Object.keys(index.key).map((k) => d[k])
    const mine = key(doc)
    if (docs.some((other) => other !== self && key(other).every((v, i) => equals(v ?? null, mine[i] ?? null)))) {
      throw new CommandError(11000, 'DuplicateKey', `E11000 duplicate key error collection: ${ns} index: ${index.name}`)
    }
  }
}

const cursor = (ns: string, batch: Doc[]): Doc => ({ cursor: { firstBatch: batch, id: Long.ZERO, ns }, ok: 1 })

/** Options of an index definition other than its key and name, for comparing two definitions. */
function optionsOf (spec: IndexSpec): Doc {
  const { key: _key, name: _name, v: _v, ...options } = spec
  return options
}

function createIndexes (indexes: Indexes, ns: string, specs: IndexSpec[]): Doc {
  const existing = indexes.get(ns) ?? new Map<string, IndexSpec>()
  for (const spec of specs) {
    const sameName = spec.name === '_id_' ? ID_INDEX : existing.get(spec.name)
    if (sameName !== undefined) {
      if (!equals(sameName.key, spec.key)) throw new CommandError(86, 'IndexKeySpecsConflict', `An existing index has the same name as the requested index but a different key: ${spec.name}`)
      if (!equals(optionsOf(sameName), optionsOf(spec))) throw new CommandError(85, 'IndexOptionsConflict', `An existing index has the same name as the requested index but different options: ${spec.name}`)
      continue
    }
    const sameKey = indexesOf(indexes, ns).find((index) => equals(index.key, spec.key))
    if (sameKey !== undefined) {
      throw new CommandError(85, 'IndexOptionsConflict', `Index already exists with a different name: ${sameKey.name}`)
    }
  }
  for (const spec of specs) existing.set(spec.name, spec)
  indexes.set(ns, existing)
  return { ok: 1, numIndexesBefore: 1, numIndexesAfter: 1 + existing.size }
}

/** Runs one CRUD or index command; `null` when the command is not one of these. */
export function runCommand (space: Space, indexes: Indexes, command: Doc, name: string, ns: string): Doc | null {
  switch (name) {
    case 'createIndexes':
      space.docs(ns)
      return createIndexes(indexes, ns, command.indexes as IndexSpec[])
    case 'listIndexes':
      return cursor(ns, indexesOf(indexes, ns).map((spec) => ({ v: 2, ...spec })))
    case 'dropIndexes': {
      const names = Array.isArray(command.index) ? command.index as string[] : [command.index as string]
      for (const index of names) {
        if (indexes.get(ns)?.delete(index) !== true) throw new CommandError(27, 'IndexNotFound', `index not found with name [${index}]`)
      }
      return { ok: 1 }
    }
    case 'insert': {
      const docs = space.docs(ns)
      let n = 0
      const writeErrors: Doc[] = []
      for (const [index, doc] of (command.documents as Doc[]).entries()) {
        const stored = doc._id === undefined ? { _id: new ObjectId(), ...doc } : doc
        try {
          check(indexes, ns, docs, stored, undefined, 10334)
        } catch (err) {
          if (!(err instanceof CommandError)) throw err
          writeErrors.push({ index, code: err.code, errmsg: err.message })
          if (command.ordered !== false) break
          continue
        }
        docs.push(stored)
        space.touched(ns, stored)
        n++
      }
      return writeErrors.length > 0 ? { n, writeErrors, ok: 1 } : { n, ok: 1 }
    }
    case 'find': {
      let docs = space.docs(ns).filter((d) => matches(d, (command.filter ?? {}) as Doc))
      if (command.sort !== undefined) docs = sortDocs(docs, command.sort as Doc)
      if (typeof command.skip === 'number') docs = docs.slice(command.skip)
      if (typeof command.limit === 'number' && command.limit !== 0) docs = docs.slice(0, Math.abs(command.limit))
      if (command.projection !== undefined) docs = docs.map((d) => project(d, command.projection as Doc))
      return cursor(ns, docs)
    }
    case 'aggregate':
      return cursor(ns, runPipeline(space.docs(ns), command.pipeline as Doc[]))
    case 'findAndModify':
      return findAndModify(space, indexes, command, ns)
    case 'update': {
      const docs = space.docs(ns)
      let n = 0
      let nModified = 0
      const upserted: Doc[] = []
      for (const [index, statement] of (command.updates as Array<{ q: Doc, u: Doc | Doc[], upsert?: boolean, multi?: boolean }>).entries()) {
        const targets = docs.filter((d) => matches(d, statement.q))
        for (const target of statement.multi === true ? targets : targets.slice(0, 1)) {
          const updated = applyUpdate(target, statement.u)
          check(indexes, ns, docs, updated, target, 17419)
          docs[docs.indexOf(target)] = updated
          space.touched(ns, updated)
          n++
          if (!equals(updated, target)) nModified++
        }
        if (targets.length === 0 && statement.upsert === true) {
          const created = applyUpdate(upsertSeed(statement.q), statement.u)
          if (created._id === undefined) created._id = new ObjectId()
          check(indexes, ns, docs, created, undefined, 17419)
          docs.push(created)
          space.touched(ns, created)
          upserted.push({ index, _id: created._id })
          n++
        }
      }
      return { n, nModified, ...(upserted.length > 0 ? { upserted } : {}), ok: 1 }
    }
    case 'delete': {
      const docs = space.docs(ns)
      let n = 0
      for (const statement of command.deletes as Array<{ q: Doc, limit: number }>) {
        const targets = docs.filter((d) => matches(d, statement.q))
        for (const target of statement.limit === 1 ? targets.slice(0, 1) : targets) {
          docs.splice(docs.indexOf(target), 1)
          space.touched(ns, target)
          n++
        }
      }
      return { n, ok: 1 }
    }
    default:
      return null
  }
}

function findAndModify (space: Space, indexes: Indexes, command: Doc, ns: string): Doc {
  const docs = space.docs(ns)
  let candidates = docs.filter((d) => matches(d, (command.query ?? {}) as Doc))
  if (command.sort !== undefined) candidates = sortDocs(candidates, command.sort as Doc)
  const found = candidates[0]
  const shape = (d: Doc | null): Doc | null => d === null || command.fields === undefined ? d : project(d, command.fields as Doc)
  if (command.remove === true) {
    if (found !== undefined) {
      docs.splice(docs.indexOf(found), 1)
      space.touched(ns, found)
    }
    return { lastErrorObject: { n: found === undefined ? 0 : 1 }, value: shape(found ?? null), ok: 1 }
  }
  const update = command.update as Doc | Doc[]
  if (found === undefined) {
    if (command.upsert !== true) return { lastErrorObject: { n: 0, updatedExisting: false }, value: null, ok: 1 }
    const created = applyUpdate(upsertSeed((command.query ?? {}) as Doc), update)
    if (created._id === undefined) created._id = new ObjectId()
    check(indexes, ns, docs, created, undefined, 17419)
    docs.push(created)
    space.touched(ns, created)
    return { lastErrorObject: { n: 1, updatedExisting: false, upserted: created._id }, value: shape(command.new === true ? created : null), ok: 1 }
  }
  const updated = applyUpdate(found, update)
  check(indexes, ns, docs, updated, found, 17419)
  docs[docs.indexOf(found)] = updated
  space.touched(ns, updated)
  return { lastErrorObject: { n: 1, updatedExisting: true }, value: shape(command.new === true ? updated : found), ok: 1 }
}
