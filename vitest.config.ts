import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Two cores: files run in parallel forks, each test builds its own app, data dir and upstream.
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 30_000
  }
})
