// Every destination in the registry builds into one script that runs in a context holding only the Functions
// runtime's globals, defines every handler, and answers with the runtime's error classes.
import * as vm from 'vm'
import { destinations } from '@jlp/destinations'
import { HANDLER_NAMES } from '../adapter'
import { MAX_BUNDLE_BYTES } from '../build'
import { EventNotSupported, InvalidEventPayload, ValidationError } from '../harness'
import { bundleOf, loadBundle, placeholderSettings } from './fixture'

describe.each(Object.keys(destinations))('%s as a Destination Function', (key) => {
  const def = destinations[key]

  it('is one script under the size limit, with no import, export or require of its own', async () => {
    const built = await bundleOf(key)
    console.log(`${key}: bundle ${(built.bytes / 1024).toFixed(0)} kB`)
    expect(built.bytes).toBeLessThan(MAX_BUNDLE_BYTES)
    expect(built.code.startsWith(`// ${def.name}: a Segment Destination Function`)).toBe(true)
    // A classic script: import/export statements would not even compile.
    expect(() => new vm.Script(built.code)).not.toThrow()
    // Only clean-stack's optional `os` is stood in for; it checks for os.homedir before using it.
    expect(built.absentBuiltins).toEqual(['os'])
  })

  it('loads where there is no require, process or module, and defines every handler', async () => {
    const fn = await loadBundle(key)
    const seen = vm.runInContext(
      '[typeof require, typeof process, typeof module, typeof exports, typeof Headers, typeof fetch]',
      fn.context
    )
    expect(seen).toEqual(['undefined', 'undefined', 'undefined', 'undefined', 'undefined', 'function'])
    expect(fn.handlers).toEqual(HANDLER_NAMES)
    console.log(`${key}: script evaluated in ${fn.loadMs.toFixed(1)} ms`)
  })

  it('answers an event no preset handles with EventNotSupported', async () => {
    const fn = await loadBundle(key)
    const call = fn.call('onScreen', { type: 'screen', name: 'Home', messageId: 'm1' }, placeholderSettings(def))
    await expect(call).rejects.toBeInstanceOf(EventNotSupported)
    await expect(call).rejects.toThrow(`No chosen preset of ${def.name} handles screen.`)
  })

  it('answers something that is not an event with InvalidEventPayload', async () => {
    const fn = await loadBundle(key)
    await expect(fn.call('onTrack', 'not an event', placeholderSettings(def))).rejects.toBeInstanceOf(
      InvalidEventPayload
    )
  })

  it('answers bad Function settings with a ValidationError naming them', async () => {
    const fn = await loadBundle(key)
    const event = { type: 'track', event: 'Order Completed', messageId: 'm1' }
    await expect(
      fn.call('onTrack', event, { ...placeholderSettings(def), presets: ['No Such Preset'] })
    ).rejects.toThrow(new ValidationError(`Unknown preset for ${def.name}: "No Such Preset"`).message)
    const required = Object.keys(placeholderSettings(def))
    if (required.length > 0) {
      await expect(fn.call('onTrack', event, {})).rejects.toThrow(/^Function settings: fill in /)
    }
  })

  it('reports each event of a batch in order, without stopping at the bad ones', async () => {
    const fn = await loadBundle(key)
    const statuses = await fn.call('onBatch', [{ type: 'screen', name: 'Home' }, 42], placeholderSettings(def))
    expect(statuses).toEqual([
      { status: 400, errormessage: 'EventNotSupported: no chosen preset handles screen.' },
      { status: 400, errormessage: 'InvalidEventPayload: not a Segment event object with a type.' }
    ])
  })
})
