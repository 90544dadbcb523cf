// The bench's call plumbing that does not need a sandbox: batching, giving up on a call, and failure messages.
import { chunks, failureText, withTimeout } from '../sides'

describe('bench sides', () => {
  it('cuts events into batches of at most the batch size', () => {
    expect(chunks([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]])
    expect(chunks([], 50)).toEqual([])
  })

  it('gives up on a call that does not answer, and passes an answer through', async () => {
    await expect(withTimeout(new Promise(() => undefined), 5)).rejects.toThrow('no answer within 0.005 s')
    await expect(withTimeout(Promise.resolve('ok'), 1000)).resolves.toBe('ok')
  })

  it('adds Salesforce’s error code and message to a failure when the answer has one', () => {
    const err = Object.assign(new Error('Bad Request'), {
      response: { status: 400, data: [{ errorCode: 'INVALIDJOB', message: 'Unknown object: X__e' }] }
    })
    expect(failureText(err)).toBe('Bad Request (INVALIDJOB: Unknown object: X__e)')
    expect(failureText(new Error('socket hang up'))).toBe('socket hang up')
  })
})
