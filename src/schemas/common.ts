import { Type, type Static } from 'typebox'

/** Every error body (SPEC "Errors"); `retry_after` accompanies limits and upstream rate limits. */
export const ErrorSchema = Type.Object({
  error: Type.String({ description: 'A stable, machine-readable code (see src/errors.ts).' }),
  detail: Type.String({ description: 'A sentence for people: Simplified Chinese with `Accept-Language: zh`, else English.' }),
  retry_after: Type.Optional(Type.Integer({ description: 'Seconds to wait before trying again.' }))
}, { $id: 'Error', description: 'An error.' })

export type ErrorBody = Static<typeof ErrorSchema>

/** The error responses a route can give, by status, all with the one error schema. */
export function errorResponses (...statuses: number[]): Record<number, typeof ErrorSchema> {
  return Object.fromEntries(statuses.map((status) => [status, ErrorSchema]))
}
