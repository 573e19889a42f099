import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { chromium } from 'playwright-core';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startServer } from '../src/server/index.js';
import type { RunningServer, ServeOptions } from '../src/server/index.js';
import { decodePng, summarizePixels } from './png.js';
import { serveSimulatedHome } from './serve-options.js';
import { loadSimulatedHome } from './simulated-home.js';
import type { SimulatedHome } from './simulated-home.js';

const TOKEN = 'dashboard-token-7f3a';
const { version } = JSON.parse(
  readFileSync(join(import.meta.dirname, '../package.json'), 'utf8'),
) as {
  version: string;
};
const DAY_MS = 86_400_000;
/** Debian's chromium, which `.ci/run` installs; playwright's own download cannot work here. */
const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
/** Set to 1 to refresh the README's picture of the dashboard from this test's screenshot. */
const UPDATE_SCREENSHOT = process.env.TANDEM_UPDATE_SCREENSHOT === '1';

interface Relation {
  kind: string;
  a: { entity_id: string; state: string };
  b: { entity_id: string; state: string };
}

interface Found {
  insights: { key: string; status: string; summary: string }[];
  patterns: { key: string; summary: string; explanation: string }[];
}

interface Offered {
  suggestions: { id: string; yaml: string }[];
  withheld: { id: string }[];
}

describe('the dashboard', () => {
  let home: SimulatedHome;
  let storeDir: string;
  let server: RunningServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let now: number;
  const origins: string[] = [];
  const requested: string[] = [];
  const pageErrors: Error[] = [];

  function serveOptions(overrides: Partial<ServeOptions> = {}): ServeOptions {
    return serveSimulatedHome(home, storeDir, {
      apiToken: TOKEN,
      version,
      clock: () => now,
      ...overrides,
    });
  }

  async function getJson<T>(path: string): Promise<T> {
    const response = await fetch(server.url + path, {
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(response.status, path).toBe(200);
    return (await response.json()) as T;
  }

  async function openPage(url: string): Promise<Page> {
    const opened = await context.newPage();
    opened.on('request', (request) => requested.push(request.url()));
    opened.on('pageerror', (error) => pageErrors.push(error));
    await opened.goto(url);
    return opened;
  }

  /** Sections render once `main` is no longer busy. */
  async function whenLoaded(loaded: Page): Promise<void> {
    await loaded.locator('main:not([aria-busy])').waitFor();
  }

  beforeAll(async () => {
    home = loadSimulatedHome({ seed: 5, days: 21 });
    now = home.history.window.end - 2 * DAY_MS;
    storeDir = mkdtempSync(join(tmpdir(), 'tandem-dashboard-'));
    server = await startServer(serveOptions());
    origins.push(server.url);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    // A reader far from the home: the page must still show the home's own times.
    context = await browser.newContext({
      locale: 'en-GB',
      timezoneId: 'America/New_York',
      viewport: { width: 1280, height: 900 },
      permissions: ['clipboard-read', 'clipboard-write'],
    });
    page = await openPage(server.url);
  });

  afterAll(async () => {
    await browser.close();
    await server.close();
    home.remove();
    rmSync(storeDir, { recursive: true, force: true });
  });

  it('asks for the API token, refuses a wrong one and keeps the right one', async () => {
    const form = page.locator('#token-form');
    await form.waitFor({ state: 'visible' });
    await page.fill('#token-input', 'not-the-token');
    await page.press('#token-input', 'Enter');
    await expect.poll(() => page.locator('#token-problem').textContent()).toContain('refused');

    await page.fill('#token-input', TOKEN);
    await page.click('#token-form button');
    await whenLoaded(page);
    expect(await form.isHidden()).toBe(true);
    expect(await page.evaluate<string | null>("localStorage.getItem('tandem.apiToken')")).toBe(
      TOKEN,
    );

    await page.reload();
    await whenLoaded(page);
    expect(await form.isHidden()).toBe(true);
    expect(await page.locator('#suggestions-list article').count()).toBeGreaterThan(0);
  });

  it("shows times in the home's time zone, not the reader's", async () => {
    const time = (timeZone: string) =>
      new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit' }).format(
        now,
      );

    expect(await page.locator('#status').textContent()).toContain(
      `times in ${home.truth.time_zone}`,
    );
    const nowLabel = await page.locator('#presence-now dt').first().textContent();
    expect(nowLabel).toContain(time(home.truth.time_zone));
    expect(nowLabel).not.toContain(time('America/New_York'));
  });

  it('draws the presence timeline, and lists the same intervals as a table', async () => {
    const chart = decodePng(await page.locator('#presence-chart canvas').screenshot());
    const drawn = summarizePixels(chart);
    expect(drawn.vivid).toBeGreaterThan(0.3);
    expect(drawn.colours).toBeGreaterThan(8);

    const query = new URLSearchParams({
      from: new Date(now - 3 * DAY_MS).toISOString(),
      to: new Date(now + 2 * DAY_MS).toISOString(),
    });
    const { intervals } = await getJson<{ intervals: unknown[] }>(
      `/api/presence/intervals?${query.toString()}`,
    );
    expect(intervals.length).toBeGreaterThan(3);
    expect(await page.locator('#presence-table tbody tr').count()).toBe(intervals.length);
    expect(await page.locator('#presence-note').isHidden()).toBe(true);

    await page.locator('#presence-chart .u-over').hover();
    expect(await page.locator('#presence-readout').textContent()).toMatch(/–.*\d+% sure\)$/);
  });

  it('shows the strongest relations as a matrix, and each with its explanation', async () => {
    const { correlations } = await getJson<{ correlations: Relation[] }>(
      '/api/correlations?min_confidence=0.5&standalone=true&limit=20',
    );
    const { patterns } = await getJson<Found>('/api/insights');
    const pairs = new Set(correlations.map(({ a, b }) => `${a.entity_id} ${b.entity_id}`));
    expect(await page.locator('#relations-matrix button.cell').count()).toBe(pairs.size);
    expect(await page.locator('#relations-list > li').count()).toBe(correlations.length);

    const first = correlations[0]!;
    const joiner = first.kind === 'sequential' ? '>' : '~';
    const key = `${first.a.entity_id}:${first.a.state}${joiner}${first.b.entity_id}:${first.b.state}`;
    const pattern = patterns.find((candidate) => candidate.key === key)!;
    const item = page.locator('#relations-list > li').first();
    expect(await item.locator('summary').textContent()).toBe(pattern.summary);
    expect(await item.locator('.explanation').textContent()).toBe(pattern.explanation);

    await page.locator('#relations-matrix button.cell').first().click();
    expect(await page.locator('#relations-list details[open]').count()).toBe(1);

    // The matrix names devices as the household named them in Home Assistant.
    const name = home.history.entities.find((e) => e.entityId === first.a.entity_id)!.name;
    expect(await page.locator('#relations-matrix th[scope=row]').allTextContents()).toContain(name);
  });

  it('lists the insights with their explanations, the unactionable ones on request', async () => {
    const { insights, patterns } = await getJson<Found>('/api/insights');
    const actionable = insights.filter((insight) => insight.status !== 'not_actionable');
    const items = page.locator('#insights-list > li');
    expect(await items.count()).toBe(actionable.length);

    const first = actionable[0]!;
    const explanation = patterns.find((pattern) => pattern.key === first.key)!.explanation;
    expect(await items.first().locator('summary').textContent()).toContain(first.summary);
    expect(await items.first().locator('.explanation').textContent()).toBe(explanation);

    await page.check('#insights-all');
    expect(await items.count()).toBe(insights.length);
  });

  it("shows each suggestion's YAML and copies it", async () => {
    const { suggestions } = await getJson<Offered>('/api/suggestions');
    const cards = page.locator('#suggestions-list article');
    expect(await cards.count()).toBe(suggestions.length);

    const first = suggestions[0]!;
    const card = page.locator(`article[data-id="${first.id}"]`);
    await card.getByText('The automation in YAML').click();
    expect(await card.locator('pre').isVisible()).toBe(true);
    expect(await card.locator('pre').textContent()).toBe(first.yaml);
    await card.getByRole('button', { name: 'Copy YAML' }).click();
    await expect.poll(() => card.locator('.outcome').textContent()).toBe('YAML copied.');
    expect(await page.evaluate<string>('navigator.clipboard.readText()')).toBe(first.yaml);
  });

  it('rejects a suggestion: the card goes, and the server no longer offers it', async () => {
    const { suggestions } = await getJson<Offered>('/api/suggestions');
    const id = suggestions[0]!.id;
    const card = page.locator(`article[data-id="${id}"]`);

    await card.getByRole('button', { name: 'Reject' }).click();
    await card.waitFor({ state: 'detached' });
    expect(await page.locator('#suggestions-status').textContent()).toContain('Rejected');
    const after = await getJson<Offered>('/api/suggestions');
    expect(after.suggestions.map((suggestion) => suggestion.id)).not.toContain(id);
    expect(after.withheld.map((suggestion) => suggestion.id)).toContain(id);
  });

  it('renders a page of content', async () => {
    const file = join(storeDir, 'dashboard.png');
    // The status, the presence and the relations' matrix: what the README shows.
    const clip = { x: 0, y: 0, width: 1280, height: 1380 };
    const shot = decodePng(await page.screenshot({ path: file, fullPage: true, clip }));
    const summary = summarizePixels(shot);

    // A blank page has one colour; one whose script failed shows headings but no chart.
    expect(shot.width).toBe(1280);
    expect(summary.inked).toBeGreaterThan(0.08);
    expect(summary.dark).toBeGreaterThan(0.005);
    expect(summary.vivid).toBeGreaterThan(0.05);
    expect(summary.colours).toBeGreaterThan(40);
    if (UPDATE_SCREENSHOT) {
      copyFileSync(file, join(import.meta.dirname, '..', 'docs', 'dashboard.png'));
    }
  });

  it('shows where the history ends when now lies past it', async () => {
    const later = await startServer(
      serveOptions({
        calendars: [],
        storeFile: join(storeDir, 'later.db'),
        apiToken: undefined,
        clock: () => now + 400 * DAY_MS,
      }),
    );
    origins.push(later.url);
    try {
      const past = await openPage(later.url);
      await whenLoaded(past);
      const note = await past.locator('#presence-note').textContent();
      expect(note).toContain('The recorded history ends');
      expect(note).toContain('398 days before now');
      // Nothing is known ahead of now: no departure or arrival from the history's past.
      expect(await past.locator('#presence-now').textContent()).toContain('none known');
      const chart = decodePng(await past.locator('#presence-chart canvas').screenshot());
      expect(summarizePixels(chart).vivid).toBeGreaterThan(0.2);
      expect(await past.locator('#presence-table tbody tr').count()).toBeGreaterThan(3);
      await past.close();
    } finally {
      await later.close();
    }
  });

  it('asks nothing of any other origin, and throws no error', () => {
    const asked = new Set(requested.map((url) => new URL(url).origin));
    expect([...asked].sort()).toEqual([...origins].sort());
    expect(pageErrors).toEqual([]);
  });
});
