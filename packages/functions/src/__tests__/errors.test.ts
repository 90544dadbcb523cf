import { batchStatus, failureOf } from '../errors'

const err = (message: string, retryable: boolean, status?: number) => ({ name: 'E', message, retryable, status })

describe('failureOf', () => {
  it('is undefined when every preset succeeded', () => {
    expect(failureOf([{ preset: 'A' }, { preset: 'B' }])).toBeUndefined()
  })

  it('makes the event a RetryError when any preset failed retryably, keeping a retryable status', () => {
    expect(
      failureOf([
        { preset: 'A', error: err('bad', false, 400) },
        { preset: 'B', error: err('busy', true, 429) }
      ])
    ).toEqual({ error: 'RetryError', status: 429, message: 'A: bad | B: busy' })
    expect(failureOf([{ preset: 'A', error: err('timeout', true) }])).toMatchObject({ status: 500 })
  })

  it('discards otherwise, as a ValidationError with a 4xx status', () => {
    expect(failureOf([{ preset: 'A', error: err('no email', false, 400) }])).toEqual({
      error: 'ValidationError',
      status: 400,
      message: 'A: no email'
    })
    expect(failureOf([{ preset: 'A', error: err('token', false, 401) }])).toMatchObject({ status: 401 })
    expect(failureOf([{ preset: 'A', error: err('odd', false) }])).toMatchObject({ status: 400 })
  })
})

describe('batchStatus', () => {
  it('is 200, or the failure status with the error class in the message', () => {
    expect(batchStatus(undefined)).toEqual({ status: 200 })
    expect(batchStatus({ error: 'RetryError', status: 503, message: 'A: down' })).toEqual({
      status: 503,
      errormessage: 'RetryError: A: down'
    })
  })
})
