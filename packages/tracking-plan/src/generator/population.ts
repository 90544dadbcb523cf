// Generated supporters: UK names (some with apostrophes), addresses (a few with a backslash), devices.
import { contextTraitsOf, type Actor } from '../build'
import { uuidFrom, type Rng } from '../prng'
import type { PlatformSource, SupporterTraits } from '../types'

const FIRST = [
  'Siobhan',
  'Tom',
  'Priya',
  'Gareth',
  'Aisha',
  'Niamh',
  'Callum',
  'Fatima',
  'Rhys',
  'Eleanor',
  'Oliver',
  'Amelia',
  'Mohammed',
  'Grace',
  'Jack',
  'Isla',
  'Harry',
  'Zoë',
  'Connor',
  'Chloe',
  'Dylan',
  'Sinéad',
  'Ewan',
  'Maya'
]
const LAST = [
  "O'Brien",
  "O'Neill",
  "D'Souza",
  'Smith',
  'Jones',
  'Williams',
  'Taylor',
  'Davies',
  'Evans',
  'Patel',
  'Khan',
  'Hargreaves',
  'MacDonald',
  'Llewellyn-Jones',
  'Okafor',
  'Nowak',
  'Campbell',
  'Thomas',
  'Roberts',
  'Hughes'
]
const PLACES = [
  ['London', 'Greater London', 'E1'],
  ['Manchester', 'Greater Manchester', 'M1'],
  ['Birmingham', 'West Midlands', 'B1'],
  ['Leeds', 'West Yorkshire', 'LS4'],
  ['Glasgow', 'Glasgow City', 'G1'],
  ['Cardiff', 'South Glamorgan', 'CF11'],
  ['Belfast', 'County Antrim', 'BT1'],
  ['Bristol', 'City of Bristol', 'BS1'],
  ['Norwich', 'Norfolk', 'NR1'],
  ['Whitstable', 'Kent', 'CT5']
] as const
const STREETS = [
  'High Street',
  'Church Lane',
  'Station Road',
  "Queen's Road",
  'Mill Lane',
  'Victoria Street',
  'Park Avenue'
]
const DOMAINS = ['example.com', 'example.co.uk', 'example.org']
const POSTCODE_LETTERS = 'ABDEFGHJLNPQRSTUWXYZ'

const USER_AGENTS: Record<PlatformSource, string> = {
  web: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15',
  app: 'JLP/4.12.0 (iOS 18.5; iPhone15,2) CFNetwork/1568',
  mobile:
    'Mozilla/5.0 (Linux; Android 15; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/137.0.0.0 Mobile Safari/537.36'
}
const IP_RANGES = ['192.0.2', '198.51.100', '203.0.113']

export type GeneratedSupporter = Actor & {
  index: number
  userId: string
  anonymousId: string
  profile: SupporterTraits
  platform: PlatformSource
}

const ascii = (s: string) =>
  s
    .normalize('NFD')
    .replace(/[^A-Za-z-]/g, '')
    .toLowerCase()

export function makeSupporter(rng: Rng, seed: number, index: number, tag: string): GeneratedSupporter {
  const firstName = rng.pick(FIRST)
  const lastName = rng.pick(LAST)
  const [city, state, outward] = rng.pick(PLACES)
  const house = rng.int(1, 180)
  const street = `${house} ${rng.pick(STREETS)}`
  const userId = `SUP-${tag}-${String(index + 1).padStart(5, '0')}`
  const platform = rng.weighted<PlatformSource>({ web: 5, app: 3, mobile: 2 })
  const profile: SupporterTraits = {
    // Plus-addressing keeps every generated email unique per seed and supporter.
    email: `${ascii(firstName)}.${ascii(lastName)}+${tag.toLowerCase()}-${index + 1}@${rng.pick(DOMAINS)}`,
    firstName,
    lastName,
    ...(rng.chance(0.7) ? { phone: `+447700900${String(rng.int(0, 999)).padStart(3, '0')}` } : {}),
    address: {
      // Every twentieth supporter writes the flat number with a backslash, as some forms let people do.
      street: index % 20 === 2 ? `Flat ${rng.int(1, 9)}\\${rng.int(1, 4)}, ${street}` : street,
      city,
      state,
      postalCode: `${outward} ${rng.int(1, 9)}${rng.pick([...POSTCODE_LETTERS])}${rng.pick([...POSTCODE_LETTERS])}`,
      country: 'GB'
    },
    supporter_id: userId,
    email_opt_in: rng.chance(0.7),
    sms_opt_in: rng.chance(0.4),
    post_opt_in: rng.chance(0.3),
    gift_aid_declared: rng.chance(0.5)
  }
  return {
    index,
    userId,
    anonymousId: uuidFrom(`${seed}:anonymous:${index}`),
    profile,
    platform,
    traits: contextTraitsOf(profile),
    device: { ip: `${rng.pick(IP_RANGES)}.${rng.int(1, 254)}`, userAgent: USER_AGENTS[platform] }
  }
}
