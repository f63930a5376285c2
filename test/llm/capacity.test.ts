import { describe, expect, it } from 'vitest'
import { createCapacity } from '../../src/llm/capacity.js'

describe('createCapacity', () => {
  it('grants at most max slots at once and refuses the next at once', () => {
    const capacity = createCapacity(2)
    const a = capacity.tryTake()
    const b = capacity.tryTake()
    expect(a).toBeTypeOf('function')
    expect(b).toBeTypeOf('function')
    expect(capacity.tryTake()).toBeUndefined()
    a?.()
    expect(capacity.tryTake()).toBeTypeOf('function')
    expect(capacity.tryTake()).toBeUndefined()
  })

  it('frees a slot once however often it is released', () => {
    const capacity = createCapacity(1)
    const slot = capacity.tryTake()
    slot?.()
    slot?.()
    expect(capacity.tryTake()).toBeTypeOf('function')
    expect(capacity.tryTake()).toBeUndefined()
  })

  it('grants nothing with no slots', () => {
    expect(createCapacity(0).tryTake()).toBeUndefined()
  })
})
