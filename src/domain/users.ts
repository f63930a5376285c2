import { randomBytes } from 'node:crypto'

/**
 * One account per name in any letter case: "Eric" and "eric" are the same user. Every place that
 * asks "the same user?" (both backends, the login throttle, the chat route) uses this key.
 */
export function usernameKey (username: string): string {
  return username.toLowerCase()
}

export interface User {
  id: string
  /** As registered; the lookup key is its lower-case form. */
  username: string
  passwordHash: string
  createdAt: number
  /**
   * Put in every token issued to the user, and required back: random (so no other database, and no
   * earlier life of this one, holds the same id with the same version), replaced on a password
   * change, which ends every earlier token.
   */
  tokenVersion: string
}

/** A fresh `tokenVersion`: 128 random bits. */
export function newTokenVersion (): string {
  return randomBytes(16).toString('base64url')
}

/**
 * A personal API key, as stored: its secret is kept only as `keyHash` (hex SHA-256), found by that
 * hash through a unique index (see `auth/api-keys.ts`).
 */
/** A personal API key; `conversationId` is the conversation its messages go to, once it has one. */
export interface ApiKey { id: string, userId: string, name: string, createdAt: number, conversationId?: string }
