import type { PresenceCorrelation, PresenceDriver } from '../correlation/index.js';
import type { CalendarCalibration } from '../presence/index.js';

/** One entity's presence-aware analysis in the JSON report; see docs/json-output.md. */
export interface ReportPresenceCorrelation {
  entity_id: string;
  driver: PresenceDriver | null;
  presence_driven: boolean;
  confidence: number;
  /** Activations per hour spent home, away, and home on work-from-home days. */
  rates: { home: number; away: number; work_from_home: number | null };
  evidence: {
    activations: number;
    home: number;
    away: number;
    work_from_home: number;
    hours_home: number;
    hours_away: number;
    hours_work_from_home: number;
    expected_away: number;
    work_from_home_days: { days: number; used: number };
    other_workdays: { days: number; used: number };
    arrival: ReportAnchor | null;
    departure: ReportAnchor | null;
    drivers: Record<PresenceDriver, number>;
  };
}

interface ReportAnchor {
  confidence: number;
  support: number;
  window_s: number;
  lag_s: { median: number; p90: number };
}

export interface ReportCalibration {
  agreement: number | null;
  by_claim: { away: number | null; home: number | null; work_from_home: number | null };
  departure_lead_min: number | null;
  arrival_lag_min: number | null;
  wrong_intervals: { start: string; end: string }[];
  learned_commute_min: { before: number; after: number } | null;
}

const round = (value: number, digits = 4) => Number(value.toFixed(digits));
const roundOrNull = (value: number | null) => (value === null ? null : round(value));

export function toReportPresenceCorrelation(
  entity: PresenceCorrelation,
): ReportPresenceCorrelation {
  const { evidence } = entity;
  const anchor = (found: PresenceCorrelation['evidence']['arrival']) =>
    found === null
      ? null
      : {
          confidence: round(found.confidence),
          support: found.support,
          window_s: found.windowS,
          lag_s: { median: round(found.lagS.median, 2), p90: round(found.lagS.p90, 2) },
        };
  return {
    entity_id: entity.entityId,
    driver: entity.driver,
    presence_driven: entity.presenceDriven,
    confidence: round(entity.confidence),
    rates: {
      home: round(entity.rates.home, 5),
      away: round(entity.rates.away, 5),
      work_from_home:
        entity.rates.workFromHome === null ? null : round(entity.rates.workFromHome, 5),
    },
    evidence: {
      activations: evidence.activations,
      home: evidence.home,
      away: evidence.away,
      work_from_home: evidence.workFromHome,
      hours_home: round(evidence.hoursHome, 1),
      hours_away: round(evidence.hoursAway, 1),
      hours_work_from_home: round(evidence.hoursWorkFromHome, 1),
      expected_away: round(evidence.expectedAway, 2),
      work_from_home_days: { days: evidence.workFromHomeDays, used: evidence.workFromHomeDaysUsed },
      other_workdays: { days: evidence.otherDays, used: evidence.otherDaysUsed },
      arrival: anchor(evidence.arrival),
      departure: anchor(evidence.departure),
      drivers: Object.fromEntries(
        Object.entries(entity.drivers).map(([driver, value]) => [driver, round(value)]),
      ) as Record<PresenceDriver, number>,
    },
  };
}

export function toReportCalibration(calibration: CalendarCalibration): ReportCalibration {
  const minutes = (ms: number) => Math.round(ms / 60_000);
  return {
    agreement: roundOrNull(calibration.agreement),
    by_claim: {
      away: roundOrNull(calibration.byClaim.away),
      home: roundOrNull(calibration.byClaim.home),
      work_from_home: roundOrNull(calibration.byClaim.workFromHome),
    },
    departure_lead_min: calibration.departureLeadMin,
    arrival_lag_min: calibration.arrivalLagMin,
    wrong_intervals: calibration.wrongIntervals.map((interval) => ({
      start: new Date(interval.start).toISOString(),
      end: new Date(interval.end).toISOString(),
    })),
    learned_commute_min:
      calibration.learnedCommute === null
        ? null
        : {
            before: minutes(calibration.learnedCommute.beforeMs),
            after: minutes(calibration.learnedCommute.afterMs),
          },
  };
}

/** Plain words for each driver, completed by the device's name. */
const DRIVER_WORDS: Readonly<Record<PresenceDriver, string>> = {
  home: 'is used only while someone is home',
  away: 'runs only while nobody is home',
  work_from_home: 'is used on work-from-home days',
  arrival: 'changes within minutes of someone coming home',
  departure: 'changes when someone leaves',
};

export function describeDriver(name: string, entity: ReportPresenceCorrelation): string {
  const driver = entity.driver;
  if (driver === null) {
    return `${name} does not depend on presence`;
  }

  const { evidence } = entity;
  const detail: Record<PresenceDriver, string> = {
    home:
      `${evidence.home} times at home, ${evidence.away} away ` +
      `where its hours predict ${evidence.expected_away.toFixed(1)}`,
    away: `${evidence.away} times away, ${evidence.home} at home`,
    work_from_home:
      `on ${evidence.work_from_home_days.used} of ${evidence.work_from_home_days.days} ` +
      `home-office days, ${evidence.other_workdays.used} of ${evidence.other_workdays.days} ` +
      'other workdays',
    arrival: anchorDetail(evidence.arrival),
    departure: anchorDetail(evidence.departure),
  };
  const confidence = `[confidence ${entity.confidence.toFixed(2)}]`;
  return `${name} ${DRIVER_WORDS[driver]} (${detail[driver]}) ${confidence}`;
}

function anchorDetail(anchor: ReportAnchor | null): string {
  return anchor === null
    ? 'no anchor'
    : `${anchor.support} times, median ${Math.round(anchor.lag_s.median)} s`;
}
