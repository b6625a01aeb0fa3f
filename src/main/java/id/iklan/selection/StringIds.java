package id.iklan.selection;

import java.util.Map;

/**
 * The dictionary's strings (sections, keywords, location keys) and their dense ids, for the
 * look-ups every page decision makes. Immutable; built once per compiled snapshot.
 *
 * <p>Open addressing with linear probing in two parallel arrays, at most half full. A look-up
 * reads one {@code long} per probe (the key's hash and its id together; 0 marks an empty slot),
 * and the key only when the hashes agree. A {@code HashMap<String, Integer>} reads the table, a
 * node and a boxed id for the same answer; on a dictionary of tens of thousands of keywords each
 * of those reads is a likely cache miss, and the look-ups were about a fifth (19%) of a page decision
 * at 100,000 campaigns. Most of a page's keywords are in no rule, and those usually cost one read.
 */
final class StringIds {
  /** Fibonacci hashing: spreads {@code String.hashCode}'s low-entropy bits over the table. */
  private static final int SPREAD = 0x9E3779B9;

  /** Per slot: the key's hash in the high half, its id + 1 in the low half; 0 when empty. */
  private final long[] slots;
  private final String[] keys;
  private final int shift;
  private final int mask;
  private final int size;

  StringIds(Map<String, Integer> ids) {
    int bits = 1;
    while ((1 << bits) < 2 * ids.size()) {
      bits++;
    }
    slots = new long[1 << bits];
    keys = new String[1 << bits];
    shift = 32 - bits;
    mask = (1 << bits) - 1;
    size = ids.size();
    for (Map.Entry<String, Integer> e : ids.entrySet()) {
      int id = e.getValue();
      if (id < 0 || id == Integer.MAX_VALUE) {
        throw new IllegalArgumentException("ids must be 0 to 2^31 - 2, got " + id);
      }
      int hash = e.getKey().hashCode();
      int i = (hash * SPREAD) >>> shift;
      while (slots[i] != 0) {
        i = (i + 1) & mask;
      }
      slots[i] = ((long) hash << 32) | (id + 1L);
      keys[i] = e.getKey();
    }
  }

  /** The id of {@code key}, or -1 when the dictionary does not hold it. */
  int get(String key) {
    int hash = key.hashCode();
    for (int i = (hash * SPREAD) >>> shift; ; i = (i + 1) & mask) {
      long slot = slots[i];
      if (slot == 0) {
        return -1;
      }
      if ((int) (slot >>> 32) == hash) {
        String k = keys[i];
        if (k == key || k.equals(key)) {
          return (int) slot - 1;
        }
      }
    }
  }

  /** How many strings it holds; their ids are 0 to size - 1. */
  int size() {
    return size;
  }
}
