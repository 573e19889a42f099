import { describe, expect, it } from 'vitest';

import type { Figure } from './harness.js';
import { handWrittenSections, renderPerformanceDoc, replaceReadmeSummary } from './report.js';

const MACHINE = { cpu: 'Test CPU', cores: 2, memoryGiB: 8, node: 'v20.0.0', date: '2026-01-01' };

const FIGURE: Figure = {
  id: 'calendar-expand-ms',
  description: "tandem's parse and expansion",
  unit: 'ms',
  value: 640,
  target: 900,
  goal: null,
  better: 'lower',
};

const SECTIONS = [
  '## Method: calendar peers',
  '',
  'Each side parses the same file.',
  '',
  '## What profiling changed',
  '',
  '- nothing yet',
  '',
].join('\n');

describe('renderPerformanceDoc', () => {
  it('returns the table followed by the hand-written sections', () => {
    const page = renderPerformanceDoc([FIGURE], MACHINE, SECTIONS);

    expect(page.indexOf('| `calendar-expand-ms` |')).toBeLessThan(page.indexOf('## Method'));
    expect(page.endsWith('- nothing yet\n')).toBe(true);
  });

  it('says whether each figure meets its target and its goal, where it has one', () => {
    const page = renderPerformanceDoc(
      [
        { ...FIGURE, id: 'no-goal' },
        { ...FIGURE, id: 'goal-met', goal: 700 },
        { ...FIGURE, id: 'goal-missed', goal: 500 },
      ],
      MACHINE,
    );
    // The last two cells of the figure's row; the row ends with a bar, so the last split is ''.
    const verdicts = (id: string) =>
      page
        .split('\n')
        .find((line) => line.startsWith(`| \`${id}\``))
        ?.split('|')
        .map((cell) => cell.trim())
        .slice(-3, -1);

    expect(verdicts('no-goal')).toEqual(['yes', '']);
    expect(verdicts('goal-met')).toEqual(['yes', 'yes']);
    expect(verdicts('goal-missed')).toEqual(['yes', '**no**']);
  });

  it('keeps the hand-written sections of the page it replaces', () => {
    const before = renderPerformanceDoc([FIGURE], MACHINE, SECTIONS);
    const after = renderPerformanceDoc(
      [{ ...FIGURE, value: 610 }],
      MACHINE,
      handWrittenSections(before),
    );

    expect(handWrittenSections(after)).toBe(SECTIONS);
    expect(after).toContain('**610** ms');
  });
});

describe('handWrittenSections', () => {
  it('returns nothing for a page that is all table', () => {
    expect(handWrittenSections(renderPerformanceDoc([FIGURE], MACHINE))).toBe('');
  });
});

describe('replaceReadmeSummary', () => {
  const readme = [
    '# tandem',
    '',
    '<!-- bench:summary:start -->',
    'old figures',
    '<!-- bench:summary:end -->',
    '',
    'More prose.',
    '',
  ].join('\n');
  const figure: Figure = {
    id: 'http-presence-p99',
    description: 'GET /api/presence, p99',
    unit: 'ms',
    value: 1.94,
    target: 200,
    goal: 5,
    better: 'lower',
  };

  it('returns the README with the headline figures between the markers, the rest as it was', () => {
    const page = replaceReadmeSummary(readme, [FIGURE, figure], MACHINE);

    expect(page).toContain('| HTTP request, end to end (p99) | < 200 ms | < 5 ms | **1.94** ms |');
    expect(page).not.toContain('old figures');
    expect(page).not.toContain('calendar-expand-ms');
    expect(page.startsWith('# tandem\n\n<!-- bench:summary:start -->\n')).toBe(true);
    expect(page.endsWith('<!-- bench:summary:end -->\n\nMore prose.\n')).toBe(true);
  });

  it('returns a README without the markers as it is', () => {
    expect(replaceReadmeSummary('# tandem\n', [figure], MACHINE)).toBe('# tandem\n');
  });
});
