/**
 * Remembers the answers of a pure function (same arguments, same answer), keyed by `keyOf`, up to
 * `max` answers; when full, it forgets everything and starts over (cheaper than LRU bookkeeping,
 * and these are hot paths whose working set is far smaller than `max`).
 */
export function remembered<A extends unknown[], R>(
  fn: (...args: A) => R,
  keyOf: (...args: A) => string,
  max: number,
): (...args: A) => R {
  const answers = new Map<string, R>();
  return (...args: A): R => {
    const key = keyOf(...args);
    let answer = answers.get(key);
    if (answer === undefined && !answers.has(key)) {
      if (answers.size >= max) answers.clear();
      answer = fn(...args);
      answers.set(key, answer);
    }
    return answer as R;
  };
}
