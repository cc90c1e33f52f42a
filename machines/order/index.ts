export { orderMachine, MACHINE_VERSION, timeGuards, type OrderMachine, type OrderAccepted } from './machine.js';
