// The supporters, draws and campaigns the samples are about. Data is fictional; IPs are documentation
// ranges; email domains are example domains. O'Brien, St Luke's and "Flat 2\3" exercise escaping.
import { contextTraitsOf, type Actor } from '../build'
import type { Campaign, DrawEventType, SupporterTraits } from '../types'

export type SampleSupporter = Actor & { userId: string; anonymousId: string; profile: SupporterTraits }

const CHROME =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/137.0.0.0 Safari/537.36'
const SAFARI_IOS =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 18_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.5 Mobile/15E148 Safari/604.1'
const JLP_APP = 'JLP/4.12.0 (Android 15; Pixel 8) okhttp/4.12.0'

function supporter(
  userId: string,
  anonymousId: string,
  device: Actor['device'],
  profile: SupporterTraits
): SampleSupporter {
  const full = { ...profile, supporter_id: userId }
  return { userId, anonymousId, device, profile: full, traits: contextTraitsOf(full) }
}

export const people = {
  siobhan: supporter(
    'SUP-100001',
    '6f0d2c1e-8a4b-4f7e-9c3d-2b1a0e9f8d71',
    { ip: '203.0.113.24', userAgent: SAFARI_IOS },
    {
      email: 'siobhan.obrien@example.co.uk',
      firstName: 'Siobhan',
      lastName: "O'Brien",
      phone: '+447700900123',
      address: { street: '14 Harbour Street', city: 'Whitstable', state: 'Kent', postalCode: 'CT5 1AQ', country: 'GB' },
      email_opt_in: true,
      sms_opt_in: false,
      post_opt_in: true,
      gift_aid_declared: true,
      createdAt: '2026-05-28T18:42:10.000Z'
    }
  ),
  tom: supporter(
    'SUP-100002',
    'c3b9e7a2-1d54-4e08-b6f1-7a2c9d3e4f50',
    { ip: '198.51.100.7', userAgent: CHROME },
    {
      email: 'tom.hargreaves@example.com',
      firstName: 'Tom',
      lastName: 'Hargreaves',
      phone: '+447700900456',
      address: {
        street: '3 Kirkstall Road',
        city: 'Leeds',
        state: 'West Yorkshire',
        postalCode: 'LS4 2AA',
        country: 'GB'
      },
      email_opt_in: true,
      sms_opt_in: true,
      createdAt: '2026-04-02T09:15:00.000Z'
    }
  ),
  priya: supporter(
    'SUP-100003',
    '0a7e5d3c-9b21-4c6f-8e4d-5f3a2b1c0d9e',
    { ip: '192.0.2.55', userAgent: JLP_APP },
    {
      email: 'priya.patel@example.org',
      firstName: 'Priya',
      lastName: 'Patel',
      phone: '+447700900789',
      address: {
        street: '88 Belgrave Gate',
        city: 'Leicester',
        state: 'Leicestershire',
        postalCode: 'LE1 3GR',
        country: 'GB'
      },
      email_opt_in: false,
      sms_opt_in: true,
      createdAt: '2026-03-11T12:00:00.000Z'
    }
  ),
  gareth: supporter(
    'SUP-100004',
    'f1e2d3c4-b5a6-4978-8a9b-0c1d2e3f4a5b',
    { ip: '198.51.100.210', userAgent: CHROME },
    {
      email: 'gareth.llewellyn-jones@example.co.uk',
      firstName: 'Gareth',
      lastName: 'Llewellyn-Jones',
      address: {
        street: '21 Cathedral Road',
        city: 'Cardiff',
        state: 'South Glamorgan',
        postalCode: 'CF11 9HA',
        country: 'GB'
      },
      email_opt_in: true,
      createdAt: '2026-01-20T20:05:33.000Z'
    }
  ),
  aisha: supporter(
    'SUP-100005',
    '9d8c7b6a-5f4e-4d3c-a2b1-0f9e8d7c6b5a',
    { ip: '203.0.113.199', userAgent: SAFARI_IOS },
    {
      email: 'aisha.bello@example.com',
      firstName: 'Aisha',
      lastName: 'Bello',
      phone: '+447700900321',
      address: {
        street: 'Flat 2\\3, Canal Wharf',
        city: 'Manchester',
        state: 'Greater Manchester',
        postalCode: 'M1 7JA',
        country: 'GB'
      },
      email_opt_in: true,
      sms_opt_in: true,
      createdAt: '2026-06-02T07:30:00.000Z'
    }
  )
}

export type SampleDraw = {
  draw_id: string
  draw_name: string
  draw_date: string
  event_type: DrawEventType
  draw_no?: number
}

const weekly = (no: number, date: string): SampleDraw => ({
  draw_id: `DRW-${no}`,
  draw_name: `Weekly Jumbo Draw #${no}`,
  draw_date: `${date}T19:30:00.000Z`,
  event_type: 'Lottery Draw',
  draw_no: no
})

export const draws = {
  weekly1234: weekly(1234, '2026-06-13'),
  weekly1235: weekly(1235, '2026-06-20'),
  weekly1236: weekly(1236, '2026-06-27'),
  weekly1237: weekly(1237, '2026-07-04'),
  summerRaffle: {
    draw_id: 'RAF-2026-SUMMER',
    draw_name: "St Luke's Hospice Summer Raffle",
    draw_date: '2026-07-31T18:00:00.000Z',
    event_type: 'Raffle'
  } as SampleDraw,
  superdraw: {
    draw_id: 'DRW-SUPER-2026-07',
    draw_name: 'Summer Superdraw',
    draw_date: '2026-07-25T19:30:00.000Z',
    event_type: 'Lottery Draw'
  } as SampleDraw
}

/** The Summer Superdraw after the rollover was announced: same id, new name. */
export const superdrawRenamed: SampleDraw = { ...draws.superdraw, draw_name: 'Summer Superdraw – £25,000 Rollover' }

export const campaigns: Record<'summer' | 'springSummer' | 'winBack', Campaign> = {
  summer: { source: 'newsletter', medium: 'email', name: 'Summer Superdraw 2026', term: '', content: 'hero-button' },
  springSummer: {
    source: 'facebook',
    medium: 'paid_social',
    name: 'Spring\\Summer Appeal 2026',
    term: 'weekly lottery',
    content: 'video-30s'
  },
  winBack: { source: 'crm', medium: 'email', name: 'We miss you – win-back June 2026', term: '', content: 'play-again' }
}
