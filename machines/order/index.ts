export { orderMachine, MACHINE_VERSION, type OrderMachine } from './machine.js';
