// The part of Node's EventEmitter that actions-core uses (an Action emits 'response' to its Destination).
type Listener = (...args: unknown[]) => void

export class EventEmitter {
  private listeners = new Map<string | symbol, Listener[]>()

  on(event: string | symbol, listener: Listener): this {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener])
    return this
  }

  addListener(event: string | symbol, listener: Listener): this {
    return this.on(event, listener)
  }

  once(event: string | symbol, listener: Listener): this {
    const wrapped: Listener = (...args) => {
      this.off(event, wrapped)
      listener(...args)
    }
    return this.on(event, wrapped)
  }

  off(event: string | symbol, listener: Listener): this {
    this.listeners.set(
      event,
      (this.listeners.get(event) ?? []).filter((l) => l !== listener)
    )
    return this
  }

  removeListener(event: string | symbol, listener: Listener): this {
    return this.off(event, listener)
  }

  removeAllListeners(event?: string | symbol): this {
    if (event === undefined) this.listeners.clear()
    else this.listeners.delete(event)
    return this
  }

  emit(event: string | symbol, ...args: unknown[]): boolean {
    const current = this.listeners.get(event) ?? []
    current.forEach((l) => l(...args))
    return current.length > 0
  }

  listenerCount(event: string | symbol): number {
    return (this.listeners.get(event) ?? []).length
  }

  setMaxListeners(): this {
    return this
  }
}

export default EventEmitter
