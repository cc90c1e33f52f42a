import * as z from 'zod/mini';
import { $constructor, $ZodObjectJIT, util, type $ZodObject, type $ZodType } from 'zod/v4/core';

const compiledObject: $constructor<$ZodObject> = $ZodObjectJIT;
const miniType: $constructor<z.ZodMiniType> = z.ZodMiniType;
const installLazyProp: (
  inst: object,
  key: string,
  make: (self: z.ZodMiniObject) => unknown,
  enumerable: boolean,
) => void = util.installLazyProp;

/** zod/mini's object with the parser classic zod's objects have: compiled on first use (zod walks it where `new Function` is refused). */
const CompiledObject = /* @__PURE__ */ $constructor('ZodMiniObject', (inst: z.ZodMiniObject, def) => {
  compiledObject.init(inst, def);
  miniType.init(inst, def);
  installLazyProp(inst, 'shape', (self: z.ZodMiniObject) => self._zod.def.shape, false);
});

interface Def {
  type: string;
  shape?: Record<string, $ZodType>;
  element?: $ZodType;
  innerType?: $ZodType;
}

/**
 * A copy of a zod/mini schema whose objects, at any depth under objects, arrays, optionals and nullables, parse as
 * classic zod's do: compiled on first use rather than walked key by key. Same checks, issues and messages; the
 * walk of zod/mini's objects made restoring an order about 1.6 times as slow. Kept out of the modules a browser
 * app's `createOrder`/`applyEvent` import, so the compiler stays out of their bundle.
 * @example
 * const fastContext = compiled(OrderContext);
 */
export function compiled<S extends $ZodType>(schema: S): S {
  const def = schema._zod.def as Def;
  const copy = (changes: Partial<Def>): S => new schema._zod.constr({ ...def, ...changes }) as S;
  switch (def.type) {
    case 'object':
      return new CompiledObject({
        ...def,
        shape: Object.fromEntries(Object.entries(def.shape!).map(([key, value]) => [key, compiled(value)])),
      } as z.ZodMiniObject['_zod']['def']) as unknown as S;
    case 'array':
      return copy({ element: compiled(def.element!) });
    case 'optional':
    case 'nullable':
      return copy({ innerType: compiled(def.innerType!) });
    default:
      return schema;
  }
}
