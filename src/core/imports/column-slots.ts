import type { ColumnPlan } from './import.types.ts';
import { parseTarget, type Target } from './mapping-targets.ts';

/** A column to read and the target it feeds. */
export interface BoundColumn {
  index: number;
  column: string;
  target: Target;
}

/** The columns that make up entries of one list: the values, and what applies to each of them. */
export interface Slot {
  /** The first column's position: entries come in the file's column order. */
  order: number;
  values: BoundColumn[];
  /** The parts other than the value, by part name (`type`, `extension`, `label`, `channel`). */
  parts: Map<string, BoundColumn>;
  fixed?: string;
}

export interface BoundColumns {
  text: BoundColumn[];
  type: BoundColumn[];
  custom: BoundColumn[];
  groups: BoundColumn[];
  phones: Slot[];
  emails: Slot[];
  messaging: Slot[];
}

const VALUE_PART = { phone: 'number', email: 'address', messaging: 'handle' } as const;

/**
 * Groups a plan's columns by what they feed. A numbered slot (`phone_numbers[2]`, `[2].type`)
 * gathers its columns into one slot, and so do the unnumbered ones (`phone_numbers`,
 * `phone_numbers.type`); a column with a fixed type (`phone_numbers[type=mobile]`) is a slot of its own.
 */
export function bindColumns(columns: ColumnPlan[]): BoundColumns {
  const bound: BoundColumns = { text: [], type: [], custom: [], groups: [], phones: [], emails: [], messaging: [] };
  const slots = { phone: new Map<string, Slot>(), email: new Map<string, Slot>(), messaging: new Map<string, Slot>() };
  columns.forEach((plan, index) => {
    if (plan.target === null) return;
    const target = parseTarget(plan.target);
    if ('problem' in target) throw new Error(`plan holds an invalid target for ${plan.column}: ${target.problem}`);
    const column: BoundColumn = { index, column: plan.column, target };
    switch (target.kind) {
      case 'text':
      case 'type':
      case 'custom':
      case 'groups':
        bound[target.kind].push(column);
        return;
      default: {
        // Unnumbered columns share one slot (so that a `phone_numbers.type` column types the
        // `phone_numbers` values), except a fixed type or channel, which is its column's own.
        const key = target.slot !== null ? `slot ${target.slot}` : fixedOf(target) !== undefined ? `column ${index}` : 'plain';
        const slot: Slot = slots[target.kind].get(key) ?? { order: index, values: [], parts: new Map() };
        slots[target.kind].set(key, slot);
        if (target.part === VALUE_PART[target.kind]) slot.values.push(column);
        else if (!slot.parts.has(target.part)) slot.parts.set(target.part, column);
        const fixed = fixedOf(target);
        if (fixed !== undefined) slot.fixed = fixed;
      }
    }
  });
  const ordered = (map: Map<string, Slot>) => [...map.values()].sort((a, b) => a.order - b.order);
  bound.phones = ordered(slots.phone);
  bound.emails = ordered(slots.email);
  bound.messaging = ordered(slots.messaging);
  return bound;
}

function fixedOf(target: Target): string | undefined {
  if (target.kind === 'phone' || target.kind === 'email') return target.fixedType;
  if (target.kind === 'messaging') return target.fixedChannel;
  return undefined;
}
