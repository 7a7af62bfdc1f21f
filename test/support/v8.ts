// V8's own view of an object's layout, for tests that guard memory: an object
// that had a key deleted is a hash table ("dictionary mode"), several times
// the size of a plain object of a few keys.
import { setFlagsFromString } from 'node:v8';

setFlagsFromString('--allow-natives-syntax');
const fast = new Function('o', 'return %HasFastProperties(o)') as (o: object) => boolean;

export function hasFastProperties(o: object): boolean {
  return fast(o);
}
