/**
 * How many of `count` items, in an order where every item `before` holds for comes first, it holds
 * for: the index of the first one it fails for (a binary search, as C++'s std::partition_point).
 */
export function partitionPoint(count: number, before: (index: number) => boolean): number {
  let low = 0;
  let high = count;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (before(mid)) low = mid + 1;
    else high = mid;
  }
  return low;
}
