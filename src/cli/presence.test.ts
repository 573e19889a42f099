import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, describe, expect, it, vi } from 'vitest';

import { presenceCommand } from './presence.js';

const CALENDAR = [
  'BEGIN:VCALENDAR',
  'VERSION:2.0',
  'BEGIN:VEVENT',
  'UID:office',
  'SUMMARY:Büro',
  'DTSTART;TZID=Europe/Berlin:20240701T090000',
  'DTEND;TZID=Europe/Berlin:20240701T170000',
  'RRULE:FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR',
  'END:VEVENT',
  'END:VCALENDAR',
].join('\r\n');

function write(folder: string, name: string, text: string): string {
  const path = join(folder, name);
  writeFileSync(path, text);
  return path;
}

async function run(...args: string[]): Promise<{ stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    stdout += String(chunk);
    return true;
  });
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    stderr += String(chunk);
    return true;
  });
  await presenceCommand().exitOverride().parseAsync(args, { from: 'user' });
  vi.restoreAllMocks();
  return { stdout, stderr };
}

describe('tandem presence', () => {
  const folder = mkdtempSync(join(tmpdir(), 'tandem-presence-'));
  const calendar = write(folder, 'family.ics', CALENDAR);

  afterEach(() => {
    vi.restoreAllMocks();
    process.exitCode = undefined;
  });

  it('prints the state at --at and the next arrival', async () => {
    const { stdout } = await run(
      '--calendar',
      calendar,
      '--at',
      '2024-07-01T10:00:00+02:00',
      '--time-zone',
      'Europe/Berlin',
    );

    expect(stdout).toContain('2024-07-01 10:00  away');
    expect(stdout).toContain('next arrival    2024-07-01 18:00');
  });

  it('prints the presence object as JSON over --from and --to', async () => {
    const { stdout } = await run(
      '--calendar',
      calendar,
      '--from',
      '2024-07-01T00:00:00+02:00',
      '--to',
      '2024-07-02T00:00:00+02:00',
      '--time-zone',
      'Europe/Berlin',
      '--json',
    );

    const document = JSON.parse(stdout) as {
      presence: { intervals: { state: string; start: string }[] };
    };
    expect(document.presence.intervals.map((interval) => [interval.start, interval.state])).toEqual(
      [
        ['2024-06-30T22:00:00.000Z', 'home'],
        ['2024-07-01T06:00:00.000Z', 'away'],
        ['2024-07-01T16:00:00.000Z', 'home'],
      ],
    );
  });

  it('reads the time zone and rules from a config folder', async () => {
    const config = join(folder, 'config');
    mkdirSync(join(config, '.storage'), { recursive: true });
    write(config, '.storage/core.config', JSON.stringify({ data: { time_zone: 'Europe/Berlin' } }));
    write(
      config,
      'tandem.json',
      JSON.stringify({
        calendar: { rules: [{ id: 'ignore', effect: 'none', confidence: 1, keywords: ['büro'] }] },
      }),
    );

    const { stdout } = await run(
      '--calendar',
      calendar,
      '--config',
      config,
      '--at',
      '2024-07-01T10:00:00+02:00',
    );

    expect(stdout).toContain('2024-07-01 10:00  home');
  });

  it('answers unknown and exits with 4 when no calendar can be read', async () => {
    const { stdout, stderr } = await run(
      '--calendar',
      'http://127.0.0.1:9/cal.ics',
      '--at',
      '2024-07-01T10:00:00Z',
    );

    expect(stdout).toMatch(/unknown\s+0%/);
    expect(stderr).toContain('calendar source failed');
    expect(process.exitCode).toBe(4);
  });

  it('exits with 3 and names the line of a malformed calendar', async () => {
    const broken = write(folder, 'broken.ics', CALENDAR.replace('END:VEVENT', 'END:VTODO'));

    const { stdout } = await run('--calendar', broken, '--at', '2024-07-01T10:00:00Z');

    expect(stdout).toContain(`${broken}:9: END:VTODO closes BEGIN:VEVENT of line 3`);
    expect(process.exitCode).toBe(3);
  });
});
