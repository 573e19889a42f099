import { TandemError } from '../errors.js';
import type { StateChange } from '../home/index.js';
import { withholdAnswered } from '../insight/index.js';
import type { Logger } from '../logger.js';
import type { AnalysisReport } from '../report/index.js';
import { toReportWithheld } from '../report/index.js';
import type { CurrentState } from '../sources/index.js';
import type { Verdict } from '../store/index.js';
import { FeedbackStore } from '../store/index.js';
import type { AnalysisSnapshot } from './analysis-snapshot.js';
import { PresenceModel } from './presence-model.js';

/** The live connection to Home Assistant, as far as the service needs it. */
export interface LiveSource {
  currentStates(): ReadonlyMap<string, Pick<CurrentState, 'state' | 'lastChanged'>>;
  /** JSON-able, shown in `/health`; `state` is `connected` when events flow. */
  status(): { state: string } & Record<string, unknown>;
}

export interface HomeServiceOptions {
  /**
   * Reads and analyses the home anew, at `now`: a recorder is read again, so the analysis
   * includes what happened since the last.
   */
  analyze: (now: number) => Promise<AnalysisSnapshot>;
  /** tandem's own store, for the feedback given on suggestions. */
  storeFile: string;
  /** How often the analysis is redone when changes arrived since the last, ms. */
  refreshMs: number;
  logger: Logger;
  clock?: () => number;
}

export interface AnalysisStatus {
  state: 'ready' | 'analyzing' | 'failed';
  analyzedAt: number;
  durationMs: number;
  runs: number;
  lastError: string | null;
}

const DAY_MS = 86_400_000;
const DEFAULT_SNOOZE_DAYS = 30;

/**
 * The home as the server knows it: the latest analysis and its report, the household's
 * presence, the feedback store, and the live changes that arrived since the analysis. The
 * analysis is redone every `refreshMs` when Home Assistant reported changes since the last one;
 * meanwhile the live states keep the present moment's presence current.
 */
export class HomeService {
  readonly presence = new PresenceModel();
  readonly #options: HomeServiceOptions;
  readonly #clock: () => number;
  readonly #store: FeedbackStore;
  #snapshot: AnalysisSnapshot | undefined;
  #report: AnalysisReport | undefined;
  #status: AnalysisStatus = {
    state: 'analyzing',
    analyzedAt: 0,
    durationMs: 0,
    runs: 0,
    lastError: null,
  };
  #live: LiveSource | undefined;
  #eventsIngested = 0;
  #changesSinceAnalysis = 0;
  #running: Promise<Error | undefined> | undefined;
  #timer: NodeJS.Timeout | undefined;

  constructor(options: HomeServiceOptions) {
    this.#options = options;
    this.#clock = options.clock ?? Date.now;
    this.#store = FeedbackStore.open(options.storeFile, { create: true });
  }

  /** Runs the first analysis, then redoes it on schedule until `stop`. */
  async start(): Promise<void> {
    const failure = await this.refresh();
    if (failure !== undefined) {
      throw failure;
    }

    this.#timer = setInterval(() => {
      if (this.#changesSinceAnalysis > 0) {
        void this.refresh();
      }
    }, this.#options.refreshMs);
    this.#timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer);
    await this.#running;
    this.#store.close();
  }

  /**
   * Reads and analyses the home again; concurrent calls share one run. Resolves with the error
   * when the run failed, which leaves the last good analysis in place.
   */
  refresh(): Promise<Error | undefined> {
    this.#running ??= this.#analyze().finally(() => {
      this.#running = undefined;
    });
    return this.#running;
  }

  attachLive(live: LiveSource): void {
    this.#live = live;
    this.#updateLivePresence();
  }

  /** Takes the changes Home Assistant reported live, in time order. */
  ingest(changes: readonly StateChange[]): void {
    this.#eventsIngested += changes.length;
    this.#changesSinceAnalysis += changes.length;
    this.#updateLivePresence();
  }

  /** The latest analysis. */
  get snapshot(): AnalysisSnapshot {
    if (this.#snapshot === undefined) {
      throw new TandemError('NO_DATA', 'the home has not been analysed yet');
    }

    return this.#snapshot;
  }

  /** The report of the latest analysis, without the suggestions answered by feedback. */
  get report(): AnalysisReport {
    this.#report ??= this.#withFeedback(this.snapshot.report);
    return this.#report;
  }

  get status(): AnalysisStatus {
    return this.#status;
  }

  get live(): LiveSource | undefined {
    return this.#live;
  }

  get eventsIngested(): number {
    return this.#eventsIngested;
  }

  now(): number {
    return this.#clock();
  }

  /** Records a verdict on a suggestion the latest analysis made; the report withholds it. */
  recordFeedback(
    id: string,
    verdict: Verdict,
    snoozeDays = DEFAULT_SNOOZE_DAYS,
  ): { id: string; verdict: Verdict; until: number | null } {
    const known = this.snapshot.report.suggestions.some((suggestion) => suggestion.id === id);
    if (!known) {
      throw new TandemError('NOT_FOUND', `no suggestion ${id} in the latest analysis`);
    }

    const now = this.#clock();
    const until = verdict === 'snoozed' ? now + snoozeDays * DAY_MS : null;
    this.#store.record(id, verdict, now, until);
    this.#report = undefined;
    return { id, verdict, until };
  }

  async #analyze(): Promise<Error | undefined> {
    const { logger } = this.#options;
    const started = performance.now();
    const pending = this.#changesSinceAnalysis;
    this.#status = { ...this.#status, state: 'analyzing' };
    try {
      const snapshot = await this.#options.analyze(this.#clock());
      this.#snapshot = snapshot;
      this.#report = undefined;
      this.#changesSinceAnalysis -= pending;
      this.presence.setHistory(snapshot.presence, snapshot.window);
      this.#updateLivePresence();

      const durationMs = performance.now() - started;
      this.#status = {
        state: 'ready',
        analyzedAt: snapshot.analyzedAt,
        durationMs,
        runs: this.#status.runs + 1,
        lastError: null,
      };
      logger.info(
        {
          entities: snapshot.report.entities.length,
          relations: snapshot.report.correlations.length,
          suggestions: snapshot.report.suggestions.length,
          durationMs: Math.round(durationMs),
        },
        'home analysed',
      );
      return undefined;
    } catch (error) {
      const message = (error as Error).message;
      // A failed rerun keeps serving the last good analysis; the status says it failed.
      this.#status = { ...this.#status, state: 'failed', lastError: message };
      logger.error({ error: message }, 'analysis failed');
      return error as Error;
    }
  }

  #withFeedback(report: AnalysisReport): AnalysisReport {
    const standing = this.#store.standing(this.#clock());
    const { kept, withheld } = withholdAnswered(report.suggestions, standing);
    return { ...report, suggestions: kept, suggestions_withheld: withheld.map(toReportWithheld) };
  }

  /** Someone is home when any resident's live state is `home`. */
  #updateLivePresence(): void {
    const residents = this.#snapshot?.residents ?? [];
    const states = this.#live?.currentStates();
    if (states === undefined || residents.length === 0) {
      this.presence.setLive(undefined);
      return;
    }

    const known = residents.flatMap((entityId) => {
      const current = states.get(entityId);
      return current === undefined ? [] : [{ entityId, ...current }];
    });
    if (known.length === 0) {
      this.presence.setLive(undefined);
      return;
    }

    const home = known.filter((resident) => resident.state === 'home');
    const since =
      home.length > 0
        ? Math.min(...home.map((resident) => resident.lastChanged))
        : Math.max(...known.map((resident) => resident.lastChanged));
    const residentsHome = home.map((resident) => resident.entityId);
    this.presence.setLive({ home: home.length > 0, since, residentsHome });
  }
}
