import { readFileSync } from 'node:fs'
import semver from 'semver'
import { describe, expect, it } from 'vitest'

/**
 * The oldest release of each Node line the server supports (docs/dependencies.md): 20.19 and 22.12
 * are where require() of an ES module works without a flag, which the server needs (below).
 */
const FLOORS = ['20.19.0', '22.12.0', '24.0.0', '26.0.0']

/**
 * Runtime packages that declare `node >=22` although they run on 20.19: ES-module-only packages
 * that CommonJS dependents load with require(esm). The test suite runs on Node 20 through them.
 */
const REQUIRE_ESM_ONLY: Record<string, string> = {
  'content-disposition': '@fastify/static 10 requires it when it loads',
  cookie: 'fastify requires it through light-my-request for inject()'
}

interface LockEntry { version?: string, dev?: boolean, optional?: boolean, engines?: { node?: string } | string[] }
const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { engines: { node: string } }
const lock = JSON.parse(readFileSync('package-lock.json', 'utf8')) as { packages: Record<string, LockEntry> }
const nameOf = (path: string): string => path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length)

describe('dependencies and the Node lines we support', () => {
  it("package.json's engines take every supported line and refuse 22 before require(esm)", () => {
    for (const floor of FLOORS) expect(semver.satisfies(floor, pkg.engines.node), floor).toBe(true)
    expect(semver.satisfies('22.11.0', pkg.engines.node)).toBe(false)
  })

  it('every runtime package in the lockfile declares support for every supported line', () => {
    const refused: string[] = []
    for (const [path, entry] of Object.entries(lock.packages)) {
      // Old lockfiles may carry engines as an array; npm 7+ writes an object.
      const range = Array.isArray(entry.engines) ? undefined : entry.engines?.node
      if (path === '' || entry.dev === true || range === undefined) continue
      const name = nameOf(path)
      const bad = FLOORS.filter((floor) => !semver.satisfies(floor, range, { includePrerelease: true }))
      if (bad.length > 0 && REQUIRE_ESM_ONLY[name] === undefined) refused.push(`${name}@${entry.version ?? '?'} (node ${range}) refuses ${bad.join(', ')}`)
    }
    expect(refused).toEqual([])
  })

  it('the allowed exceptions are still in the tree and still ES modules, so the list does not go stale', () => {
    for (const name of Object.keys(REQUIRE_ESM_ONLY)) {
      const manifest = JSON.parse(readFileSync(`node_modules/${name}/package.json`, 'utf8')) as { type?: string }
      expect(lock.packages[`node_modules/${name}`], name).toBeDefined()
      expect(manifest.type, name).toBe('module')
    }
  })
})
