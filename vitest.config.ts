import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Two cores: files run in parallel forks, each test builds its own app, data dir and upstream.
    pool: 'forks',
    // Vitest's default is one fewer than the cores: one file at a time here. Most of a file's time
    // is spent waiting on sockets and server processes, so two at once take ~half as long.
    maxWorkers: 2,
    // Compiles src/ once for the server processes the tests start.
    globalSetup: ['test/global-setup.ts'],
    // Generous: the suite must pass on a machine busy with other work (load averages of 15 to 30 on
    // 2 cores here stretch a test 10 times). Nothing waits this long when it passes; expect.poll's
    // 1 s default is what a loaded machine broke first.
    testTimeout: 180_000,
    hookTimeout: 180_000,
    expect: { poll: { timeout: 60_000 } }
  }
})
