// Stands in for cross-fetch and node-fetch inside a Destination Function: actions-core's HTTP goes through the
// runtime's global fetch (node-fetch 2 in Segment's runtime). Headers/Request/Response come from the same
// implementation as that fetch (node-fetch 2 hangs them on its fetch function), because fetch only understands
// Request objects of its own kind.
type Impl = typeof fetch & Partial<Record<'Headers' | 'Request' | 'Response', unknown>>

const runtimeFetch = (globalThis as unknown as { fetch: Impl }).fetch
const companion = <T>(name: 'Headers' | 'Request' | 'Response'): T =>
  (runtimeFetch?.[name] ?? (globalThis as unknown as Record<string, unknown>)[name]) as T

export const Headers = companion<typeof globalThis.Headers>('Headers')
export const Request = companion<typeof globalThis.Request>('Request')
export const Response = companion<typeof globalThis.Response>('Response')

const boundFetch = (input: RequestInfo | URL, init?: RequestInit) => runtimeFetch(input, init)
export default boundFetch
