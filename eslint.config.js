import neostandard from 'neostandard'

export default [
  ...neostandard({ ts: true, ignores: ['dist/**', 'node_modules/**', '.artifacts/**', 'data/**'] }),
  // Issue 16's measure of a readable source: a function reads on one screen, a file by concern.
  {
    files: ['src/**/*.{ts,js}'],
    rules: {
      'max-lines-per-function': ['error', { max: 60 }],
      'max-lines': ['error', { max: 300 }]
    }
  }
]
