/**
 * order-lifecycle/testing/model: the independent reference model of the order rules, in plain TypeScript with no
 * XState and no zod, written from the seed page and docs/rules.md rather than from `src/domain`. The property suite
 * of `order-lifecycle/testing` compares the machine with it; import it to compare a machine or a service of your own.
 * @packageDocumentation
 * @module order-lifecycle/testing/model
 */
export {
  createModelOrder,
  stepModel,
  modelNextDeadline,
  type ModelOrder,
  type ModelInput,
  type ModelEvent,
  type ModelStep,
  type ModelStatus,
  type ModelItem,
  type ModelItemQuantity,
  type ModelCancellation,
  type ModelEffect,
  type ModelVerdict,
  type ModelCode,
  type ModelPolicy,
} from '../model.js';
