import { Type, type Static } from 'typebox'

const USERNAME_PATTERN = '^[A-Za-z0-9_.-]{3,32}$'

const NewPasswordSchema = Type.String({ minLength: 8, maxLength: 256, description: '8–256 characters.', examples: ['correct horse battery'] })
// As long as a login accepts: a password is checked, not judged, here.
const PasswordSchema = Type.String({ maxLength: 1024 })

export const RegisterBodySchema = Type.Object({
  username: Type.String({ pattern: USERNAME_PATTERN, description: '3–32 letters, digits, `_`, `.` or `-`; unique regardless of case.', examples: ['eric'] }),
  password: NewPasswordSchema
})
export type RegisterBody = Static<typeof RegisterBodySchema>

export const UserSchema = Type.Object({
  username: Type.String({ description: 'As registered.' }),
  created_at: Type.String({ format: 'date-time' })
})

/** OAuth2 password form (`application/x-www-form-urlencoded`), or the same fields as JSON. */
export const TokenBodySchema = Type.Object({
  username: Type.String({ maxLength: 256 }),
  password: PasswordSchema,
  grant_type: Type.Optional(Type.String({ description: 'OAuth2 form field; `password` when given.' })),
  scope: Type.Optional(Type.String())
})
export type TokenBody = Static<typeof TokenBodySchema>

export const TokenSchema = Type.Object({
  access_token: Type.String({ description: 'A JWT: send it as `Authorization: Bearer <token>`.' }),
  token_type: Type.Literal('bearer'),
  expires_in: Type.Integer({ description: 'Seconds until it expires.' })
})

export const ChangePasswordBodySchema = Type.Object({
  current_password: PasswordSchema,
  new_password: NewPasswordSchema
})

export const DeleteAccountBodySchema = Type.Object({
  password: Type.String({ ...PasswordSchema, description: 'Your password, to confirm.' })
})
