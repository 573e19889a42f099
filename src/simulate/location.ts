import type { Zone } from './zone.js';

/** Where the simulated home stands: what Home Assistant keeps in `.storage/core.config`. */
export interface HomeLocation {
  timeZone: string;
  latitude: number;
  longitude: number;
  /** Metres above sea level. */
  elevation: number;
  /** ISO 3166 code, or null where a zone spans countries (UTC). */
  country: string | null;
  currency: string;
}

/** A capital in each zone, so that sunrise and sunset match the clock the residents live by. */
const KNOWN: Record<string, Omit<HomeLocation, 'timeZone'>> = {
  'Europe/Berlin': {
    latitude: 52.52,
    longitude: 13.4,
    elevation: 34,
    country: 'DE',
    currency: 'EUR',
  },
  'Europe/Vienna': {
    latitude: 48.21,
    longitude: 16.37,
    elevation: 190,
    country: 'AT',
    currency: 'EUR',
  },
  'Europe/Zurich': {
    latitude: 47.37,
    longitude: 8.54,
    elevation: 408,
    country: 'CH',
    currency: 'CHF',
  },
  'Europe/Amsterdam': {
    latitude: 52.37,
    longitude: 4.9,
    elevation: 0,
    country: 'NL',
    currency: 'EUR',
  },
  'Europe/Paris': {
    latitude: 48.86,
    longitude: 2.35,
    elevation: 35,
    country: 'FR',
    currency: 'EUR',
  },
  'Europe/London': {
    latitude: 51.51,
    longitude: -0.13,
    elevation: 11,
    country: 'GB',
    currency: 'GBP',
  },
  'Europe/Stockholm': {
    latitude: 59.33,
    longitude: 18.07,
    elevation: 28,
    country: 'SE',
    currency: 'SEK',
  },
  'America/New_York': {
    latitude: 40.71,
    longitude: -74.01,
    elevation: 10,
    country: 'US',
    currency: 'USD',
  },
  'America/Chicago': {
    latitude: 41.88,
    longitude: -87.63,
    elevation: 181,
    country: 'US',
    currency: 'USD',
  },
  'America/Los_Angeles': {
    latitude: 34.05,
    longitude: -118.24,
    elevation: 71,
    country: 'US',
    currency: 'USD',
  },
  'Australia/Sydney': {
    latitude: -33.87,
    longitude: 151.21,
    elevation: 3,
    country: 'AU',
    currency: 'AUD',
  },
  'Asia/Tokyo': {
    latitude: 35.68,
    longitude: 139.69,
    elevation: 40,
    country: 'JP',
    currency: 'JPY',
  },
  UTC: { latitude: 51.48, longitude: 0, elevation: 46, country: null, currency: 'EUR' },
};

/** Mid-latitude: days neither polar nor tropical, for zones without a known place. */
const FALLBACK_LATITUDE = 48;

/**
 * The home's place for its zone: a known capital, else the point on the zone's standard
 * meridian (15° per hour of its winter offset) at a mid latitude, where the sun keeps the
 * zone's clock roughly.
 */
export function locationFor(zone: Zone, around: number): HomeLocation {
  const known = KNOWN[zone.name];
  if (known !== undefined) {
    return { timeZone: zone.name, ...known };
  }

  // The smaller of two offsets half a year apart is the standard one, on either hemisphere.
  const standardHours =
    Math.min(zone.offsetAt(around), zone.offsetAt(around + 182 * 86_400_000)) / 3_600_000;

  return {
    timeZone: zone.name,
    latitude: FALLBACK_LATITUDE,
    longitude: standardHours * 15,
    elevation: 0,
    country: null,
    currency: 'EUR',
  };
}

/**
 * `.storage/core.config` as Home Assistant stores it at storage version 1.4, the one that added
 * `radius`. Readers take the home's zone from `data.time_zone`.
 */
export function coreConfig(location: HomeLocation): Record<string, unknown> {
  return {
    version: 1,
    minor_version: 4,
    key: 'core.config',
    data: {
      latitude: location.latitude,
      longitude: location.longitude,
      elevation: location.elevation,
      // The simulated sensors report °C and W whatever the zone.
      unit_system_v2: 'metric',
      location_name: 'Home',
      time_zone: location.timeZone,
      external_url: null,
      internal_url: null,
      currency: location.currency,
      country: location.country,
      language: 'en',
      // Home Assistant's default home zone radius, in metres.
      radius: 100,
    },
  };
}
