/**
 * Loaded into a benchmarked process with `--import`: every 500 ms it prints one line
 * `loop {"pid", "p50", "p99", "max", "rss"}` (event-loop delay in ms over those 500 ms, resident
 * memory in bytes), so the benchmark sees the process from inside. Also in each cluster worker,
 * which inherits the option.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks'

const RESOLUTION_MS = 10
const histogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS })
histogram.enable()
// The histogram holds whole sampling intervals: an idle loop reads 10 ms. The delay is the rest.
const delay = (ns: number): number => Math.max(0, +(ns / 1e6 - RESOLUTION_MS).toFixed(1))
setInterval(() => {
  console.log(`loop ${JSON.stringify({ pid: process.pid, p50: delay(histogram.percentile(50)), p99: delay(histogram.percentile(99)), max: delay(histogram.max), rss: process.memoryUsage.rss() })}`)
  histogram.reset()
}, 500).unref()
