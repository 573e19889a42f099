/** How the page writes times, shares, entities and presence, in the reader's language. */

const DAY_MS = 86_400_000;
const PERCENT = new Intl.NumberFormat(undefined, { style: 'percent' });
const STATE_WORDS = { home: 'Home', away: 'Away', unknown: 'Unknown' };

/**
 * Formatters for times in the home's time zone (the zone its times of day were judged in), in
 * the browser's language. A zone this browser does not know falls back to the browser's own.
 *
 * @param {string | null} timeZone an IANA zone, e.g. `Europe/Berlin`
 */
export function createTimeFormat(timeZone) {
  const zone = isKnownZone(timeZone) ? timeZone : undefined;
  const make = (options) => new Intl.DateTimeFormat(undefined, { timeZone: zone, ...options });
  const dateTime = make({
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
  });
  const dated = make({ dateStyle: 'medium', timeStyle: 'short' });
  const time = make({ hour: '2-digit', minute: '2-digit' });
  const day = make({ weekday: 'short', day: 'numeric', month: 'short' });
  const clock = make({ hour: 'numeric', minute: 'numeric', hourCycle: 'h23' });

  return {
    zone: zone ?? new Intl.DateTimeFormat().resolvedOptions().timeZone,
    /** e.g. "Fri 4 Apr, 21:59": for times within a few days of now. */
    dateTime: (ms) => dateTime.format(ms),
    /** With the year, for times that may lie long ago. */
    dated: (ms) => dated.format(ms),
    time: (ms) => time.format(ms),
    day: (ms) => day.format(ms),
    /** Whether `ms` falls on midnight in the home's zone, where the chart names the day. */
    isMidnight: (ms) => {
      const parts = clock.formatToParts(ms);
      const value = (type) => Number(parts.find((part) => part.type === type)?.value);
      return value('hour') === 0 && value('minute') === 0;
    },
  };
}

function isKnownZone(timeZone) {
  if (typeof timeZone !== 'string') {
    return false;
  }

  try {
    new Intl.DateTimeFormat(undefined, { timeZone });
    return true;
  } catch {
    return false;
  }
}

/** A share in [0, 1] as a whole percentage. */
export function percent(share) {
  return PERCENT.format(share);
}

/** A span of seconds the way a person says it: "2 s", "5 min", "1.5 h". */
export function duration(seconds) {
  if (seconds < 90) {
    return `${Math.round(seconds)} s`;
  }

  if (seconds < 90 * 60) {
    return `${Math.round(seconds / 60)} min`;
  }

  return `${Math.round(seconds / 360) / 10} h`;
}

/** Whole days from `earlier` to `later`, in words. */
export function daysBetween(earlier, later) {
  const days = Math.round((later - earlier) / DAY_MS);
  return days === 1 ? '1 day' : `${days} days`;
}

/** Domains by the word a person would use for the device. */
const DOMAIN_WORDS = {
  binary_sensor: 'sensor',
  device_tracker: 'tracker',
  input_boolean: 'toggle',
  media_player: 'media',
};

/**
 * A short label for an entity where space is tight: its object id in words and its domain,
 * e.g. `binary_sensor.hallway_motion` becomes "hallway motion (sensor)". The full id goes in a
 * title beside it.
 */
export function entityLabel(entityId) {
  const dot = entityId.indexOf('.');
  const domain = entityId.slice(0, dot);
  const objectId = entityId.slice(dot + 1).replaceAll('_', ' ');
  const kind = DOMAIN_WORDS[domain] ?? domain.replaceAll('_', ' ');
  return objectId === kind ? objectId : `${objectId} (${kind})`;
}

/** "Home", "Away", "Unknown", or "Home, working from home". */
export function stateWords(interval) {
  const state = STATE_WORDS[interval.state] ?? interval.state;
  return interval.work_from_home ? `${state}, working from home` : state;
}
