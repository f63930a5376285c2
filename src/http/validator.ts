import type { FastifySchemaCompiler, FastifySchemaValidationError } from 'fastify'
import type { TSchema } from 'typebox'
import { Compile } from 'typebox/compile'
import { Value } from 'typebox/value'

// A number as people write it in a URL: no hex, no exponent, no blanks, no empty string.
const DECIMAL = /^-?(?:0|[1-9]\d*)(?:\.\d+)?$/

/**
 * TypeBox validation for every part of a request. Bodies are checked as sent (a number is never a
 * string). Path and query values arrive as strings: only plainly written decimals become numbers,
 * because TypeBox's own `Value.Convert` would accept "1.5" as 1, "0x10" as 16 and "" as 0.
 */
export const validatorCompiler: FastifySchemaCompiler<TSchema> = ({ schema, httpPart }) => {
  const validator = Compile(schema)
  const numeric = numericProperties(schema)
  return (value: unknown) => {
    // Path and query values take their schema defaults (e.g. `?days=` of the report).
    const input = httpPart === 'body' ? value : Value.Default(schema, convertNumbers(value, numeric))
    if (validator.Check(input)) return { value: input }
    return { error: validator.Errors(input) as unknown as FastifySchemaValidationError[] }
  }
}

function numericProperties (schema: TSchema): string[] {
  const properties = (schema as { properties?: Record<string, { type?: unknown }> }).properties ?? {}
  return Object.keys(properties).filter((key) => properties[key]?.type === 'integer' || properties[key]?.type === 'number')
}

function convertNumbers (value: unknown, keys: string[]): unknown {
  if (typeof value !== 'object' || value === null) return value
  const out: Record<string, unknown> = { ...value }
  for (const key of keys) {
    const raw = out[key]
    if (typeof raw === 'string' && DECIMAL.test(raw)) out[key] = Number(raw)
  }
  return out
}
