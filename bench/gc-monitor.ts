/**
 * Loaded into a benchmarked process with `--import`: every 250 ms it prints one line
 * `gc {"pauses", "over_500_us", "total_ms", "max_ms"}` for the garbage collector's pauses in
 * those 250 ms, so a benchmark can lay its slow requests beside them.
 */
import { PerformanceObserver } from 'node:perf_hooks'

let pauses: number[] = []
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) pauses.push(entry.duration)
}).observe({ entryTypes: ['gc'] })
setInterval(() => {
  const summary = {
    pauses: pauses.length,
    over_500_us: pauses.filter((ms) => ms > 0.5).length,
    total_ms: +pauses.reduce((a, b) => a + b, 0).toFixed(2),
    max_ms: +Math.max(0, ...pauses).toFixed(2)
  }
  pauses = []
  console.log(`gc ${JSON.stringify(summary)}`)
}, 250).unref()
