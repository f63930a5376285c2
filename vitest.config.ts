import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Two cores: files run in parallel forks, each test builds its own app, data dir and upstream.
    pool: 'forks',
    // Generous: the suite must pass on a machine busy with other work. Nothing waits this long when
    // it passes; expect.poll's 1 s default is what a loaded machine broke.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    expect: { poll: { timeout: 15_000 } }
  }
})
