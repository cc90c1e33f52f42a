import { setFlagsFromString } from 'node:v8';

/**
 * The command line is an app, and an app chooses its V8 flags: it turns off V8's allocation-site pretenuring for
 * its own process before any order is stepped. On this package's work V8 otherwise comes to allocate the step's
 * short-lived objects in the old generation, and every scavenge then keeps what they point to (about twice the CPU
 * per step in docs/performance.md, *V8's allocation-site pretenuring*). `ORDER_LIFECYCLE_V8_DEFAULTS=1` keeps V8's
 * defaults. Imported first by the command line's entry; the library never changes the flags of the app it is in.
 */
if (!process.env['ORDER_LIFECYCLE_V8_DEFAULTS']) setFlagsFromString('--no-allocation-site-pretenuring');
