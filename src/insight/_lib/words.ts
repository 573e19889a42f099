/** Plain words for "entity entered state", by state. */
const CHANGE_WORDS: Readonly<Record<string, string>> = {
  on: 'turns on',
  off: 'turns off',
  open: 'opens',
  closed: 'closes',
  playing: 'starts playing',
  paused: 'pauses',
  idle: 'goes idle',
  locked: 'is locked',
  unlocked: 'is unlocked',
  cleaning: 'starts cleaning',
  docked: 'docks',
  below_horizon: 'sets',
  above_horizon: 'rises',
  home: 'comes home',
  not_home: 'leaves',
  arrival: 'comes home',
  departure: 'leaves',
};

/** Binary sensors say "on" for many things; their device class names it. */
const SENSOR_WORDS: Readonly<Record<string, [on: string, off: string]>> = {
  motion: ['detects motion', 'stops detecting motion'],
  occupancy: ['detects someone', 'stops detecting anyone'],
  door: ['opens', 'closes'],
  garage_door: ['opens', 'closes'],
  window: ['opens', 'closes'],
  opening: ['opens', 'closes'],
};

export function describeChange(name: string, state: string, deviceClass: string | null): string {
  const sensor = deviceClass === null ? undefined : SENSOR_WORDS[deviceClass];
  if (sensor !== undefined && (state === 'on' || state === 'off')) {
    return `${name} ${state === 'on' ? sensor[0] : sensor[1]}`;
  }

  return `${name} ${CHANGE_WORDS[state] ?? `becomes ${state}`}`;
}

export function formatDuration(seconds: number): string {
  if (seconds < 60) {
    return `${Math.max(1, Math.round(seconds))} s`;
  }

  if (seconds < 3600) {
    return `${Math.round(seconds / 60)} min`;
  }

  return `${Number((seconds / 3600).toFixed(1))} h`;
}

export function formatMinuteOfDay(minute: number): string {
  const h = Math.floor(minute / 60);
  const m = minute % 60;
  return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`;
}

export function percent(part: number, whole: number): string {
  return whole === 0 ? '0 %' : `${Math.round((100 * part) / whole)} %`;
}
