import { subscription } from './tables/subscription';
import type { TableDef } from './types';
export * from './types';
export { subscription };
/** Every table the solution owns, in the order the solution lists them. */
export declare const tables: readonly TableDef[];
