import { ObjectId } from 'mongodb'

/**
 * A small, strict evaluator of the MongoDB query language subset the MongoDB backend uses: query
 * filters, classic and pipeline updates, aggregation expressions and stages. It exists because no
 * MongoDB server can run on these machines: tests use it to check what the backend's documents
 * *do*, not only what they look like. Anything outside the subset throws, so a document the
 * backend starts sending is never silently misread. It follows MongoDB's documented semantics for
 * these operators; it is not MongoDB, and a real server is the final word (TEST_MONGODB_URI).
 */

export type Doc = Record<string, unknown>
/** A field that is not there (distinct from `null`, as in MongoDB). */
const MISSING: unique symbol = Symbol('missing')
type Value = unknown

class UnsupportedError extends Error {
  override name = 'UnsupportedError'
}

function isPlainObject (value: Value): value is Doc {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false
  const proto = Object.getPrototypeOf(value) as unknown
  return proto === Object.prototype || proto === null
}

// ---------------------------------------------------------------------------------------------
// Values: BSON comparison order, equality, paths

function typeRank (value: Value): number {
  if (value === MISSING || value === null || value === undefined) return 1
  if (typeof value === 'number') return 2
  if (typeof value === 'string') return 3
  if (isPlainObject(value)) return 4
  if (Array.isArray(value)) return 5
  if (value instanceof ObjectId) return 7
  if (typeof value === 'boolean') return 8
  if (value instanceof Date) return 9
  throw new UnsupportedError(`unsupported value type: ${String(value)}`)
}

/** BSON order (enough of it for numbers, strings, documents, arrays, ObjectIds, booleans, dates). */
function compare (a: Value, b: Value): number {
  const ra = typeRank(a)
  const rb = typeRank(b)
  if (ra !== rb) return ra - rb
  if (typeof a === 'number' && typeof b === 'number') return a - b
  if (typeof a === 'string' && typeof b === 'string') return Buffer.compare(Buffer.from(a), Buffer.from(b))
  if (a instanceof ObjectId && b instanceof ObjectId) return Buffer.compare(Buffer.from(a.id), Buffer.from(b.id))
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b)
  if (a instanceof Date && b instanceof Date) return a.getTime() - b.getTime()
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.min(a.length, b.length); i++) {
      const c = compare(a[i], b[i])
      if (c !== 0) return c
    }
    return a.length - b.length
  }
  if (isPlainObject(a) && isPlainObject(b)) {
    const ka = Object.keys(a)
    const kb = Object.keys(b)
    for (let i = 0; i < Math.min(ka.length, kb.length); i++) {
      const c = compare(ka[i], kb[i]) || compare(a[ka[i] as string], b[kb[i] as string])
      if (c !== 0) return c
    }
    return ka.length - kb.length
  }
  return 0
}

export function equals (a: Value, b: Value): boolean {
  if ((a === MISSING) !== (b === MISSING)) return false
  return compare(a, b) === 0
}

/** A field of a document by dotted path; through arrays, as aggregation's `$a.b` does. */
function getPath (doc: Value, path: string): Value {
  let current: Value = doc
  for (const part of path.split('.')) {
    if (Array.isArray(current)) {
      current = current.map((item) => getPath(item, part)).filter((v) => v !== MISSING)
    } else if (isPlainObject(current)) {
      current = Object.hasOwn(current, part) ? current[part] : MISSING
    } else {
      return MISSING
    }
  }
  return current
}

function clone<T> (value: T): T {
  if (Array.isArray(value)) return value.map(clone) as T
  if (isPlainObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, clone(v)])) as T
  return value
}

// ---------------------------------------------------------------------------------------------
// Aggregation expressions

interface Scope { root: Doc, vars: Record<string, Value> }

function numeric (value: Value, op: string): number {
  if (typeof value !== 'number') throw new UnsupportedError(`${op} needs numbers, got ${String(value)}`)
  return value
}

function args (operand: Value, scope: Scope): Value[] {
  return Array.isArray(operand) ? operand.map((a) => evaluate(a, scope)) : [evaluate(operand, scope)]
}

function array (value: Value, op: string): Value[] {
  if (!Array.isArray(value)) throw new UnsupportedError(`${op} needs an array, got ${String(value)}`)
  return value
}

function truthy (value: Value): boolean {
  return !(value === false || value === null || value === undefined || value === MISSING || value === 0)
}

const OPERATORS: Record<string, (operand: Value, scope: Scope) => Value> = {
  $literal: (operand) => operand,
  $ifNull: (operand, scope) => {
    const values = args(operand, scope)
    for (const v of values.slice(0, -1)) if (v !== null && v !== MISSING && v !== undefined) return v
    return values[values.length - 1]
  },
  $filter: (operand, scope) => {
    const { input, as = 'this', cond } = operand as { input: Value, as?: string, cond: Value }
    const items = evaluate(input, scope)
    if (items === null || items === MISSING) return null
    return array(items, '$filter').filter((item) => truthy(evaluate(cond, { ...scope, vars: { ...scope.vars, [as]: item } })))
  },
  $map: (operand, scope) => {
    const { input, as = 'this', in: body } = operand as { input: Value, as?: string, in: Value }
    const items = evaluate(input, scope)
    if (items === null || items === MISSING) return null
    return array(items, '$map').map((item) => evaluate(body, { ...scope, vars: { ...scope.vars, [as]: item } }))
  },
  $size: (operand, scope) => array(args(operand, scope)[0], '$size').length,
  $arrayElemAt: (operand, scope) => {
    const [items, index] = args(operand, scope)
    const list = array(items, '$arrayElemAt')
    const i = numeric(index, '$arrayElemAt')
    if (!Number.isInteger(i)) throw new UnsupportedError('$arrayElemAt needs an integer index')
    const at = i < 0 ? list.length + i : i
    return at >= 0 && at < list.length ? list[at] : MISSING
  },
  $sortArray: (operand, scope) => {
    const { input, sortBy } = operand as { input: Value, sortBy: Value }
    const list = [...array(evaluate(input, scope), '$sortArray')]
    if (sortBy === 1 || sortBy === -1) return list.sort((a, b) => sortBy * compare(a, b))
    if (!isPlainObject(sortBy)) throw new UnsupportedError('$sortArray sortBy')
    return list.sort(comparator(sortBy))
  },
  $concatArrays: (operand, scope) => args(operand, scope).flatMap((a) => array(a, '$concatArrays')),
  $in: (operand, scope) => {
    const [needle, haystack] = args(operand, scope)
    return array(haystack, '$in').some((v) => equals(v, needle))
  },
  $mergeObjects: (operand, scope) => Object.assign({}, ...args(operand, scope).filter(isPlainObject)),
  $switch: (operand, scope) => {
    const { branches, default: fallback } = operand as { branches: Array<{ case: Value, then: Value }>, default?: Value }
    for (const branch of branches) if (truthy(evaluate(branch.case, scope))) return evaluate(branch.then, scope)
    if (fallback === undefined) throw new UnsupportedError('$switch without a matching branch or default')
    return evaluate(fallback, scope)
  },
  $cond: (operand, scope) => {
    const [cond, then, otherwise] = Array.isArray(operand)
      ? operand
      : [(operand as Doc).if, (operand as Doc).then, (operand as Doc).else]
    return truthy(evaluate(cond, scope)) ? evaluate(then, scope) : evaluate(otherwise, scope)
  },
  $let: (operand, scope) => {
    const { vars, in: body } = operand as { vars: Doc, in: Value }
    const bound: Record<string, Value> = {}
    for (const [name, expr] of Object.entries(vars)) bound[name] = evaluate(expr, scope)
    return evaluate(body, { ...scope, vars: { ...scope.vars, ...bound } })
  },
  $isNumber: (operand, scope) => typeof args(operand, scope)[0] === 'number',
  $and: (operand, scope) => args(operand, scope).every(truthy),
  $or: (operand, scope) => args(operand, scope).some(truthy),
  $not: (operand, scope) => !truthy(args(operand, scope)[0]),
  $eq: (operand, scope) => { const [a, b] = args(operand, scope); return compare(a, b) === 0 },
  $ne: (operand, scope) => { const [a, b] = args(operand, scope); return compare(a, b) !== 0 },
  $gt: (operand, scope) => { const [a, b] = args(operand, scope); return compare(a, b) > 0 },
  $gte: (operand, scope) => { const [a, b] = args(operand, scope); return compare(a, b) >= 0 },
  $lt: (operand, scope) => { const [a, b] = args(operand, scope); return compare(a, b) < 0 },
  $lte: (operand, scope) => { const [a, b] = args(operand, scope); return compare(a, b) <= 0 },
  $add: (operand, scope) => args(operand, scope).reduce<number>((sum, v) => sum + numeric(v, '$add'), 0),
  $subtract: (operand, scope) => { const [a, b] = args(operand, scope); return numeric(a, '$subtract') - numeric(b, '$subtract') },
  $divide: (operand, scope) => { const [a, b] = args(operand, scope); return numeric(a, '$divide') / numeric(b, '$divide') },
  // Like MongoDB's (and C's, and SQLite's): the result has the dividend's sign.
  $mod: (operand, scope) => { const [a, b] = args(operand, scope); return numeric(a, '$mod') % numeric(b, '$mod') },
  $floor: (operand, scope) => Math.floor(numeric(args(operand, scope)[0], '$floor')),
  $avg: (operand, scope) => {
    const values = args(operand, scope).flatMap((v) => Array.isArray(v) ? v : [v]).filter((v): v is number => typeof v === 'number')
    return values.length === 0 ? null : values.reduce((s, v) => s + v, 0) / values.length
  },
  $strLenCP: (operand, scope) => {
    const [s] = args(operand, scope)
    if (typeof s !== 'string') throw new UnsupportedError('$strLenCP needs a string')
    return [...s].length
  },
  $substrCP: (operand, scope) => {
    const [s, start, count] = args(operand, scope)
    if (typeof s !== 'string') throw new UnsupportedError('$substrCP needs a string')
    return [...s].slice(numeric(start, '$substrCP'), numeric(start, '$substrCP') + numeric(count, '$substrCP')).join('')
  }
}

/** Evaluates an aggregation expression against `scope.root`. */
function evaluate (expr: Value, scope: Scope): Value {
  if (typeof expr === 'string' && expr.startsWith('$$')) {
    const [name, ...rest] = expr.slice(2).split('.')
    if (name === 'ROOT' || name === 'CURRENT') return rest.length === 0 ? scope.root : getPath(scope.root, rest.join('.'))
    if (name === undefined || !Object.hasOwn(scope.vars, name)) throw new UnsupportedError(`unknown variable ${expr}`)
    return rest.length === 0 ? scope.vars[name] : getPath(scope.vars[name], rest.join('.'))
  }
  if (typeof expr === 'string' && expr.startsWith('$')) return getPath(scope.root, expr.slice(1))
  if (Array.isArray(expr)) return expr.map((e) => evaluate(e, scope))
  if (isPlainObject(expr)) {
    const keys = Object.keys(expr)
    if (keys.length === 1 && keys[0]?.startsWith('$') === true) {
      const op = OPERATORS[keys[0]]
      if (op === undefined) throw new UnsupportedError(`unsupported operator ${keys[0]}`)
      return op(expr[keys[0]], scope)
    }
    if (keys.some((k) => k.startsWith('$'))) throw new UnsupportedError(`invalid expression object ${keys.join(', ')}`)
    const out: Doc = {}
    for (const key of keys) {
      const v = evaluate(expr[key], scope)
      if (v !== MISSING) out[key] = v
    }
    return out
  }
  return expr
}

// ---------------------------------------------------------------------------------------------
// Query filters

function matchCondition (value: Value, condition: Value): boolean {
  if (isPlainObject(condition) && Object.keys(condition).some((k) => k.startsWith('$'))) {
    return Object.entries(condition).every(([op, operand]) => matchOperator(value, op, operand))
  }
  return matchEquals(value, condition)
}

/** Equality as a query sees it: an array field matches when any element does. */
function matchEquals (value: Value, operand: Value): boolean {
  if (equals(value, operand)) return true
  if ((operand === null) && value === MISSING) return true
  return Array.isArray(value) && value.some((v) => equals(v, operand))
}

function matchOperator (value: Value, op: string, operand: Value): boolean {
  const any = (test: (v: Value) => boolean): boolean => test(value) || (Array.isArray(value) && value.some(test))
  // Range operators compare within a type only, as MongoDB's type bracketing does.
  const ranged = (test: (c: number) => boolean) => any((v) => v !== MISSING && typeRank(v) === typeRank(operand) && test(compare(v, operand)))
  switch (op) {
    case '$eq': return matchEquals(value, operand)
    case '$ne': return !matchEquals(value, operand)
    case '$gt': return ranged((c) => c > 0)
    case '$gte': return ranged((c) => c >= 0)
    case '$lt': return ranged((c) => c < 0)
    case '$lte': return ranged((c) => c <= 0)
    case '$in': return array(operand, '$in').some((o) => matchEquals(value, o))
    case '$exists': return (value !== MISSING) === Boolean(operand)
    // A pattern given as a string, without options (as the backend sends it): JavaScript's syntax
    // agrees with PCRE's for the escapes it uses.
    case '$regex':
      if (typeof operand !== 'string') throw new UnsupportedError('$regex other than a string')
      return any((v) => typeof v === 'string' && new RegExp(operand).test(v))
    case '$type':
      if (operand === 'string') return any((v) => typeof v === 'string')
      if (operand === 'number') return any((v) => typeof v === 'number')
      throw new UnsupportedError(`$type ${String(operand)}`)
    default: throw new UnsupportedError(`unsupported query operator ${op}`)
  }
}

/** Whether a document matches a query filter. */
export function matches (doc: Doc, filter: Doc): boolean {
  return Object.entries(filter).every(([key, condition]) => {
    if (key === '$and') return array(condition, '$and').every((f) => matches(doc, f as Doc))
    if (key === '$or') return array(condition, '$or').some((f) => matches(doc, f as Doc))
    if (key.startsWith('$')) throw new UnsupportedError(`unsupported top-level ${key}`)
    return matchCondition(getPath(doc, key), condition)
  })
}

// ---------------------------------------------------------------------------------------------
// Updates

/** Applies a classic (`$set`, `$pull`, `$inc`) or pipeline update; returns the new document. */
export function applyUpdate (doc: Doc, update: Doc | Doc[]): Doc {
  if (Array.isArray(update)) return runPipeline([doc], update)[0] as Doc
  const out = clone(doc)
  for (const [op, fields] of Object.entries(update)) {
    if (!isPlainObject(fields)) throw new UnsupportedError(`update ${op}`)
    for (const [path, operand] of Object.entries(fields)) {
      if (path.includes('.') || path.startsWith('$')) throw new UnsupportedError(`update path ${path}`)
      if (op === '$set') out[path] = clone(operand)
      else if (op === '$inc') out[path] = (typeof out[path] === 'number' ? out[path] : 0) + numeric(operand, '$inc')
      else if (op === '$pull') {
        const current = out[path]
        if (!Array.isArray(current)) continue
        out[path] = current.filter((item) => !(isPlainObject(operand) && isPlainObject(item) && !Object.keys(operand).some((k) => k.startsWith('$'))
          ? matches(item, operand)
          : matchCondition(item, operand)))
      } else throw new UnsupportedError(`unsupported update operator ${op}`)
    }
  }
  return out
}

// ---------------------------------------------------------------------------------------------
// Aggregation stages

function comparator (sort: Doc): (a: Value, b: Value) => number {
  return (a, b) => {
    for (const [path, direction] of Object.entries(sort)) {
      const c = compare(getPath(a, path), getPath(b, path))
      if (c !== 0) return direction === -1 ? -c : c
    }
    return 0
  }
}

export function sortDocs (docs: Doc[], sort: Doc): Doc[] {
  return [...docs].sort(comparator(sort))
}

/** A find/`$project` projection: inclusion (1, or an expression) or exclusion (0). */
export function project (doc: Doc, projection: Doc): Doc {
  const entries = Object.entries(projection)
  const inclusive = entries.some(([key, v]) => key !== '_id' && v !== 0 && v !== false)
  if (!inclusive) {
    const out = clone(doc)
    for (const [key, v] of entries) if (v === 0 || v === false) delete out[key]
    return out
  }
  const out: Doc = {}
  if (projection._id === undefined && Object.hasOwn(doc, '_id')) out._id = doc._id
  for (const [key, v] of entries) {
    if (v === 0 || v === false) continue
    if (key.includes('.')) {
      // `a.b: 1` keeps `b` of the embedded document `a` (not through arrays, unsupported here).
      if (v !== 1 && v !== true) throw new UnsupportedError(`dotted projection expression ${key}`)
      includePath(out, doc, key.split('.'))
      continue
    }
    const value = v === 1 || v === true ? getPath(doc, key) : evaluate(v, { root: doc, vars: {} })
    if (value !== MISSING) out[key] = value
  }
  return out
}

function includePath (out: Doc, doc: Doc, [head, ...rest]: string[]): void {
  if (head === undefined || !Object.hasOwn(doc, head)) return
  const value = doc[head]
  if (rest.length === 0) {
    out[head] = clone(value)
    return
  }
  if (Array.isArray(value)) throw new UnsupportedError('dotted projection through an array')
  if (!isPlainObject(value)) return
  const inner = isPlainObject(out[head]) ? out[head] : {}
  includePath(inner, value, rest)
  out[head] = inner
}

function accumulate (op: string, operand: Value, docs: Doc[]): Value {
  const values = docs.map((d) => evaluate(operand, { root: d, vars: {} }))
  const present = values.filter((v) => v !== MISSING && v !== null)
  switch (op) {
    case '$sum': return present.filter((v): v is number => typeof v === 'number').reduce((s, v) => s + v, 0)
    case '$avg': {
      const numbers = present.filter((v): v is number => typeof v === 'number')
      return numbers.length === 0 ? null : numbers.reduce((s, v) => s + v, 0) / numbers.length
    }
    case '$min': return present.length === 0 ? null : present.reduce((m, v) => compare(v, m) < 0 ? v : m)
    case '$max': return present.length === 0 ? null : present.reduce((m, v) => compare(v, m) > 0 ? v : m)
    case '$push': return values.filter((v) => v !== MISSING)
    default: throw new UnsupportedError(`unsupported accumulator ${op}`)
  }
}

function group (docs: Doc[], spec: Doc): Doc[] {
  const groups: Array<{ key: Value, docs: Doc[] }> = []
  for (const doc of docs) {
    let key = evaluate(spec._id, { root: doc, vars: {} })
    if (key === MISSING) key = null
    const found = groups.find((g) => equals(g.key, key))
    if (found === undefined) groups.push({ key, docs: [doc] })
    else found.docs.push(doc)
  }
  return groups.map(({ key, docs: members }) => {
    const out: Doc = { _id: key }
    for (const [field, acc] of Object.entries(spec)) {
      if (field === '_id') continue
      const [op, operand] = Object.entries(acc as Doc)[0] as [string, Value]
      out[field] = accumulate(op, operand, members)
    }
    return out
  })
}

/**
 * One field of a `$set`/`$addFields` stage. A value that is a document of fields (no operator)
 * is merged into an existing embedded document, field by field, as the manual describes; it does
 * not replace it. Into an array of documents it would apply to each element: not supported here.
 */
function setField (target: Doc, field: string, expr: Value, root: Doc): void {
  if (field.includes('.') || field.startsWith('$')) throw new UnsupportedError(`$set field ${field}`)
  const nested = isPlainObject(expr) && Object.keys(expr).length > 0 && !Object.keys(expr).some((k) => k.startsWith('$'))
  if (!nested) {
    const v = evaluate(expr, { root, vars: {} })
    if (v === MISSING) delete target[field]
    else target[field] = v
    return
  }
  const current = target[field]
  if (Array.isArray(current)) throw new UnsupportedError(`$set of a document into the array ${field}`)
  const merged: Doc = isPlainObject(current) ? clone(current) : {}
  for (const [key, sub] of Object.entries(expr)) setField(merged, key, sub, root)
  target[field] = merged
}

/** Runs an aggregation pipeline (also the pipeline form of updates) over documents. */
export function runPipeline (docs: Doc[], pipeline: Doc[]): Doc[] {
  let current = docs.map(clone)
  for (const stage of pipeline) {
    const [name, spec] = Object.entries(stage)[0] as [string, Value]
    switch (name) {
      case '$match': current = current.filter((d) => matches(d, spec as Doc)); break
      case '$set':
      case '$addFields':
        current = current.map((d) => {
          const out = clone(d)
          for (const [field, expr] of Object.entries(spec as Doc)) setField(out, field, expr, d)
          return out
        })
        break
      case '$unset': {
        const fields = Array.isArray(spec) ? spec : [spec]
        current = current.map((d) => { const out = clone(d); for (const f of fields) delete out[f as string]; return out })
        break
      }
      case '$project': current = current.map((d) => project(d, spec as Doc)); break
      case '$group': current = group(current, spec as Doc); break
      case '$sort': current = sortDocs(current, spec as Doc); break
      case '$limit': current = current.slice(0, numeric(spec, '$limit')); break
      case '$skip': current = current.slice(numeric(spec, '$skip')); break
      case '$facet': {
        const input = current
        const out: Doc = {}
        for (const [field, sub] of Object.entries(spec as Doc)) out[field] = runPipeline(input, sub as Doc[])
        current = [out]
        break
      }
      default: throw new UnsupportedError(`unsupported stage ${name}`)
    }
  }
  return current
}

/** The document an upsert starts from: the filter's equality conditions on top-level fields. */
export function upsertSeed (filter: Doc): Doc {
  const seed: Doc = {}
  for (const [key, condition] of Object.entries(filter)) {
    if (key.startsWith('$') || key.includes('.')) continue
    if (isPlainObject(condition) && Object.keys(condition).some((k) => k.startsWith('$'))) {
      if (Object.hasOwn(condition, '$eq')) seed[key] = clone(condition.$eq)
    } else {
      seed[key] = clone(condition)
    }
  }
  return seed
}
