import { describe, expect, it } from 'vitest'
import { hashPassword, verifyPassword } from '../../src/auth/password.js'

// `scrypt$N$r$p$salt$key`: N = 2^15, r = 8, p = 1, a 16-byte salt and a 32-byte key in base64.
const FORMAT = /^scrypt\$32768\$8\$1\$[A-Za-z0-9+/]{22}==\$[A-Za-z0-9+/]{43}=$/

describe('password hashing', () => {
  it('stores passwords as salted scrypt hashes that verify only the right password', async () => {
    const first = await hashPassword('same password')
    const second = await hashPassword('same password')
    expect(first).toMatch(FORMAT)
    expect(second).toMatch(FORMAT)
    expect(first).not.toBe(second)
    expect(first.split('$')[4]).not.toBe(second.split('$')[4])
    for (const hash of [first, second]) {
      expect(await verifyPassword('same password', hash)).toBe(true)
      expect(await verifyPassword('same passwore', hash)).toBe(false)
      expect(await verifyPassword('', hash)).toBe(false)
    }
  })
})
