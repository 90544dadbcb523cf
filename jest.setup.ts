// Every test runs with the real network off: only nock and loopback (the sandbox) answer.
import nock from 'nock'

const loopback = /^(127\.\d+\.\d+\.\d+|localhost|\[::1\])(:\d+)?$/

beforeAll(() => {
  nock.disableNetConnect()
  nock.enableNetConnect(loopback)
})

afterEach(() => {
  nock.cleanAll()
})

afterAll(() => {
  nock.enableNetConnect()
  // Each test file loads its own nock, which hooks Node's http; unhook it, or a worker that runs many files sends
  // every later request through every earlier file's hook.
  nock.restore()
})
