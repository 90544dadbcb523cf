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
})
