package id.iklan.selection;

import id.iklan.delivery.ServedCounter;
import id.iklan.rules.Campaign;
import id.iklan.rules.Creative;
import id.iklan.rules.Pacing;
import id.iklan.rules.Status;

/**
 * A campaign with everything the hot path needs derived once, at compile time: dictionary ids
 * instead of strings, bit masks for devices and schedule, epoch milliseconds, creative size keys,
 * and the handle of its served counter.
 */
final class CompiledCampaign {
  /** The size key of a native creative; no display size has it. */
  static final int NATIVE = -1;
  static final int ANY_DEVICE = 0;

  final Campaign source;
  final int index;
  final boolean active;
  final long startMillis;
  final long endMillis;
  final int[] sectionsInclude;
  final int[] sectionsExclude;
  final int[] keywordsAny;
  final int[] keywordsAll;
  final int[] keywordsNone;
  final int[] geoInclude;
  final int[] geoExclude;
  final int deviceMask;
  final int dayMask;
  final int hourMask;
  final long goal;
  final boolean evenPacing;
  final int capCount;
  final long capWindowMillis;
  final boolean roadblock;
  final int advertiser;
  final int category;
  final double weight;
  final Creative[] creatives;
  final int[] creativeSizeKeys;
  final double[] creativeWeights;
  final ServedCounter served;
  /** Position in rank order (tier, then cpm descending, then rule order). */
  int rank;
  /** Rank of the first campaign with the same tier and cpm: campaigns of one group rotate. */
  int group;

  CompiledCampaign(Campaign source, int index, int[] sectionsInclude, int[] sectionsExclude,
      int[] keywordsAny, int[] keywordsAll, int[] keywordsNone, int[] geoInclude,
      int[] geoExclude, int advertiser, int category, ServedCounter served) {
    this.source = source;
    this.index = index;
    this.active = source.status() == Status.ACTIVE;
    this.startMillis = source.start().toEpochMilli();
    this.endMillis = source.end() == null ? Long.MAX_VALUE : source.end().toEpochMilli();
    this.sectionsInclude = sectionsInclude;
    this.sectionsExclude = sectionsExclude;
    this.keywordsAny = keywordsAny;
    this.keywordsAll = keywordsAll;
    this.keywordsNone = keywordsNone;
    this.geoInclude = geoInclude;
    this.geoExclude = geoExclude;
    int devices = ANY_DEVICE;
    for (var device : source.targeting().devices()) {
      devices |= 1 << device.ordinal();
    }
    this.deviceMask = devices;
    var schedule = source.targeting().schedule();
    this.dayMask = schedule == null ? 0xFF : schedule.dayMask();
    this.hourMask = schedule == null ? (1 << 24) - 1 : schedule.hourMask();
    this.goal = source.goal() == null ? 0 : source.goal().impressions();
    this.evenPacing = source.goal() != null && source.goal().pacing() == Pacing.EVEN;
    this.capCount = source.frequencyCap() == null ? 0 : source.frequencyCap().count();
    this.capWindowMillis =
        source.frequencyCap() == null ? 0 : source.frequencyCap().window().toMillis();
    this.roadblock = source.roadblock();
    this.advertiser = advertiser;
    this.category = category;
    this.weight = source.weight();
    this.creatives = source.creatives().toArray(Creative[]::new);
    this.creativeSizeKeys = new int[creatives.length];
    this.creativeWeights = new double[creatives.length];
    for (int i = 0; i < creatives.length; i++) {
      Creative creative = creatives[i];
      creativeSizeKeys[i] = creative.format().isDisplay() ? creative.size().key() : NATIVE;
      creativeWeights[i] = creative.weight();
    }
    this.served = served;
  }

  /** Whether creative {@code i} fits a slot taking {@code sizeKeys} (and native, if asked). */
  boolean creativeFits(int i, int[] sizeKeys, int sizeCount, boolean acceptsNative) {
    int key = creativeSizeKeys[i];
    if (key == NATIVE) {
      return acceptsNative;
    }
    for (int s = 0; s < sizeCount; s++) {
      if (sizeKeys[s] == key) {
        return true;
      }
    }
    return false;
  }

  boolean fits(int[] sizeKeys, int sizeCount, boolean acceptsNative) {
    for (int i = 0; i < creatives.length; i++) {
      if (creativeFits(i, sizeKeys, sizeCount, acceptsNative)) {
        return true;
      }
    }
    return false;
  }
}
