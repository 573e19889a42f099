import type { ChangeCause } from '../home/index.js';
import type { ActiveSpan, PlannedChange, SessionWindow } from './behaviour.js';
import {
  MINUTE,
  SECOND,
  byStart,
  days,
  mergeByStart,
  nextOf,
  numericChanges,
  poissonSpans,
  sessionSpans,
  spansToChanges,
  thermostatChanges,
} from './behaviour.js';
import type { Household } from './household.js';
import type { Random } from './random.js';

export type Role =
  | 'habit_trigger'
  | 'habit_response'
  | 'presence_driven'
  | 'independent'
  | 'evening'
  | 'sun_driven'
  | 'numeric'
  | 'attribute_only'
  | 'automation'
  | 'person'
  | 'device_tracker'
  | 'sun';

export interface HabitSpec {
  trigger: { entity_id: string; state: string };
  response: { entity_id: string; state: string };
  lag_s: { min: number; max: number };
  probability: number;
  condition: 'after_dark' | 'arrival' | null;
  automated: boolean;
  automation_entity_id: string | null;
}

export interface EntityDef {
  entityId: string;
  name: string;
  role: Role;
  /** The area set on the entity itself; null when it inherits the device's or has none. */
  ownArea: string | null;
  deviceId: string | null;
  deviceClass?: string;
  unit?: string;
  homeOnly: boolean;
  plan: (context: PlanContext) => Iterable<PlannedChange>;
}

/** A state set at a fixed offset from sunrise or sunset, the moments `sun.sun` changes. */
export interface SunDriven {
  entity_id: string;
  state: string;
  event: 'sunrise' | 'sunset';
  offset_minutes: number;
  description: string;
}

export interface DeviceDef {
  id: string;
  name: string;
  area: string | null;
  manufacturer: string;
  model: string;
}

export interface AreaDef {
  id: string;
  name: string;
}

export interface PlanContext {
  household: Household;
  random: Random;
  /** The planned changes of an entity defined earlier. */
  changesOf: (entityId: string) => Iterable<PlannedChange>;
}

export interface HomePlan {
  areas: AreaDef[];
  devices: DeviceDef[];
  entities: EntityDef[];
  habits: HabitSpec[];
  presenceDriven: { entity_id: string; driver: string; description: string }[];
  sunDriven: SunDriven[];
  coincidental: { entity_ids: [string, string]; reason: string }[];
}

/** A habit and its place in `HomePlan.habits`, which changes it plants carry for counting. */
interface PlantedHabit {
  index: number;
  spec: HabitSpec;
}

const ONOFF = { on: 'on', off: 'off' };

/** Builds the home room by room, keeping areas, devices, entities and planted truth together. */
class HomeBuilder {
  readonly plan: HomePlan = {
    areas: [],
    devices: [],
    entities: [],
    habits: [],
    presenceDriven: [],
    sunDriven: [],
    coincidental: [],
  };

  area(id: string, name: string): string {
    this.plan.areas.push({ id, name });

    return id;
  }

  /**
   * Adds an entity on its own device. `placement` decides where the area lives: on the device
   * (the entity inherits it), on the entity itself, or nowhere.
   */
  entity(
    def: Omit<EntityDef, 'ownArea' | 'deviceId'>,
    area: string | null,
    placement: 'device' | 'entity' | 'none' = 'device',
    model = 'Generic',
  ): EntityDef {
    const deviceId = placement === 'none' && area === null ? null : deviceIdFor(def.entityId);
    if (deviceId !== null) {
      this.plan.devices.push({
        id: deviceId,
        name: def.name,
        area: placement === 'device' ? area : null,
        manufacturer: model.split(' ')[0] ?? 'Generic',
        model,
      });
    }

    const entity = { ...def, ownArea: placement === 'entity' ? area : null, deviceId };
    this.plan.entities.push(entity);

    return entity;
  }

  habit(habit: Omit<HabitSpec, 'automation_entity_id'> & { automation?: string }): PlantedHabit {
    const { automation, ...rest } = habit;
    const spec = { ...rest, automation_entity_id: automation ?? null };
    this.plan.habits.push(spec);

    return { index: this.plan.habits.length - 1, spec };
  }
}

function deviceIdFor(entityId: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < entityId.length; i++) {
    hash = Math.imul(hash ^ entityId.charCodeAt(i), 0x01000193);
  }

  const part = (hash >>> 0).toString(16).padStart(8, '0');

  const length = entityId.length.toString(16).padStart(16, '0');
  return `${part}${part.split('').reverse().join('')}${length}`;
}

/**
 * A habit's response: after each trigger change into `trigger.state` that meets the
 * condition, with the habit's probability, the response turns on after a lag in range, and
 * goes off again after `minutes`. `noisePerDay` adds unrelated uses while someone is home.
 */
function responsePlan(
  habit: PlantedHabit,
  options: {
    minutes: [number, number];
    cause: ChangeCause;
    noisePerDay: number;
    states?: typeof ONOFF;
  },
): (context: PlanContext) => Iterable<PlannedChange> {
  return ({ household, random, changesOf }) => {
    // Noise draws from its own generator, so how far the trigger is read ahead never matters.
    const noise = poissonSpans(household, random.fork('noise'), {
      perHour: (hour) => (hour >= 7 && hour < 23 ? options.noisePerDay / 16 : 0),
      seconds: [options.minutes[0] * 60, options.minutes[1] * 60],
      homeOnly: true,
      cause: 'user',
    });
    const responses = habitSpans(
      changesOf(habit.spec.trigger.entity_id),
      habit,
      options,
      household,
      random,
    );

    return spansToChanges(mergeByStart(responses, noise), options.states ?? ONOFF, household);
  };
}

/**
 * The response spans of a habit in start order. Lags differ, so a span waits in `pending` until
 * the trigger has moved past the point where a later trigger could still start an earlier span.
 */
function* habitSpans(
  triggers: Iterable<PlannedChange>,
  { index, spec }: PlantedHabit,
  options: { minutes: [number, number]; cause: ChangeCause },
  household: Household,
  random: Random,
): Generator<ActiveSpan> {
  const pending: ActiveSpan[] = [];
  for (const change of triggers) {
    yield* takeUntil(pending, change.time + spec.lag_s.min * SECOND);
    if (change.state !== spec.trigger.state || change.time <= household.start) {
      continue;
    }

    if (
      !meetsCondition(spec.condition, change.time, household) ||
      !random.chance(spec.probability)
    ) {
      continue;
    }

    const start = change.time + random.between(spec.lag_s.min, spec.lag_s.max) * SECOND;
    const end = start + random.between(options.minutes[0], options.minutes[1]) * MINUTE;
    insertByStart(pending, { start, end, cause: options.cause, parent: change, habit: index });
  }

  yield* pending;
}

/** Removes and yields the spans of sorted `pending` that start at or before `time`. */
function* takeUntil(pending: ActiveSpan[], time: number): Generator<ActiveSpan> {
  while (pending[0] !== undefined && pending[0].start <= time) {
    yield pending[0];
    pending.shift();
  }
}

function insertByStart(sorted: ActiveSpan[], span: ActiveSpan): void {
  let i = sorted.length;
  while (i > 0 && (sorted[i - 1]?.start ?? -Infinity) > span.start) {
    i--;
  }

  sorted.splice(i, 0, span);
}

function meetsCondition(
  condition: HabitSpec['condition'],
  time: number,
  household: Household,
): boolean {
  switch (condition) {
    case null:
      return true;
    case 'after_dark':
      return household.isDark(time);
    case 'arrival':
      return household.isNearArrival(time, MINUTE, 10 * MINUTE);
  }
}

function motionPlan(
  busy: (hour: number) => number,
): (context: PlanContext) => Iterable<PlannedChange> {
  return ({ household, random }) =>
    spansToChanges(
      poissonSpans(household, random, {
        perHour: busy,
        seconds: [45, 240],
        homeOnly: true,
        cause: 'device',
      }),
      ONOFF,
      household,
    );
}

function sessionsPlan(windows: SessionWindow[], cause: ChangeCause, states = ONOFF) {
  return ({ household, random }: PlanContext) =>
    spansToChanges(sessionSpans(household, random, windows, cause), states, household);
}

const daytime = (perHour: number) => (hour: number) =>
  hour >= 6.5 && hour < 23 ? perHour : hour >= 1 && hour < 5 ? perHour * 0.03 : perHour * 0.3;

/**
 * The base home, about fifty entities in eight areas with one of each planted behaviour, and
 * extra rooms until it has at least `minEntities`.
 */
export function planHome(
  residents: { slug: string; name: string }[],
  minEntities: number,
): HomePlan {
  const home = new HomeBuilder();
  addPeople(home, residents);
  addHallway(home);
  addKitchen(home);
  addLivingRoom(home);
  addBedroomAndBath(home);
  addOffice(home);
  addUtilityAndOutside(home);
  for (let i = 0; home.plan.entities.length < minEntities; i++) {
    addExtraRoom(home, i);
  }

  return home.plan;
}

function addPeople(home: HomeBuilder, residents: { slug: string; name: string }[]): void {
  home.entity(
    {
      entityId: 'sun.sun',
      name: 'Sun',
      role: 'sun',
      homeOnly: false,
      plan: ({ household }) => sunPlan(household),
    },
    null,
    'none',
  );
  for (const resident of residents) {
    const tracker = `device_tracker.${resident.slug}_phone`;
    home.entity(
      {
        entityId: tracker,
        name: `${resident.name}'s phone`,
        role: 'device_tracker',
        homeOnly: false,
        plan: ({ household, random }) => trackerPlan(household, random, resident.slug),
      },
      null,
      'none',
      'Google Pixel 8',
    );
    home.entity(
      {
        entityId: `person.${resident.slug}`,
        name: resident.name,
        role: 'person',
        homeOnly: false,
        plan: ({ changesOf }) => personChanges(changesOf(tracker), resident, tracker),
      },
      null,
      'none',
    );
  }
}

/** The person follows its only tracker 3 ms later. */
function* personChanges(
  tracker: Iterable<PlannedChange>,
  resident: { slug: string; name: string },
  trackerId: string,
): Generator<PlannedChange> {
  const attributes = {
    editable: true,
    id: resident.slug,
    device_trackers: [trackerId],
    friendly_name: resident.name,
  };
  for (const change of tracker) {
    yield { time: change.time + 3, state: change.state, cause: 'device', attributes };
  }
}

function sunPlan(household: Household): PlannedChange[] {
  const changes: PlannedChange[] = [];
  const attributes = { friendly_name: 'Sun' };
  const first = household.isDark(household.start) ? 'below_horizon' : 'above_horizon';
  changes.push({ time: household.start, state: first, attributes, cause: 'device' });
  for (let time = household.start; time < household.end + 86_400_000; time += 86_400_000) {
    const { sunrise, sunset } = household.sun(time);
    for (const [at, state] of [
      [sunrise, 'above_horizon'],
      [sunset, 'below_horizon'],
    ] as const) {
      if (at > household.start && at < household.end) {
        changes.push({ time: at, state, attributes, cause: 'device' });
      }
    }
  }

  return changes.sort((a, b) => a.time - b.time);
}

/** A phone reports leaving a few minutes late (geofence) and arriving a little early. */
function trackerPlan(household: Household, random: Random, slug: string): PlannedChange[] {
  const resident = household.residents.find((r) => r.slug === slug);
  if (resident === undefined) {
    return [];
  }

  const attributes = {
    source_type: 'gps',
    gps_accuracy: 12,
    friendly_name: `${resident.name}'s phone`,
  };
  const home = !resident.away.some(
    (span) => span.start <= household.start && span.end > household.start,
  );
  const changes: PlannedChange[] = [
    { time: household.start, state: home ? 'home' : 'not_home', attributes, cause: 'device' },
  ];
  for (const span of resident.away) {
    if (span.start > household.start) {
      changes.push({
        time: span.start + random.between(60, 240) * SECOND,
        state: 'not_home',
        attributes,
        cause: 'device',
      });
    }

    if (span.end < household.end) {
      changes.push({
        time: span.end - random.between(0, 90) * SECOND,
        state: 'home',
        attributes,
        cause: 'device',
      });
    }
  }

  return changes.sort((a, b) => a.time - b.time);
}

function addHallway(home: HomeBuilder): void {
  const area = home.area('hallway', 'Hallway');
  home.entity(
    {
      entityId: 'binary_sensor.hallway_motion',
      name: 'Hallway motion',
      role: 'habit_trigger',
      deviceClass: 'motion',
      homeOnly: true,
      plan: motionPlan(daytime(2.5)),
    },
    area,
    'device',
    'Aqara RTCGQ11LM',
  );
  const habit = home.habit({
    trigger: { entity_id: 'binary_sensor.hallway_motion', state: 'on' },
    response: { entity_id: 'light.hallway', state: 'on' },
    lag_s: { min: 0.4, max: 1.5 },
    probability: 1,
    condition: 'after_dark',
    automated: true,
    automation: 'automation.hallway_motion_light',
  });
  home.entity(
    {
      entityId: 'light.hallway',
      name: 'Hallway light',
      role: 'habit_response',
      homeOnly: true,
      plan: automatedLightPlan(habit),
    },
    area,
    'device',
    'Philips LCA001',
  );
  home.entity(
    {
      entityId: 'automation.hallway_motion_light',
      name: 'Hallway motion light',
      role: 'automation',
      homeOnly: false,
      plan: automationPlan(
        'automation.hallway_motion_light',
        'light.hallway',
        'Hallway motion light',
        'binary_sensor.hallway_motion',
      ),
    },
    null,
    'none',
  );
  home.entity(
    {
      entityId: 'binary_sensor.front_door',
      name: 'Front door',
      role: 'habit_trigger',
      deviceClass: 'door',
      homeOnly: false,
      plan: frontDoorPlan,
    },
    area,
    'entity',
    'Aqara MCCGQ11LM',
  );
  const entrance = home.habit({
    trigger: { entity_id: 'binary_sensor.front_door', state: 'on' },
    response: { entity_id: 'light.entrance', state: 'on' },
    lag_s: { min: 3, max: 10 },
    probability: 0.85,
    condition: 'arrival',
    automated: false,
  });
  home.entity(
    {
      entityId: 'light.entrance',
      name: 'Entrance light',
      role: 'habit_response',
      homeOnly: true,
      plan: responsePlan(entrance, {
        minutes: [3, 15],
        cause: 'user',
        noisePerDay: 0.3,
      }),
    },
    area,
    'device',
    'IKEA LED2003G10',
  );
  home.entity(
    {
      entityId: 'lock.front_door',
      name: 'Front door lock',
      role: 'presence_driven',
      homeOnly: false,
      plan: lockPlan,
    },
    area,
    'device',
    'Nuki Smart Lock 4',
  );
  home.plan.presenceDriven.push({
    entity_id: 'lock.front_door',
    driver: 'arrival',
    description:
      'unlocked 20–60 s after the first person comes home, ' +
      'locked 30–90 s after the last one leaves',
  });
}

function frontDoorPlan({ household, random }: PlanContext): Iterable<PlannedChange> {
  const spans: ActiveSpan[] = [];
  for (const arrival of household.arrivals) {
    const start = arrival.time + random.between(25, 70) * SECOND;
    spans.push({ start, end: start + random.between(5, 30) * SECOND, cause: 'device' });
  }

  for (const departure of household.departures) {
    const start = departure.time - random.between(5, 40) * SECOND;
    spans.push({ start, end: start + random.between(4, 15) * SECOND, cause: 'device' });
  }

  spans.push(
    ...poissonSpans(household, random, {
      perHour: daytime(0.12),
      seconds: [10, 90],
      homeOnly: true,
      cause: 'device',
    }),
  );

  return spansToChanges(byStart(spans), ONOFF, household);
}

function lockPlan({ household, random }: PlanContext): Iterable<PlannedChange> {
  const spans: ActiveSpan[] = [];
  const states = { on: 'unlocked', off: 'locked' };
  const home = household.homeSpans();
  for (const span of home) {
    const start =
      span.start === household.start
        ? span.start + SECOND
        : span.start + random.between(20, 60) * SECOND;
    const end = span.end === household.end ? span.end : span.end + random.between(30, 90) * SECOND;
    spans.push({ start, end, cause: 'device' });
  }

  return spansToChanges(byStart(spans), states, household);
}

function automatedLightPlan(habit: PlantedHabit) {
  return ({ household, random, changesOf }: PlanContext): Iterable<PlannedChange> =>
    spansToChanges(
      motionLightSpans(changesOf(habit.spec.trigger.entity_id), habit, household, random),
      ONOFF,
      household,
    );
}

/** On 0.4–1.5 s after motion in the dark, off two minutes after the motion clears. */
function* motionLightSpans(
  motion: Iterable<PlannedChange>,
  { index, spec }: PlantedHabit,
  household: Household,
  random: Random,
): Generator<ActiveSpan> {
  const iterator = motion[Symbol.iterator]();
  let change = nextOf(iterator);
  while (change !== undefined) {
    const cleared = nextOf(iterator);
    if (change.state === 'on' && change.time > household.start && household.isDark(change.time)) {
      const start = change.time + random.between(spec.lag_s.min, spec.lag_s.max) * SECOND;
      const end = cleared === undefined ? household.end : cleared.time + 2 * MINUTE;
      yield {
        start,
        end,
        cause: 'automation',
        parent: change,
        habit: index,
        endCause: 'automation',
        endParent: cleared,
      };
    }

    change = cleared;
  }
}

/**
 * The automation entity: its `last_triggered` attribute moves on every run, sharing the run's
 * context with the light it switches and with an `automation_triggered` event.
 */
function automationPlan(automationId: string, target: string, name: string, source: string) {
  return ({ household, changesOf }: PlanContext): Iterable<PlannedChange> =>
    automationRuns(changesOf(target), household, {
      base: { id: '1712000000000', mode: 'restart', current: 0, friendly_name: name },
      event: { name, entityId: automationId, source: `state of ${source}` },
    });
}

/**
 * One run 300 ms before each change the automation makes to its target. The target's change is
 * told to share the run's context; the run is written first, so the context exists by then.
 */
function* automationRuns(
  targetChanges: Iterable<PlannedChange>,
  household: Household,
  { base, event }: { base: Record<string, unknown>; event: PlannedChange['automationEvent'] },
): Generator<PlannedChange> {
  yield {
    time: household.start,
    state: 'on',
    attributes: { ...base, last_triggered: null },
    cause: 'device',
  };
  for (const change of targetChanges) {
    if (change.cause !== 'automation') {
      continue;
    }

    const run: PlannedChange = {
      time: change.time - 300,
      state: 'on',
      attributes: { ...base, last_triggered: new Date(change.time - 300).toISOString() },
      cause: 'automation',
      parent: change.parent,
      automationEvent: event,
    };
    change.sameContextAs = run;
    yield run;
  }
}

function numeric(
  home: HomeBuilder,
  entityId: string,
  name: string,
  area: string | null,
  options: Omit<Parameters<typeof numericChanges>[2], 'attributes'> & {
    deviceClass: string;
    unit: string;
  },
): void {
  const attributes = {
    state_class: 'measurement',
    unit_of_measurement: options.unit,
    device_class: options.deviceClass,
    friendly_name: name,
  };
  home.entity(
    {
      entityId,
      name,
      role: 'numeric',
      deviceClass: options.deviceClass,
      unit: options.unit,
      homeOnly: false,
      plan: ({ household, random }) =>
        numericChanges(household, random, { ...options, attributes }),
    },
    area,
    'device',
    'Aqara WSDCGQ11LM',
  );
}

function addKitchen(home: HomeBuilder): void {
  const area = home.area('kitchen', 'Kitchen');
  home.entity(
    {
      entityId: 'binary_sensor.kitchen_motion',
      name: 'Kitchen motion',
      role: 'habit_trigger',
      deviceClass: 'motion',
      homeOnly: true,
      plan: motionPlan(daytime(3)),
    },
    area,
    'device',
    'Philips SML001',
  );
  const light = home.habit({
    trigger: { entity_id: 'binary_sensor.kitchen_motion', state: 'on' },
    response: { entity_id: 'light.kitchen', state: 'on' },
    lag_s: { min: 1, max: 2 },
    probability: 0.85,
    condition: 'after_dark',
    automated: false,
  });
  home.entity(
    {
      entityId: 'light.kitchen',
      name: 'Kitchen light',
      role: 'habit_response',
      homeOnly: true,
      plan: responsePlan(light, {
        minutes: [4, 20],
        cause: 'device',
        noisePerDay: 0.5,
      }),
    },
    area,
    'device',
    'Philips LCT015',
  );
  home.entity(
    {
      entityId: 'switch.coffee_machine',
      name: 'Coffee machine',
      role: 'habit_trigger',
      homeOnly: true,
      plan: sessionsPlan(
        [
          { from: 6.5, to: 8.5, probability: 0.9, minutes: [5, 15] },
          { from: 13, to: 15.5, probability: 0.4, minutes: [5, 10] },
        ],
        'user',
      ),
    },
    area,
    'device',
    'Shelly Plug S',
  );
  const radio = home.habit({
    trigger: { entity_id: 'switch.coffee_machine', state: 'on' },
    response: { entity_id: 'media_player.kitchen_radio', state: 'playing' },
    lag_s: { min: 120, max: 360 },
    probability: 0.6,
    condition: null,
    automated: false,
  });
  home.entity(
    {
      entityId: 'media_player.kitchen_radio',
      name: 'Kitchen radio',
      role: 'habit_response',
      homeOnly: true,
      plan: responsePlan(radio, {
        minutes: [15, 50],
        cause: 'user',
        noisePerDay: 0.4,
        states: { on: 'playing', off: 'idle' },
      }),
    },
    area,
    'device',
    'Sonos One',
  );
  home.entity(
    {
      entityId: 'binary_sensor.fridge_door',
      name: 'Fridge door',
      role: 'presence_driven',
      deviceClass: 'door',
      homeOnly: true,
      plan: ({ household, random }) =>
        spansToChanges(
          poissonSpans(household, random, {
            perHour: daytime(0.8),
            seconds: [5, 40],
            homeOnly: true,
            cause: 'device',
          }),
          ONOFF,
          household,
        ),
    },
    area,
    'entity',
    'Aqara MCCGQ11LM',
  );
  home.plan.presenceDriven.push({
    entity_id: 'binary_sensor.fridge_door',
    driver: 'home',
    description: 'opened a few times an hour by day, only while someone is home',
  });
  numeric(home, 'sensor.fridge_power', 'Fridge power', area, {
    base: 45,
    dailySwing: 8,
    noise: 6,
    decimals: 1,
    everyMinutes: [1, 4],
    min: 0,
    deviceClass: 'power',
    unit: 'W',
  });
}

function addLivingRoom(home: HomeBuilder): void {
  const area = home.area('living_room', 'Living room');
  const evening = [
    { from: 19, to: 21.5, probability: 0.75, minutes: [60, 180] as [number, number] },
  ];
  home.entity(
    {
      entityId: 'media_player.living_room_tv',
      name: 'Living room TV',
      role: 'habit_trigger',
      homeOnly: true,
      plan: sessionsPlan(
        [...evening, { from: 14, to: 17, probability: 0.25, minutes: [45, 120], weekdays: [5, 6] }],
        'user',
        { on: 'playing', off: 'off' },
      ),
    },
    area,
    'device',
    'LG OLED55C3',
  );
  const lamp = home.habit({
    trigger: { entity_id: 'media_player.living_room_tv', state: 'playing' },
    response: { entity_id: 'light.living_room_lamp', state: 'on' },
    lag_s: { min: 10, max: 60 },
    probability: 0.75,
    condition: 'after_dark',
    automated: false,
  });
  home.entity(
    {
      entityId: 'light.living_room_lamp',
      name: 'Reading lamp',
      role: 'habit_response',
      homeOnly: true,
      plan: responsePlan(lamp, {
        minutes: [40, 150],
        cause: 'user',
        noisePerDay: 0.3,
      }),
    },
    area,
    'entity',
    'IKEA LED1836G9',
  );
  home.entity(
    {
      entityId: 'light.living_room_ceiling',
      name: 'Living room ceiling',
      role: 'presence_driven',
      homeOnly: true,
      plan: sessionsPlan(
        [
          { from: 6.8, to: 7.6, probability: 0.5, minutes: [15, 40] },
          { from: 17.5, to: 20, probability: 0.85, minutes: [90, 240] },
        ],
        'user',
      ),
    },
    area,
    'device',
    'Philips LCA003',
  );
  home.plan.presenceDriven.push({
    entity_id: 'light.living_room_ceiling',
    driver: 'home',
    description: 'used morning and evening, only while someone is home',
  });
  home.entity(
    {
      entityId: 'cover.living_room_blinds',
      name: 'Living room blinds',
      role: 'evening',
      homeOnly: true,
      plan: blindsPlan,
    },
    area,
    'device',
    'Somfy RS100',
  );
  home.plan.coincidental.push(
    {
      entity_ids: ['cover.living_room_blinds', 'media_player.living_room_tv'],
      reason: 'both move in the evening; neither causes the other',
    },
    {
      entity_ids: ['light.living_room_ceiling', 'media_player.living_room_tv'],
      reason: 'both used in the evening at home, independently',
    },
  );
  home.entity(
    {
      entityId: 'climate.living_room',
      name: 'Living room thermostat',
      role: 'attribute_only',
      homeOnly: false,
      plan: ({ household, random }) =>
        thermostatChanges(household, random, {
          hvac_modes: ['off', 'heat'],
          min_temp: 7,
          max_temp: 30,
          target_temp_step: 0.5,
          friendly_name: 'Living room thermostat',
          supported_features: 385,
        }),
    },
    area,
    'device',
    'tado Smart Thermostat',
  );
  numeric(home, 'sensor.living_room_temperature', 'Living room temperature', area, {
    base: 21,
    dailySwing: 0.8,
    noise: 0.05,
    decimals: 1,
    everyMinutes: [4, 12],
    deviceClass: 'temperature',
    unit: '°C',
  });
  numeric(home, 'sensor.living_room_humidity', 'Living room humidity', area, {
    base: 46,
    dailySwing: 3,
    noise: 0.4,
    decimals: 0,
    everyMinutes: [5, 15],
    deviceClass: 'humidity',
    unit: '%',
  });
}

/** Opened in the morning and closed around dusk, by someone at home. */
function blindsPlan({ household, random }: PlanContext): Iterable<PlannedChange> {
  const spans: ActiveSpan[] = [];
  for (const span of household.homeSpans()) {
    for (let t = span.start; t < span.end; t += 86_400_000) {
      const { sunrise, sunset } = household.sun(t);
      const open =
        Math.max(sunrise, household.zone.toUtc(household.zone.dateAt(t), 7.2)) +
        random.between(0, 90) * MINUTE;
      const close = sunset + random.between(-20, 40) * MINUTE;
      if (household.isHomeThroughout(open, open + 1) && open < close) {
        spans.push({ start: open, end: household.isHome(close) ? close : open + 1, cause: 'user' });
      }
    }
  }

  return spansToChanges(byStart(dedupe(spans)), { on: 'open', off: 'closed' }, household);
}

function dedupe(spans: ActiveSpan[]): ActiveSpan[] {
  const seen = new Set<number>();

  return spans.filter((span) => !seen.has(span.start) && (seen.add(span.start), true));
}

function addBedroomAndBath(home: HomeBuilder): void {
  const bedroom = home.area('bedroom', 'Bedroom');
  home.entity(
    {
      entityId: 'light.bedroom_reading',
      name: 'Bedroom reading light',
      role: 'evening',
      homeOnly: true,
      plan: sessionsPlan([{ from: 22, to: 23.3, probability: 0.7, minutes: [10, 45] }], 'user'),
    },
    bedroom,
    'device',
    'IKEA LED2005R5',
  );
  home.entity(
    {
      entityId: 'media_player.bedroom_speaker',
      name: 'Bedroom speaker',
      role: 'evening',
      homeOnly: true,
      plan: sessionsPlan(
        [
          { from: 21.5, to: 23, probability: 0.35, minutes: [15, 60] },
          { from: 6.5, to: 7.5, probability: 0.3, minutes: [10, 25] },
        ],
        'user',
        { on: 'playing', off: 'idle' },
      ),
    },
    bedroom,
    'device',
    'Sonos One SL',
  );
  home.plan.coincidental.push({
    entity_ids: ['light.bedroom_reading', 'media_player.bedroom_speaker'],
    reason: 'both late in the evening, planned independently',
  });
  numeric(home, 'sensor.bedroom_temperature', 'Bedroom temperature', bedroom, {
    base: 19,
    dailySwing: 0.7,
    noise: 0.05,
    decimals: 1,
    everyMinutes: [5, 15],
    deviceClass: 'temperature',
    unit: '°C',
  });
  home.entity(
    {
      entityId: 'cover.bedroom_blinds',
      name: 'Bedroom blinds',
      role: 'independent',
      homeOnly: false,
      plan: scheduledBlindsPlan,
    },
    bedroom,
    'device',
    'Somfy RS100',
  );
  const bath = home.area('bathroom', 'Bathroom');
  home.entity(
    {
      entityId: 'light.bathroom',
      name: 'Bathroom light',
      role: 'habit_trigger',
      homeOnly: true,
      plan: ({ household, random }) =>
        spansToChanges(
          poissonSpans(household, random, {
            perHour: daytime(0.35),
            seconds: [120, 1200],
            homeOnly: true,
            cause: 'device',
          }),
          ONOFF,
          household,
        ),
    },
    bath,
    'device',
    'Philips LTG002',
  );
  const fan = home.habit({
    trigger: { entity_id: 'light.bathroom', state: 'on' },
    response: { entity_id: 'fan.bathroom', state: 'on' },
    lag_s: { min: 60, max: 180 },
    probability: 0.7,
    condition: null,
    automated: false,
  });
  home.entity(
    {
      entityId: 'fan.bathroom',
      name: 'Bathroom fan',
      role: 'habit_response',
      homeOnly: true,
      plan: responsePlan(fan, {
        minutes: [10, 25],
        cause: 'user',
        noisePerDay: 0.2,
      }),
    },
    bath,
    'entity',
    'Shelly 1PM',
  );
  numeric(home, 'sensor.bathroom_humidity', 'Bathroom humidity', bath, {
    base: 58,
    dailySwing: 4,
    noise: 0.6,
    decimals: 0,
    everyMinutes: [5, 15],
    deviceClass: 'humidity',
    unit: '%',
  });
}

/**
 * Opens at 07:00 on weekdays and 08:30 at weekends and closes at 21:30: a clock timer, so it is
 * independent of the sun, of presence and of every other entity.
 */
function scheduledBlindsPlan({ household }: PlanContext): Iterable<PlannedChange> {
  const spans: ActiveSpan[] = [];
  for (const { date, weekday } of days(household)) {
    const open = household.zone.toUtc(date, weekday < 5 ? 7 : 8.5);
    spans.push({ start: open, end: household.zone.toUtc(date, 21.5), cause: 'device' });
  }

  return spansToChanges(spans, { on: 'open', off: 'closed' }, household);
}

function addOffice(home: HomeBuilder): void {
  const area = home.area('office', 'Office');
  home.entity(
    {
      entityId: 'switch.desk_monitor',
      name: 'Desk monitor',
      role: 'presence_driven',
      homeOnly: true,
      plan: monitorPlan,
    },
    area,
    'device',
    'Shelly Plug S',
  );
  home.plan.presenceDriven.push({
    entity_id: 'switch.desk_monitor',
    driver: 'work_from_home',
    description: 'on through working hours at home, off at lunch now and then',
  });
  const lamp = home.habit({
    trigger: { entity_id: 'switch.desk_monitor', state: 'on' },
    response: { entity_id: 'light.desk_lamp', state: 'on' },
    lag_s: { min: 30, max: 120 },
    probability: 0.7,
    condition: null,
    automated: false,
  });
  home.entity(
    {
      entityId: 'light.desk_lamp',
      name: 'Desk lamp',
      role: 'habit_response',
      homeOnly: true,
      plan: responsePlan(lamp, {
        minutes: [60, 240],
        cause: 'user',
        noisePerDay: 0.15,
      }),
    },
    area,
    'none',
    'IKEA LED1837R5',
  );
  numeric(home, 'sensor.office_temperature', 'Office temperature', area, {
    base: 20.5,
    dailySwing: 1,
    noise: 0.06,
    decimals: 1,
    everyMinutes: [5, 15],
    deviceClass: 'temperature',
    unit: '°C',
  });
}

function monitorPlan({ household, random }: PlanContext): Iterable<PlannedChange> {
  const spans: ActiveSpan[] = household.workFromHome.map((span) => ({
    start: span.start + random.between(2, 15) * MINUTE,
    end: span.end - random.between(0, 10) * MINUTE,
    cause: 'user' as const,
  }));

  return spansToChanges(byStart(spans.filter((span) => span.end > span.start)), ONOFF, household);
}

function addUtilityAndOutside(home: HomeBuilder): void {
  const utility = home.area('utility_room', 'Utility room');
  home.entity(
    {
      entityId: 'vacuum.robot',
      name: 'Robot vacuum',
      role: 'presence_driven',
      homeOnly: false,
      plan: vacuumPlan,
    },
    utility,
    'device',
    'Roborock S7',
  );
  home.plan.presenceDriven.push({
    entity_id: 'vacuum.robot',
    driver: 'away',
    description:
      'cleans 10–40 minutes after the house empties, when it stays empty 90 minutes or more',
  });
  home.entity(
    {
      entityId: 'switch.aquarium_light',
      name: 'Aquarium light',
      role: 'independent',
      homeOnly: false,
      plan: ({ household }) => spansToChanges(dailyTimer(household, 8, 20), ONOFF, household),
    },
    utility,
    'device',
    'Shelly Plug S',
  );
  home.entity(
    {
      entityId: 'binary_sensor.mailbox',
      name: 'Mailbox',
      role: 'independent',
      deviceClass: 'opening',
      homeOnly: false,
      plan: ({ household, random }) =>
        spansToChanges(
          poissonSpans(household, random, {
            perHour: (h) => (h >= 9 && h < 17 ? 0.15 : 0),
            seconds: [3, 10],
            homeOnly: false,
            cause: 'device',
          }),
          ONOFF,
          household,
        ),
    },
    null,
    'none',
  );
  const outside = home.area('garden', 'Garden');
  home.entity(
    {
      entityId: 'cover.garage_door',
      name: 'Garage door',
      role: 'presence_driven',
      homeOnly: false,
      plan: garagePlan,
    },
    outside,
    'device',
    'Meross MSG100',
  );
  home.plan.presenceDriven.push({
    entity_id: 'cover.garage_door',
    driver: 'departure',
    description:
      'opens 0–40 s before the first resident drives off to the office ' +
      'and closes 60–120 s later',
  });
  home.entity(
    {
      entityId: 'switch.garden_irrigation',
      name: 'Garden irrigation',
      role: 'independent',
      homeOnly: false,
      plan: ({ household }) =>
        spansToChanges(dailyTimer(household, 6.5, 6.75, 2), ONOFF, household),
    },
    outside,
    'device',
    'Gardena 19031',
  );
  home.entity(
    {
      entityId: 'light.balcony_string',
      name: 'Balcony lights',
      role: 'sun_driven',
      homeOnly: false,
      plan: ({ household }) => spansToChanges(sunsetTimer(household, 23.5), ONOFF, household),
    },
    outside,
    'entity',
    'Innr SP 120',
  );
  home.plan.sunDriven.push({
    entity_id: 'light.balcony_string',
    state: 'on',
    event: 'sunset',
    offset_minutes: 0,
    description: 'on at sunset, off at 23:30: a dusk timer',
  });
  home.plan.coincidental.push({
    entity_ids: ['light.balcony_string', 'light.living_room_lamp'],
    reason: 'both come on around dusk; the balcony follows the sun, the lamp the TV',
  });
  home.entity(
    {
      entityId: 'binary_sensor.street_motion',
      name: 'Street camera motion',
      role: 'independent',
      deviceClass: 'motion',
      homeOnly: false,
      plan: ({ household, random }) =>
        spansToChanges(
          poissonSpans(household, random, {
            perHour: daytime(1.2),
            seconds: [10, 60],
            homeOnly: false,
            cause: 'device',
          }),
          ONOFF,
          household,
        ),
    },
    outside,
    'device',
    'Reolink RLC-510A',
  );
  numeric(home, 'sensor.outdoor_temperature', 'Outdoor temperature', outside, {
    base: 9,
    dailySwing: 5,
    noise: 0.15,
    decimals: 1,
    everyMinutes: [5, 15],
    deviceClass: 'temperature',
    unit: '°C',
  });
}

function dailyTimer(
  household: Household,
  onHour: number,
  offHour: number,
  everyDays = 1,
): ActiveSpan[] {
  const spans: ActiveSpan[] = [];
  let index = 0;
  for (let t = household.start; t < household.end + 86_400_000; t += 86_400_000, index++) {
    if (index % everyDays === 0) {
      const date = household.zone.dateAt(t);
      spans.push({
        start: household.zone.toUtc(date, onHour),
        end: household.zone.toUtc(date, offHour),
        cause: 'device',
      });
    }
  }

  return dedupe(spans);
}

function sunsetTimer(household: Household, offHour: number): ActiveSpan[] {
  const spans: ActiveSpan[] = [];
  for (let t = household.start; t < household.end + 86_400_000; t += 86_400_000) {
    const date = household.zone.dateAt(t);
    spans.push({
      start: household.sun(t).sunset,
      end: household.zone.toUtc(date, offHour),
      cause: 'device',
    });
  }

  return dedupe(spans);
}

/**
 * A plug timer with the "random offset" smart plugs offer: its own start hour and length, each
 * day moved by up to 20 minutes. Plugs in many rooms thus never switch in step with each other
 * or with the fixed timers, which would make independent devices look related.
 */
function* plugTimer(household: Household, random: Random): Generator<ActiveSpan> {
  const onHour = random.between(5, 21);
  const hours = random.between(0.5, 2.5);
  for (const { date } of days(household)) {
    const jitter = random.between(-20, 20) / 60;
    const start = household.zone.toUtc(date, onHour + jitter);
    yield { start, end: start + (hours + random.between(-0.2, 0.2)) * 3_600_000, cause: 'device' };
  }
}

function vacuumPlan({ household, random }: PlanContext): PlannedChange[] {
  const changes: PlannedChange[] = [{ time: household.start, state: 'docked', cause: 'device' }];
  for (const span of household.away) {
    if (
      span.end - span.start < 90 * MINUTE ||
      span.start <= household.start ||
      !random.chance(0.85)
    ) {
      continue;
    }

    const start = span.start + random.between(10, 40) * MINUTE;
    const cleaning = start + random.between(40, 70) * MINUTE;
    if (cleaning + 5 * MINUTE < Math.min(span.end, household.end)) {
      changes.push(
        { time: start, state: 'cleaning', cause: 'device' },
        { time: cleaning, state: 'returning', cause: 'device' },
        { time: cleaning + random.between(1, 4) * MINUTE, state: 'docked', cause: 'device' },
      );
    }
  }

  return changes;
}

function garagePlan({ household, random }: PlanContext): Iterable<PlannedChange> {
  const driver = household.residents[0]?.slug;
  const spans: ActiveSpan[] = [];
  for (const departure of household.departures) {
    if (departure.resident !== driver) {
      continue;
    }

    const start = departure.time - random.between(0, 40) * SECOND;
    spans.push({ start, end: start + random.between(60, 120) * SECOND, cause: 'device' });
  }

  return spansToChanges(byStart(spans), { on: 'open', off: 'closed' }, household);
}

const EXTRA_ROOMS = [
  'Guest room',
  'Kids room',
  'Study',
  'Hobby room',
  'Attic',
  'Basement',
  'Gym',
  'Library',
  'Workshop',
  'Nursery',
];

/**
 * One more room for larger homes: a motion light (instant, after dark, automated in every
 * third room), a lamp that starts a speaker (slow), an independent plug timer, a window opened
 * while someone is home, and two numeric sensors.
 */
function addExtraRoom(home: HomeBuilder, index: number): void {
  const base = EXTRA_ROOMS[index % EXTRA_ROOMS.length] ?? 'Room';
  const round = Math.floor(index / EXTRA_ROOMS.length);
  const name = round === 0 ? base : `${base} ${round + 1}`;
  const slug = name.toLowerCase().replace(/ /g, '_');
  const area = home.area(slug, name);
  const automated = index % 3 === 0;
  home.entity(
    {
      entityId: `binary_sensor.${slug}_motion`,
      name: `${name} motion`,
      role: 'habit_trigger',
      deviceClass: 'motion',
      homeOnly: true,
      plan: motionPlan(daytime(0.5 + (index % 4) * 0.4)),
    },
    area,
    'device',
    'Aqara RTCGQ11LM',
  );
  const motion = home.habit({
    trigger: { entity_id: `binary_sensor.${slug}_motion`, state: 'on' },
    response: { entity_id: `light.${slug}_ceiling`, state: 'on' },
    lag_s: automated ? { min: 0.4, max: 1.5 } : { min: 1, max: 2 },
    probability: automated ? 1 : 0.8,
    condition: 'after_dark',
    automated,
    ...(automated ? { automation: `automation.${slug}_motion_light` } : {}),
  });
  home.entity(
    {
      entityId: `light.${slug}_ceiling`,
      name: `${name} ceiling`,
      role: 'habit_response',
      homeOnly: true,
      plan: automated
        ? automatedLightPlan(motion)
        : responsePlan(motion, { minutes: [3, 15], cause: 'device', noisePerDay: 0.3 }),
    },
    area,
    'device',
    'Philips LCA001',
  );
  if (automated) {
    home.entity(
      {
        entityId: `automation.${slug}_motion_light`,
        name: `${name} motion light`,
        role: 'automation',
        homeOnly: false,
        plan: automationPlan(
          `automation.${slug}_motion_light`,
          `light.${slug}_ceiling`,
          `${name} motion light`,
          `binary_sensor.${slug}_motion`,
        ),
      },
      null,
      'none',
    );
  }

  home.entity(
    {
      entityId: `light.${slug}_lamp`,
      name: `${name} lamp`,
      role: 'habit_trigger',
      homeOnly: true,
      plan: sessionsPlan(
        [{ from: 18 + (index % 3), to: 21.5, probability: 0.5, minutes: [30, 120] }],
        'user',
      ),
    },
    area,
    index % 2 === 0 ? 'entity' : 'device',
    'IKEA LED1836G9',
  );
  const speaker = home.habit({
    trigger: { entity_id: `light.${slug}_lamp`, state: 'on' },
    response: { entity_id: `media_player.${slug}_speaker`, state: 'playing' },
    lag_s: { min: 60, max: 300 },
    probability: 0.55,
    condition: null,
    automated: false,
  });
  home.entity(
    {
      entityId: `media_player.${slug}_speaker`,
      name: `${name} speaker`,
      role: 'habit_response',
      homeOnly: true,
      plan: responsePlan(speaker, {
        minutes: [20, 60],
        cause: 'user',
        noisePerDay: 0.2,
        states: { on: 'playing', off: 'idle' },
      }),
    },
    area,
    'device',
    'Sonos Era 100',
  );
  home.entity(
    {
      entityId: `switch.${slug}_plug`,
      name: `${name} plug`,
      role: 'independent',
      homeOnly: false,
      plan: ({ household, random }) =>
        spansToChanges(plugTimer(household, random), ONOFF, household),
    },
    area,
    'device',
    'Shelly Plug S',
  );
  home.entity(
    {
      entityId: `binary_sensor.${slug}_window`,
      name: `${name} window`,
      role: 'presence_driven',
      deviceClass: 'window',
      homeOnly: true,
      plan: ({ household, random }) =>
        spansToChanges(
          poissonSpans(household, random, {
            perHour: daytime(0.05),
            seconds: [300, 1800],
            homeOnly: true,
            cause: 'device',
          }),
          ONOFF,
          household,
        ),
    },
    area,
    'entity',
    'Aqara MCCGQ11LM',
  );
  home.plan.presenceDriven.push({
    entity_id: `binary_sensor.${slug}_window`,
    driver: 'home',
    description: 'opened for airing now and then, only while someone is home',
  });
  numeric(home, `sensor.${slug}_temperature`, `${name} temperature`, area, {
    base: 19 + (index % 4),
    dailySwing: 0.8,
    noise: 0.05,
    decimals: 1,
    everyMinutes: [8, 20],
    deviceClass: 'temperature',
    unit: '°C',
  });
  numeric(home, `sensor.${slug}_humidity`, `${name} humidity`, area, {
    base: 45 + (index % 10),
    dailySwing: 3,
    noise: 0.4,
    decimals: 0,
    everyMinutes: [10, 25],
    deviceClass: 'humidity',
    unit: '%',
  });
}

/** Entities a base home has before extra rooms, and entities each extra room adds (about). */
export const BASE_ENTITIES_WITHOUT_PEOPLE = 44;
export const ENTITIES_PER_ROOM = 8.33;
