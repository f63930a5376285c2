import { Type } from 'typebox'

export const NewApiKeyBodySchema = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 100, description: 'What the key is for, 1–100 characters, not only spaces.', examples: ['Open WebUI'] })
})

const ApiKeyFields = {
  id: Type.String(),
  name: Type.String(),
  created_at: Type.String({ format: 'date-time' })
}

export const ApiKeySchema = Type.Object(ApiKeyFields, { description: 'An API key, without the key itself.' })

export const NewApiKeySchema = Type.Object({
  ...ApiKeyFields,
  key: Type.String({ description: 'The key (`sk-sc-…`): shown only here, never again. Send it as `Authorization: Bearer <key>`.' })
})

export const ApiKeyParamsSchema = Type.Object({ id: Type.String({ maxLength: 64 }) })
