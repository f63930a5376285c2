import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { request } from 'undici'
import { afterEach, describe, expect, it } from 'vitest'
import { checkDeclaredLength, readCapped } from '../../src/llm/reply-cap.js'

// A real HTTP server sends the body in the chunks given; the reader sees them as the network delivers.
let server: Server | undefined
afterEach(async () => { await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined)); server = undefined })

async function serve (chunks: Buffer[], headers: Record<string, string> = {}): Promise<string> {
  server = createServer((_req, res) => {
    res.writeHead(200, headers)
    for (const chunk of chunks) res.write(chunk)
    res.end()
  })
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve))
  return `http://127.0.0.1:${(server?.address() as AddressInfo).port}/`
}

describe('readCapped', () => {
  it('reads a body within the cap whole', async () => {
    const res = await request(await serve([Buffer.from('héllo '), Buffer.from('wörld')]))
    expect(await readCapped(res, 1000)).toEqual({ text: 'héllo wörld', overflow: false })
  })

  it('stops at the cap and says there was more', async () => {
    const res = await request(await serve([Buffer.alloc(600, 'a'), Buffer.alloc(600, 'b')]))
    const { text, overflow } = await readCapped(res, 1000)
    expect(overflow).toBe(true)
    expect(text).toBe('a'.repeat(600) + 'b'.repeat(400))
  })

  it('decodes once at the end, so a character split across chunks stays whole', async () => {
    const bytes = Buffer.from('日本語')
    const res = await request(await serve([bytes.subarray(0, 4), bytes.subarray(4)]))
    expect((await readCapped(res, 100)).text).toBe('日本語')
  })
})

describe('checkDeclaredLength', () => {
  it('refuses a body declared over the cap before reading it', async () => {
    // With a signal, as the provider client always sends one.
    const res = await request(await serve([Buffer.alloc(2000)], { 'content-length': '2000' }), { signal: new AbortController().signal })
    expect(() => checkDeclaredLength(res, 1000)).toThrow(expect.objectContaining({ code: 'llm_reply_too_large' }))
    expect(res.body.destroyed).toBe(true)
  })

  it('lets a body declared within the cap, or not declared, be read', async () => {
    const declared = await request(await serve([Buffer.alloc(10)], { 'content-length': '10' }))
    expect(() => checkDeclaredLength(declared, 1000)).not.toThrow()
    await declared.body.dump()
  })
})
