import type { Random } from './random.js';
import type { LocalDate, Zone } from './zone.js';
import { addDays, formatDate, weekdayOf } from './zone.js';

/** Half-open [start, end) in epoch milliseconds. */
export interface Span {
  start: number;
  end: number;
}

export interface Resident {
  /** Lowercase slug used in entity ids, e.g. `alex`. */
  slug: string;
  name: string;
  /** When the resident was really out, sorted and disjoint. */
  away: Span[];
  /** Working hours spent at home. */
  workFromHome: Span[];
}

/** One event or recurring series of the residents' calendar, in local wall-clock terms. */
export interface CalendarEntry {
  uid: string;
  summary: string;
  /** What the event means for presence, as the simulator intends it. */
  kind: 'office' | 'work_from_home' | 'trip' | 'outing' | 'call';
  residents: string[];
  date: LocalDate;
  /** Local hours; absent for all-day events. */
  startHour?: number;
  endHour?: number;
  /** All-day events: how many days, the end date being exclusive. */
  days?: number;
  /** Weekly recurrence on these weekdays (0 = Monday) until the period's last day. */
  weekdays?: number[];
  until?: LocalDate;
  exdates?: LocalDate[];
}

export interface WrongDay {
  date: string;
  resident: string;
  calendar_says: 'office' | 'work_from_home';
  actually: 'home' | 'office';
  note: string;
}

export interface PresencePlan {
  residents: Resident[];
  calendar: CalendarEntry[];
  wrongDays: WrongDay[];
  /** Dates of the whole household's trip, first day and exclusive end. */
  trip: { first: LocalDate; days: number } | null;
}

export interface PresencePlanOptions {
  zone: Zone;
  firstDay: LocalDate;
  days: number;
  residents: number;
  random: Random;
}

const NAMES = ['Alex', 'Sam', 'Robin', 'Kim', 'Jo', 'Mika', 'Charlie', 'Luca'];

interface WorkWeek {
  office: number[];
  home: number[];
}

/** Office and home-office weekdays, rotated per resident so their days differ. */
const WORK_WEEKS: [WorkWeek, ...WorkWeek[]] = [
  { office: [0, 2, 3], home: [1, 4] },
  { office: [0, 1, 3, 4], home: [2] },
  { office: [1, 2, 4], home: [0, 3] },
];

interface DayPlan {
  /** Intervals out of the house on this day, local hours. */
  out: { from: number; to: number }[];
  /** Working hours at home, local hours. */
  homeWork: { from: number; to: number } | null;
}

/**
 * Plans who is where on every day of the period, and the calendar that mostly predicts it:
 * weekly office and home-office series, a trip, outings and a call; the calendar is wrong on
 * a few days, and some outings never made it into it.
 */
export function planPresence(options: PresencePlanOptions): PresencePlan {
  const { days, firstDay, random } = options;
  const slugs = NAMES.slice(0, options.residents).map((name, i) => ({
    name: i < NAMES.length ? name : `${name} ${i}`,
    slug: name.toLowerCase(),
  }));
  for (let i = NAMES.length; i < options.residents; i++) {
    slugs.push({ name: `Guest ${i + 1}`, slug: `guest_${i + 1}` });
  }

  const trip = days >= 14 ? { first: addDays(firstDay, Math.floor(days * 0.55)), days: 4 } : null;
  const lastDay = addDays(firstDay, days - 1);
  const calendar: CalendarEntry[] = [];
  const wrongDays: WrongDay[] = [];
  const residents: Resident[] = slugs.map(({ name, slug }, index) => {
    const rng = random.fork(`resident-${slug}`);
    const week = WORK_WEEKS[index % WORK_WEEKS.length] ?? WORK_WEEKS[0];
    const german = index % 2 === 0;
    const exdate = pickWeekday(firstDay, days, week.office, Math.floor(days * 0.3));
    const wrong = pickWeekday(
      firstDay,
      days,
      index % 2 === 0 ? week.office : week.home,
      Math.floor(days * 0.75) + index,
    );
    calendar.push(
      {
        uid: `office-${slug}@tandem.sim`,
        summary: german ? 'Büro' : 'Office',
        kind: 'office',
        residents: [slug],
        date: firstWeekday(firstDay, week.office),
        startHour: 9,
        endHour: 17,
        weekdays: week.office,
        until: lastDay,
        exdates: exdate === null ? [] : [exdate],
      },
      {
        uid: `home-office-${slug}@tandem.sim`,
        summary: german ? 'Homeoffice' : 'Work from home',
        kind: 'work_from_home',
        residents: [slug],
        date: firstWeekday(firstDay, week.home),
        startHour: 9,
        endHour: 17,
        weekdays: week.home,
        until: lastDay,
      },
    );
    if (wrong !== null) {
      wrongDays.push(
        index % 2 === 0
          ? {
              date: formatDate(wrong),
              resident: slug,
              calendar_says: 'office',
              actually: 'home',
              note: 'office day cancelled at short notice and spent working at home',
            }
          : {
              date: formatDate(wrong),
              resident: slug,
              calendar_says: 'work_from_home',
              actually: 'office',
              note: 'went to the office on a home-office day',
            },
      );
    }

    const plans = new Map<string, DayPlan>();
    for (let d = 0; d < days; d++) {
      const date = addDays(firstDay, d);
      plans.set(formatDate(date), planDay(date, { week, exdate, wrong, trip, rng, index }));
    }

    const extra = planOutings(slug, german, firstDay, days, rng, plans);
    calendar.push(...extra);

    return { name, slug, ...toSpans(plans, options.zone, firstDay, days) };
  });

  calendar.push(...sharedEntries(firstDay, days, slugs, trip));

  return { residents, calendar, wrongDays, trip };
}

interface DayContext {
  week: { office: number[]; home: number[] };
  exdate: LocalDate | null;
  wrong: LocalDate | null;
  trip: { first: LocalDate; days: number } | null;
  rng: Random;
  index: number;
}

function planDay(date: LocalDate, context: DayContext): DayPlan {
  const { week, rng } = context;
  const weekday = weekdayOf(date);
  const key = formatDate(date);
  const tripDay = tripDayIndex(date, context.trip);
  if (tripDay !== null && context.trip !== null) {
    return planTripDay(tripDay, context.trip.days, rng);
  }

  const isWrong = context.wrong !== null && formatDate(context.wrong) === key;
  const isExdate = context.exdate !== null && formatDate(context.exdate) === key;
  let office = week.office.includes(weekday) && !isExdate;
  let home = week.home.includes(weekday);
  if (isWrong) {
    [office, home] = [home, office];
  }

  if (office) {
    const leave = rng.normal(7.75 + context.index * 0.25, 0.2);
    const back = rng.normal(17.6, 0.45);

    return { out: [{ from: leave, to: back }], homeWork: null };
  }

  if (home) {
    const out = rng.chance(0.3) ? [{ from: 12.3, to: 12.3 + rng.between(0.4, 0.8) }] : [];

    return { out, homeWork: { from: rng.normal(8.6, 0.15), to: rng.normal(17, 0.25) } };
  }

  return { out: [], homeWork: null };
}

function planTripDay(dayIndex: number, tripDays: number, rng: Random): DayPlan {
  if (dayIndex === 0) {
    return { out: [{ from: rng.normal(9, 0.2), to: 24 }], homeWork: null };
  }

  if (dayIndex === tripDays - 1) {
    return { out: [{ from: 0, to: rng.normal(18.5, 0.3) }], homeWork: null };
  }

  return { out: [{ from: 0, to: 24 }], homeWork: null };
}

/** The plan of a day of the period; every day has one. */
function planOf(plans: Map<string, DayPlan>, date: LocalDate): DayPlan {
  const plan = plans.get(formatDate(date));
  if (plan === undefined) {
    throw new RangeError(`${formatDate(date)} lies outside the simulated period`);
  }

  return plan;
}

function tripDayIndex(
  date: LocalDate,
  trip: { first: LocalDate; days: number } | null,
): number | null {
  if (trip === null) {
    return null;
  }

  for (let i = 0; i < trip.days; i++) {
    if (formatDate(addDays(trip.first, i)) === formatDate(date)) {
      return i;
    }
  }

  return null;
}

/**
 * Weekend shopping, a weekday appointment, evenings out: some in the calendar, some not, and
 * never on a day the resident is already out for work or travel.
 */
function planOutings(
  slug: string,
  german: boolean,
  firstDay: LocalDate,
  days: number,
  rng: Random,
  plans: Map<string, DayPlan>,
): CalendarEntry[] {
  const entries: CalendarEntry[] = [];
  for (let d = 0; d < days; d++) {
    const date = addDays(firstDay, d);
    const plan = planOf(plans, date);
    const weekday = weekdayOf(date);
    const freeEvening = plan.out.every((out) => out.to < 18.8);
    if (weekday === 4 && freeEvening && rng.chance(0.5)) {
      const from = rng.normal(19.3, 0.2);
      plan.out.push({ from, to: Math.min(23.8, from + rng.between(2.5, 4)) });
      entries.push(
        outing(slug, date, german ? 'Essen mit Freunden' : 'Dinner with friends', 19.5, 22.5),
      );
      continue;
    }

    if (plan.out.length > 0) {
      continue;
    }

    if (weekday === 5 && rng.chance(0.7)) {
      const from = rng.normal(10, 0.3);
      plan.out.push({ from, to: from + rng.between(1.2, 2) });
      entries.push(outing(slug, date, german ? 'Einkaufen' : 'Groceries', from, from + 1.5));
    } else if (weekday === 6 && rng.chance(0.5)) {
      const from = rng.normal(14, 0.5);
      plan.out.push({ from, to: from + rng.between(2, 4) });
    }
  }

  const appointment = addDays(firstDay, Math.min(days - 1, 9));
  const plan = planOf(plans, appointment);
  if (plan.homeWork !== null) {
    plan.out.push({ from: 14.7, to: 16.3 });
    entries.push(outing(slug, appointment, german ? 'Zahnarzt' : 'Dentist', 15, 16));
  }

  return entries;
}

function outing(slug: string, date: LocalDate, summary: string, from: number, to: number) {
  return {
    uid: `outing-${slug}-${formatDate(date)}@tandem.sim`,
    summary,
    kind: 'outing' as const,
    residents: [slug],
    date,
    startHour: Math.round(from * 4) / 4,
    endHour: Math.round(to * 4) / 4,
  };
}

function sharedEntries(
  firstDay: LocalDate,
  days: number,
  residents: { slug: string }[],
  trip: { first: LocalDate; days: number } | null,
): CalendarEntry[] {
  const everyone = residents.map((resident) => resident.slug);
  const entries: CalendarEntry[] = [
    {
      uid: 'call-1@tandem.sim',
      summary: 'Call mit Jonas (Teams)',
      kind: 'call',
      residents: everyone.slice(0, 1),
      date: addDays(firstDay, Math.min(days - 1, 2)),
      startHour: 19,
      endHour: 20,
    },
  ];
  if (trip !== null) {
    entries.push({
      uid: 'trip-1@tandem.sim',
      summary: 'Urlaub Gardasee',
      kind: 'trip',
      residents: everyone,
      date: trip.first,
      days: trip.days,
    });
  }

  return entries;
}

function firstWeekday(from: LocalDate, weekdays: number[]): LocalDate {
  let date = from;
  while (!weekdays.includes(weekdayOf(date))) {
    date = addDays(date, 1);
  }

  return date;
}

/** The first of `weekdays` on or after day `offset`, if the period has one. */
function pickWeekday(
  firstDay: LocalDate,
  days: number,
  weekdays: number[],
  offset: number,
): LocalDate | null {
  for (let d = offset; d < days; d++) {
    const date = addDays(firstDay, d);
    if (weekdays.includes(weekdayOf(date))) {
      return date;
    }
  }

  return null;
}

/** Day plans in local hours → sorted, merged epoch spans. */
function toSpans(
  plans: Map<string, DayPlan>,
  zone: Zone,
  firstDay: LocalDate,
  days: number,
): { away: Span[]; workFromHome: Span[] } {
  const away: Span[] = [];
  const workFromHome: Span[] = [];
  for (let d = 0; d < days; d++) {
    const date = addDays(firstDay, d);
    const plan = planOf(plans, date);
    const outs = [...plan.out].sort((a, b) => a.from - b.from);
    for (const out of outs) {
      addSpan(away, { start: zone.toUtc(date, out.from), end: zone.toUtc(date, out.to) });
    }

    if (plan.homeWork !== null) {
      const work = {
        start: zone.toUtc(date, plan.homeWork.from),
        end: zone.toUtc(date, plan.homeWork.to),
      };
      workFromHome.push(
        ...subtract(
          work,
          outs.map((o) => ({ start: zone.toUtc(date, o.from), end: zone.toUtc(date, o.to) })),
        ),
      );
    }
  }

  return { away, workFromHome };
}

function addSpan(spans: Span[], span: Span): void {
  const last = spans.at(-1);
  if (last !== undefined && span.start <= last.end) {
    last.end = Math.max(last.end, span.end);

    return;
  }

  spans.push(span);
}

/** `span` minus the sorted `holes`. */
export function subtract(span: Span, holes: Span[]): Span[] {
  const out: Span[] = [];
  let cursor = span.start;
  for (const hole of holes) {
    if (hole.end <= cursor || hole.start >= span.end) {
      continue;
    }

    if (hole.start > cursor) {
      out.push({ start: cursor, end: hole.start });
    }

    cursor = Math.max(cursor, hole.end);
  }

  if (cursor < span.end) {
    out.push({ start: cursor, end: span.end });
  }

  return out;
}
