// Compile-time proof that the schema builders reject drift from the TypeScript types: each
// `@ts-expect-error` below fails `npm run typecheck` if the builder stops catching that mistake.
import { int, num, obj, oneOf, opt, str } from '../schemas/builder'

type Example = { id: string; amount?: number; kind: 'a' | 'b' }

describe('a properties schema cannot drift from its TypeScript type', () => {
  it('builds the schema with required keys listed and optional ones left out', () => {
    const schema = obj<Example>()({ id: str('id'), amount: opt(num('amount')), kind: oneOf('kind', ['a', 'b']) })
    expect(schema.required).toEqual(['id', 'kind'])
    expect(Object.keys(schema.properties ?? {})).toEqual(['id', 'amount', 'kind'])
  })

  it('rejects a missing key, a wrong optionality, a wrong type, a wrong enum and an extra key', () => {
    const drifted = [
      // @ts-expect-error the type has `kind`, the schema forgets it
      obj<Example>()({ id: str('id'), amount: opt(num('amount')) }),
      // @ts-expect-error `id` is required in the type, optional in the schema
      obj<Example>()({ id: opt(str('id')), amount: opt(num('amount')), kind: oneOf('kind', ['a', 'b']) }),
      // @ts-expect-error `amount` is optional in the type, required in the schema
      obj<Example>()({ id: str('id'), amount: num('amount'), kind: oneOf('kind', ['a', 'b']) }),
      // @ts-expect-error `id` is a string in the type, an integer in the schema
      obj<Example>()({ id: int('id'), amount: opt(num('amount')), kind: oneOf('kind', ['a', 'b']) }),
      // @ts-expect-error the schema allows 'c', the type does not
      obj<Example>()({ id: str('id'), amount: opt(num('amount')), kind: oneOf('kind', ['a', 'c']) }),
      // @ts-expect-error the schema has a key the type does not
      obj<Example>()({ id: str('id'), amount: opt(num('amount')), kind: oneOf('kind', ['a', 'b']), extra: str('x') })
    ]
    expect(drifted).toHaveLength(6)
  })
})
