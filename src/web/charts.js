// Bar charts as inline SVG, drawn here rather than by a library: two charts of at most a few
// hundred bars need no dependency. Colours come from styles.css (classes, no inline styles, so a
// strict CSP holds); every chart also has its numbers as a table for screen readers.

import { h, s } from './dom.js'
import { format, t } from './i18n.js'

const FONT_PX = 11
const LABEL_CHARS_PX = 7 // roughly one character of an 11 px label

/** A round number ≥ `value` for the top of the axis: 1, 2, 5 × 10^n. */
export function niceMax (value) {
  if (value <= 0) return 1
  const power = 10 ** Math.floor(Math.log10(value))
  for (const step of [1, 2, 5, 10]) if (step * power >= value) return step * power
  return 10 * power
}

/**
 * @param {{
 *   id: string, title: string, summary: string,
 *   data: Array<{ label: string, value: number, long?: string }>,
 *   width: number, height?: number, columns: [string, string]
 * }} chart `label` is drawn under the bar (thinned out when crowded), `long` names it in full;
 *   every value is a count of messages
 * @returns {HTMLElement} a <figure> with the SVG, its caption and the same numbers as a table
 */
export function barChart ({ id, title, summary, data, width, height = 180, columns }) {
  const f = format()
  const pad = { top: 12, right: 8, bottom: 22, left: 30 }
  const plotW = Math.max(10, width - pad.left - pad.right)
  const plotH = height - pad.top - pad.bottom
  const top = niceMax(Math.max(0, ...data.map((d) => d.value)))
  const slot = plotW / Math.max(1, data.length)
  const barW = Math.max(1, Math.min(28, slot * 0.72))
  const longest = Math.max(1, ...data.map((d) => d.label.length))
  const every = Math.max(1, Math.ceil((longest * LABEL_CHARS_PX + 6) / slot))
  const y = (v) => pad.top + plotH - (v / top) * plotH

  // Counts are whole numbers: no gridline at 2.5.
  const grid = [0, top / 2, top].filter(Number.isInteger).map((v) => s('g', { class: 'grid' },
    s('line', { x1: pad.left, x2: pad.left + plotW, y1: y(v), y2: y(v) }),
    s('text', { x: pad.left - 4, y: y(v), dy: '0.35em', 'text-anchor': 'end', 'font-size': FONT_PX }, f.number(v))))

  const bars = data.map((d, i) => {
    const x = pad.left + i * slot + (slot - barW) / 2
    const barH = Math.max(d.value > 0 ? 1 : 0, (d.value / top) * plotH)
    return s('g', { class: d.value > 0 ? 'bar' : 'bar empty' },
      s('rect', { x: x.toFixed(2), y: (pad.top + plotH - barH).toFixed(2), width: barW.toFixed(2), height: barH.toFixed(2), rx: Math.min(3, barW / 3).toFixed(2) },
        s('title', {}, t('chart.bar', { label: d.long ?? d.label, value: d.value }))),
      i % every === 0
        ? s('text', { x: (x + barW / 2).toFixed(2), y: height - 6, 'text-anchor': 'middle', 'font-size': FONT_PX }, d.label)
        : null)
  })

  const svg = s('svg', {
    class: 'chart',
    viewBox: `0 0 ${width} ${height}`,
    width,
    height,
    role: 'img',
    'aria-labelledby': `${id}-title ${id}-desc`
  },
  s('title', { id: `${id}-title` }, title),
  s('desc', { id: `${id}-desc` }, summary),
  ...grid,
  s('line', { class: 'axis', x1: pad.left, x2: pad.left + plotW, y1: y(0), y2: y(0) }),
  ...bars)

  const table = h('table', { class: 'chart-table' },
    h('caption', { class: 'visually-hidden' }, title),
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, columns[0]), h('th', { scope: 'col' }, columns[1]))),
    h('tbody', {}, data.map((d) => h('tr', {}, h('th', { scope: 'row' }, d.long ?? d.label), h('td', {}, f.number(d.value))))))

  return h('figure', { class: 'chart-figure', id },
    h('figcaption', {}, h('strong', {}, title), ' ', h('span', { class: 'hint' }, summary)),
    svg,
    h('details', { class: 'chart-details' }, h('summary', {}, t('chart.asTable')), table))
}
