/**
 * Time ranges as id ranges. Ids are given in arrival order and times are taken at arrival, so
 * times grow with ids and a range of one is a range of the other: a binary search over ids finds
 * it in O(log n) point reads, with no index on time to slow every insert down. (If the clock is set
 * back while recording, rows near that moment may fall on the wrong side of a bound.)
 */
import type Database from 'better-sqlite3';

export interface IdRange {
  /** First id in the range. */
  from: number;
  /** First id after the range. */
  until: number;
}

export function idRangeFinder(db: Database.Database): (from: number | undefined, to: number | undefined) => IdRange {
  const firstFrom = db.prepare<[number], { id: number; time: number }>('SELECT id, time FROM messages WHERE id >= ? ORDER BY id LIMIT 1');
  // Two statements: SQLite answers a lone min() or max() from the b-tree's edge, both together by a scan.
  const lowest = db.prepare<[], number>('SELECT id FROM messages ORDER BY id LIMIT 1').pluck();
  const highest = db.prepare<[], number>('SELECT id FROM messages ORDER BY id DESC LIMIT 1').pluck();

  /** The first id whose time is >= `time`, or `high + 1` when there is none. */
  const firstAtOrAfter = (time: number, low: number, high: number): number => {
    let lo = low;
    let hi = high + 1;
    while (lo < hi) {
      const mid = Math.floor((lo + hi) / 2);
      const row = firstFrom.get(mid);
      if (row === undefined || row.time >= time) hi = mid;
      else lo = row.id + 1;
    }
    return firstFrom.get(lo)?.id ?? high + 1;
  };

  return (from, to) => {
    const low = lowest.get();
    const high = highest.get();
    if (low === undefined || high === undefined) return { from: 0, until: 0 };
    return {
      from: from === undefined ? low : firstAtOrAfter(from, low, high),
      until: to === undefined ? high + 1 : firstAtOrAfter(to + 1, low, high),
    };
  };
}
