import * as z from 'zod/mini';

/**
 * A quick parser: the schema's output, or `undefined` when the schema itself must decide. `zodParts` lists the
 * paths of the parts it hands to zod (`policy`, `items[].sku`; `(root)` for the whole value), the rest it parses
 * itself.
 */
export type QuickParse<T> = ((value: unknown) => T | undefined) & { readonly zodParts: readonly string[] };

/** The parts of a zod definition a quick parser reads. */
interface Def {
  type: string;
  checks?: ReadonlyArray<{ _zod: { def: CheckDef } }>;
  shape?: Record<string, z.core.$ZodType>;
  catchall?: z.core.$ZodType;
  element?: z.core.$ZodType;
  innerType?: z.core.$ZodType;
  options?: readonly z.core.$ZodType[];
  inclusive?: boolean;
}

interface CheckDef {
  check: string;
  format?: string;
  value?: unknown;
  inclusive?: boolean;
  minimum?: number;
  maximum?: number;
}

/** Field parsers run many times; a miss is this value rather than an exception or an allocation. */
const MISS: unique symbol = Symbol('miss');
type Field = (value: unknown) => unknown;

/** Thrown while building for a part the quick parser does not cover: that part is then parsed by zod itself. */
const UNSUPPORTED: unique symbol = Symbol('unsupported');

/**
 * A parser that gives exactly what `schema` gives on the values it takes as they are, and `undefined` (not an
 * error) on anything else, for the schema to parse and word. Built from the schema's own definition, so it has no
 * rules of its own: objects (a plain object, and no other key in a strict one; the output has the shape's keys in
 * the shape's order), arrays, strings and safe integers with their length and bound checks, booleans, enums,
 * literals, unions of those (not of objects: an object's miss may be caution, not a refusal), optional and
 * nullable fields. A part it does not cover (a refinement or any other check on an object, an enum or a boolean, a
 * transform, a default, `z.xor`, a symbol key, a schema that contains itself) is handed to `z.safeParse` of that
 * part. Zod walks a `zod/mini` object one field at a time with an issue list per field: restoring a stored order
 * spent more time there than in `JSON.parse`.
 * @example
 * const quick = quickParser(OrderContext);
 * const context = quick(value) ?? parseOrThrow(OrderContext, value, 'order context');
 */
export function quickParser<S extends z.core.$ZodType>(schema: S): QuickParse<z.output<S>> {
  const zodParts: string[] = [];
  const field = fieldOrZod(schema, '', zodParts);
  const parse = (value: unknown) => {
    const out = field(value);
    return out === MISS ? undefined : (out as z.output<S>);
  };
  return Object.assign(parse, { zodParts: Object.freeze(zodParts) });
}

/** A part parsed by zod itself: its output when it succeeds, else a miss for the caller's schema to word. */
function zodField(schema: z.core.$ZodType, path: string, zodParts: string[]): Field {
  zodParts.push(path || '(root)');
  return (value) => {
    const result = z.safeParse(schema, value);
    return result.success ? result.data : MISS;
  };
}

/**
 * The quick field of the part at `path`, or zod's own parse of it where the quick parser does not cover the part
 * (its path then goes in `zodParts`; those of its own parts, built before it turned out uncovered, do not).
 */
function fieldOrZod(schema: z.core.$ZodType, path: string, zodParts: string[]): Field {
  const within: string[] = [];
  try {
    const field = fieldOf(schema, path, within);
    zodParts.push(...within);
    return field;
  } catch (error) {
    // Stryker disable next-line ConditionalExpression: building throws nothing else; a bug that did would surface here
    if (error !== UNSUPPORTED) throw error;
    return zodField(schema, path, zodParts);
  }
}

/** Kinds whose checks the quick parser reads (lengths, bounds, `int()`); any check on another kind is zod's. */
const checkedKinds: ReadonlySet<string> = new Set(['string', 'number', 'array']);

/** Kinds whose miss is final: a value they do not take, zod refuses too (a union tries its next option only then). */
const exactKinds: ReadonlySet<string> = new Set(['string', 'number', 'boolean', 'enum', 'literal']);

/** A path this long comes from a schema that contains itself (a getter in a shape): that part is zod's. */
const MAX_PATH = 1_000;

function fieldOf(schema: z.core.$ZodType, path: string, zodParts: string[]): Field {
  const def = schema._zod.def as Def;
  const checks = (def.checks ?? []).map((check) => check._zod.def);
  // A refinement, an overwrite, a property check: zod runs them, on a part it then parses whole.
  // Stryker disable next-line EqualityOperator: a path of exactly MAX_PATH characters is as far from any real schema
  if ((checks.length > 0 && !checkedKinds.has(def.type)) || path.length > MAX_PATH) throw UNSUPPORTED;
  switch (def.type) {
    case 'string':
      return lengthChecked((value) => typeof value === 'string', checks);
    case 'boolean':
      return (value) => (typeof value === 'boolean' ? value : MISS);
    case 'number':
      return numberField(checks);
    case 'enum':
    case 'literal': {
      // The values zod takes (a numeric TypeScript enum's `entries` also hold its reverse names).
      const allowed: ReadonlySet<unknown> = new Set(schema._zod.values);
      return (value) => (allowed.has(value) ? value : MISS);
    }
    case 'union': {
      // zod takes the first option that takes the value: another option may be tried only when a miss is final.
      // `z.xor` (not inclusive) refuses a value two options take.
      const kinds = def.options!.map((option) => (option._zod.def as Def).type);
      if (def.inclusive === false || kinds.some((kind) => !exactKinds.has(kind))) throw UNSUPPORTED;
      const options = def.options!.map((option) => fieldOrZod(option, path, zodParts));
      return (value) => {
        for (const option of options) {
          const out = option(value);
          if (out !== MISS) return out;
        }
        return MISS;
      };
    }
    case 'nullable': {
      const inner = fieldOrZod(def.innerType!, path, zodParts);
      return (value) => (value === null ? null : inner(value));
    }
    case 'array':
      return arrayField(fieldOrZod(def.element!, `${path}[]`, zodParts), checks);
    case 'object':
      return objectField(def, path, zodParts);
    default:
      throw UNSUPPORTED;
  }
}

/** `z.string()` or an array with `minLength`/`maxLength`: a value of its kind within the bounds. */
function lengthChecked(isKind: (value: unknown) => boolean, checks: readonly CheckDef[]): Field {
  let min = 0;
  let max = Infinity;
  for (const check of checks) {
    if (check.check === 'min_length') min = Math.max(min, check.minimum!);
    else if (check.check === 'max_length') max = Math.min(max, check.maximum!);
    else throw UNSUPPORTED;
  }
  return (value) => {
    if (!isKind(value)) return MISS;
    const length = (value as { length: number }).length;
    return length >= min && length <= max ? value : MISS;
  };
}

/** `z.number()` with `int()` and inclusive or exclusive bounds: a safe integer within them. */
function numberField(checks: readonly CheckDef[]): Field {
  let integer = false;
  let low = -Infinity;
  let high = Infinity;
  // Stryker disable next-line BooleanLiteral: an infinite bound takes every integer, inclusive or not
  let lowInclusive = true;
  // Stryker disable next-line BooleanLiteral: an infinite bound takes every integer, inclusive or not
  let highInclusive = true;
  for (const check of checks) {
    // `int()` is zod's number format `safeint`; `float32()` and the others are left to zod.
    if (check.format === 'safeint') integer = true;
    else if (check.check === 'greater_than') {
      // Every bound holds: the tightest one decides (at the same value, an exclusive bound is the tighter).
      const value = check.value as number;
      if (value > low || (value === low && check.inclusive !== true)) {
        low = value;
        lowInclusive = check.inclusive === true;
      }
    } else if (check.check === 'less_than') {
      const value = check.value as number;
      if (value < high || (value === high && check.inclusive !== true)) {
        high = value;
        highInclusive = check.inclusive === true;
      }
    } else throw UNSUPPORTED;
  }
  // Zod takes any finite number; the stored order's numbers are all integers, and only those are taken here.
  if (!integer) throw UNSUPPORTED;
  return (value) =>
    Number.isSafeInteger(value) &&
    (lowInclusive ? (value as number) >= low : (value as number) > low) &&
    (highInclusive ? (value as number) <= high : (value as number) < high)
      ? value
      : MISS;
}

function arrayField(element: Field, checks: readonly CheckDef[]): Field {
  const bounds = lengthChecked(Array.isArray, checks);
  return (value) => {
    if (bounds(value) === MISS) return MISS;
    const list = value as unknown[];
    const out: unknown[] = [];
    for (let index = 0; index < list.length; index++) {
      // A hole reads as undefined, which no element schema here takes.
      const item = element(list[index]);
      if (item === MISS) return MISS;
      out.push(item);
    }
    return out;
  };
}

/**
 * An object: a plain object with every field of the shape, each taken; an optional field may be absent (and stays
 * absent) but not `undefined`, which zod keeps and JSON never holds. A strict object has no other own key;
 * `z.object` leaves other keys out of its output.
 */
function objectField(def: Def, path: string, zodParts: string[]): Field {
  const strict = def.catchall !== undefined && (def.catchall._zod.def as Def).type === 'never';
  if (def.catchall !== undefined && !strict) throw UNSUPPORTED;
  const shape = def.shape!;
  const keys = Object.keys(shape);
  // Zod reads a missing field through the prototype: a key Object.prototype has would read differently here. It
  // also parses a field keyed by a symbol, which `for…in` and `Object.keys` do not see.
  if (keys.some((key) => key in Object.prototype) || Object.getOwnPropertySymbols(shape).length > 0) throw UNSUPPORTED;
  const known = new Set(keys);
  const fields = keys.map((key) => {
    const field = shape[key]!;
    const at = path ? `${path}.${key}` : key;
    if ((field._zod.def as Def).type !== 'optional')
      return { key, optional: false, field: fieldOrZod(field, at, zodParts) };
    // `z.optional(x)`: absent stays absent. An inner part that fills in or takes an absent value (a default, another
    // optional) answers otherwise: that object is zod's.
    const inner = (field._zod.def as Def).innerType!;
    if (inner._zod.optin !== undefined) throw UNSUPPORTED;
    // Stryker disable next-line ConditionalExpression: an inner part with an optional output only (a pipe) is zod's part either way, and an absent field stays absent
    if (inner._zod.optout !== undefined) throw UNSUPPORTED;
    return { key, optional: true, field: fieldOrZod(inner, at, zodParts) };
  });
  return (value) => {
    if (typeof value !== 'object' || value === null || Object.getPrototypeOf(value) !== Object.prototype) return MISS;
    const input = value as Record<string, unknown>;
    if (strict) for (const key in input) if (!known.has(key)) return MISS;
    const out: Record<string, unknown> = {};
    for (const { key, optional, field } of fields) {
      // An absent field stays absent when it is optional; any other absent field is zod's to word (or to fill in).
      if (!Object.hasOwn(input, key)) {
        if (optional) continue;
        return MISS;
      }
      const parsed = field(input[key]);
      if (parsed === MISS) return MISS;
      out[key] = parsed;
    }
    return out;
  };
}
