package id.iklan.tracking;

import id.iklan.delivery.DeliveryCounters;
import id.iklan.rules.Campaign;
import id.iklan.rules.FrequencyCap;
import id.iklan.selection.CompiledRules;
import id.iklan.selection.LiveRules;
import id.iklan.selection.PageDecision;
import id.iklan.selection.SlotDecision;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Tracking and reporting, wired together: served events from ad requests, impression and click
 * beacons, the report ledger, and the event log that makes them all durable.
 *
 * <p>{@link #open} replays the log (blocking; before the server serves) and rebuilds everything
 * that depends on past events: the report ledger, each campaign's served count (goals and even
 * pacing), each reader's recent serves of capped campaigns (frequency caps) and the replay guard
 * of unexpired beacons. From then on every event updates memory at once and reaches the disk
 * within one flush interval; {@link #close} writes the rest.
 */
public final class Tracking implements AutoCloseable {
  /**
   * @param flushInterval group-commit interval of the event log, at most one second
   * @param segmentBytes size at which an event log segment is sealed
   * @param compactAfterSegments compact when this many sealed segments wait
   * @param maxRemembered most beacons the replay guard holds
   * @param cachedRuleVersions rule versions whose click URLs are kept in memory
   */
  public record Settings(Duration flushInterval, long segmentBytes, int compactAfterSegments,
      long maxRemembered, int cachedRuleVersions) {
    public static final Settings DEFAULTS = new Settings(
        EventLog.Settings.DEFAULTS.flushInterval(), EventLog.Settings.DEFAULTS.segmentBytes(),
        EventLog.Settings.DEFAULTS.compactAfterSegments(), Beacons.DEFAULT_MAX_REMEMBERED, 8);

    EventLog.Settings log() {
      return new EventLog.Settings(flushInterval, segmentBytes, compactAfterSegments);
    }
  }

  /** What {@link #open} rebuilt from the log. */
  public record Replayed(long served, long impressions, long clicks, int campaigns,
      int readerCampaigns, int beacons, long millis) {
    @Override
    public String toString() {
      return served + " served, " + impressions + " impressions, " + clicks + " clicks of "
          + campaigns + " campaigns; cap history of " + readerCampaigns
          + " reader-campaign pairs; " + beacons + " beacons remembered until their tokens "
          + "expire; in " + millis + " ms";
    }
  }

  /** Null with shared counters. */
  private final EventLog log;
  /** Null with shared counters. */
  private final DeliveryLedger ledger;
  /** Null in the embedded default. */
  private final SharedTracking shared;
  private final Days days;
  private final Beacons beacons;
  private final ClickTargets clickTargets;
  private final Reports reports;
  private final Replayed replayed;

  private Tracking(EventLog log, DeliveryLedger ledger, SharedTracking shared, Days days,
      Beacons beacons, ClickTargets clickTargets, Reports reports, Replayed replayed) {
    this.log = log;
    this.ledger = ledger;
    this.shared = shared;
    this.days = days;
    this.beacons = beacons;
    this.clickTargets = clickTargets;
    this.reports = reports;
    this.replayed = replayed;
  }

  /**
   * Tracking whose counts are shared by several servers: served ads and beacons go to
   * {@code shared} (batched to Redis), reports are read from it, and nothing is written to the
   * data directory. The delivery counters are shared separately (they read Redis themselves),
   * so there is nothing to replay. The local replay guard only spares Redis the replays that
   * come back to this server.
   */
  public static Tracking shared(ZoneId zone, Clock clock, SharedTracking shared, LiveRules live,
      ClickTargets.StoredVersions stored, Settings settings, Consumer<String> warnings) {
    Days days = new Days(zone.getRules());
    Beacons beacons = new Beacons(clock,
        (kind, now, token) -> shared.beacon(kind, days.of(now), token),
        settings.maxRemembered(), warnings);
    ClickTargets targets = new ClickTargets(live::current, stored, settings.cachedRuleVersions());
    return new Tracking(null, null, shared, days, beacons, targets,
        new Reports(shared::forEach, clock, zone), new Replayed(0, 0, 0, 0, 0, 0, 0));
  }

  /** Opens with the default settings; see {@link #open(Path, ZoneId, Clock, DeliveryCounters,
   * LiveRules, ClickTargets.StoredVersions, Settings, Consumer)}. */
  public static Tracking open(Path dataDir, ZoneId zone, Clock clock, DeliveryCounters counters,
      LiveRules live, ClickTargets.StoredVersions stored, Consumer<String> warnings)
      throws IOException {
    return open(dataDir, zone, clock, counters, live, stored, Settings.DEFAULTS, warnings);
  }

  /**
   * Opens the event log in {@code <dataDir>/events}, replays it into a new ledger and into
   * {@code counters}, and starts recording. Blocking.
   *
   * @param counters the delivery counters selection reads; they get the served totals and the
   *     cap history back
   * @param live the rules being served: the live version's click URLs, and the caps that decide
   *     which reader history compaction keeps
   * @param stored older rule versions, for clicks on ads served by them
   */
  public static Tracking open(Path dataDir, ZoneId zone, Clock clock, DeliveryCounters counters,
      LiveRules live, ClickTargets.StoredVersions stored, Settings settings,
      Consumer<String> warnings) throws IOException {
    long started = System.nanoTime();
    EventLog log = EventLog.open(dataDir.resolve("events"), zone.getRules(), clock,
        settings.log(), () -> caps(live.current()), warnings);
    try {
      DeliveryLedger ledger = new DeliveryLedger(zone.getRules());
      Beacons beacons = new Beacons(clock, ledger, log, settings.maxRemembered(), warnings);
      LogState state = log.takeRecovered();
      ledger.load(state);
      long[] sums = new long[3];
      Map<String, Long> served = new HashMap<>();
      state.counts.forEach((key, c) -> {
        served.merge(key.campaignId(), c[0], Long::sum);
        sums[0] += c[0];
        sums[1] += c[1];
        sums[2] += c[2];
      });
      served.forEach((campaign, total) -> {
        for (long left = total; left > 0; left -= Integer.MAX_VALUE) {
          counters.served(campaign).add((int) Math.min(left, Integer.MAX_VALUE));
        }
      });
      state.serves.forEach((key, times) -> {
        for (long at : LogState.times(times)) {
          counters.recordUserServes(key.userId(), key.campaignId(), at, 1);
        }
      });
      state.seen.forEach(beacons::remember);
      Replayed replayed = new Replayed(sums[0], sums[1], sums[2], served.size(),
          state.serves.size(), state.seen.size(), (System.nanoTime() - started) / 1_000_000);
      ClickTargets targets = new ClickTargets(live::current, stored,
          settings.cachedRuleVersions());
      return new Tracking(log, ledger, null, new Days(zone.getRules()), beacons, targets,
          new Reports(ledger, clock, zone), replayed);
    } catch (RuntimeException e) {
      log.close();
      throw e;
    }
  }

  /** The caps of the rules being served, by campaign id. */
  private static Function<String, FrequencyCap> caps(CompiledRules rules) {
    Map<String, FrequencyCap> caps = new HashMap<>();
    for (Campaign c : rules.ruleSet().campaigns()) {
      if (c.frequencyCap() != null) {
        caps.put(c.id(), c.frequencyCap());
      }
    }
    return caps::get;
  }

  /**
   * Records what an ad request served (after {@link id.iklan.selection.Selector#serve}): one
   * served event per filled slot, with its campaign's cpm at this moment, and the reader for
   * campaigns with a frequency cap. Never blocks.
   *
   * @param section the page's section, or null
   * @param userId the reader, or null
   */
  public void served(long atMillis, String section, String userId, PageDecision decision) {
    String pageSection = section == null ? "" : section;
    List<SlotDecision> slots = decision.slots();
    for (int i = 0; i < slots.size(); i++) { // no iterator per request
      SlotDecision slot = slots.get(i);
      if (!slot.filled()) {
        continue;
      }
      Campaign campaign = slot.campaign();
      String creative = slot.creative().id();
      long revenue = revenueMicros(campaign.cpm());
      if (shared != null) {
        shared.served(days.of(atMillis), campaign.id(), creative, pageSection, revenue);
        continue;
      }
      ledger.served(atMillis, campaign.id(), creative, pageSection, 1, revenue);
      if (campaign.frequencyCap() != null && userId != null) {
        log.append(new LogRecord.Served(atMillis, campaign.id(), creative, pageSection, userId,
            revenue, 1));
      } else {
        log.appendServe(atMillis, campaign.id(), creative, pageSection, revenue);
      }
    }
  }

  /** What one serve of a campaign at {@code cpm} earns, in millionths of the currency. */
  static long revenueMicros(double cpm) {
    return Math.round(cpm * 1000.0);
  }

  public Beacons beacons() {
    return beacons;
  }

  public ClickTargets clickTargets() {
    return clickTargets;
  }

  public Reports reports() {
    return reports;
  }

  /** What the start rebuilt from the log. */
  public Replayed replayed() {
    return replayed;
  }

  /** Writes what is queued and waits until it is on disk (tests, tools). */
  public void flush() throws IOException {
    if (log != null) {
      log.flush();
    }
  }

  /** Writes everything still queued and stops. Call after the HTTP server has stopped. */
  @Override
  public void close() {
    if (log != null) {
      log.close();
    }
  }
}
