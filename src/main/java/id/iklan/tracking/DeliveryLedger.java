package id.iklan.tracking;

import java.time.LocalDate;
import java.time.zone.ZoneRules;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * What the reports read: served, impressions, clicks and revenue per publisher-time-zone day,
 * campaign, creative and section, in memory, updated as events happen (from any event loop) and
 * rebuilt from the event log on start.
 *
 * <p>Days are the outer map, so a report reads only the days it covers. A cell's four numbers
 * change together under the cell's lock, so a report never sees a serve without its revenue.
 */
public final class DeliveryLedger {
  /** One report cell: everything below the day. {@code section} is empty for pages without. */
  record Cell(String campaignId, String creativeId, String section) {
    // written out: the generated ones are method-handle chains the JIT does not inline, and a
    // cell is looked up for every served ad

    @Override
    public boolean equals(Object o) {
      return this == o || o instanceof Cell c && Objects.equals(campaignId, c.campaignId)
          && Objects.equals(creativeId, c.creativeId) && Objects.equals(section, c.section);
    }

    @Override
    public int hashCode() {
      return 31 * (31 * Objects.hashCode(campaignId) + Objects.hashCode(creativeId))
          + Objects.hashCode(section);
    }
  }

  /** A cell's totals, read consistently. */
  record Totals(long served, long impressions, long clicks, long revenueMicros) {}

  private final Days dayOf;
  private final ConcurrentSkipListMap<Long, ConcurrentHashMap<Cell, Counter>> days =
      new ConcurrentSkipListMap<>();

  /**
   * The day most events fall on, and its cells: a served ad would otherwise look its day up in
   * the skip list (boxing the key) once per filled slot. Days are never removed, so a remembered
   * day's map stays the one in {@link #days}; racing writers only remember different days.
   */
  private record DayCells(long epochDay, ConcurrentHashMap<Cell, Counter> cells) {}

  private volatile DayCells today = new DayCells(Long.MIN_VALUE, null);

  DeliveryLedger(ZoneRules zone) {
    this.dayOf = new Days(zone);
  }

  /** The publisher-time-zone day of an instant, as days since 1970-01-01. */
  long epochDay(long epochMillis) {
    return dayOf.of(epochMillis);
  }

  void served(long atMillis, String campaignId, String creativeId, String section, int count,
      long revenueMicrosEach) {
    counter(epochDay(atMillis), new Cell(campaignId, creativeId, section))
        .add(count, 0, 0, revenueMicrosEach * count);
  }

  void beacon(BeaconKind kind, long atMillis, String campaignId, String creativeId,
      String section) {
    Counter c = counter(epochDay(atMillis), new Cell(campaignId, creativeId, section));
    if (kind == BeaconKind.IMPRESSION) {
      c.add(0, 1, 0, 0);
    } else {
      c.add(0, 0, 1, 0);
    }
  }

  /** Adds the totals of a rebuilt state (on start, before anything else counts). */
  void load(LogState state) {
    for (Map.Entry<LogState.Key, long[]> e : state.counts.entrySet()) {
      LogState.Key k = e.getKey();
      long[] c = e.getValue();
      counter(k.epochDay(), new Cell(k.campaignId(), k.creativeId(), k.section()))
          .add(c[0], c[1], c[2], c[3]);
    }
  }

  /** Visits every cell of the days from {@code from} to {@code to}, both inclusive. */
  void forEach(LocalDate from, LocalDate to, Visitor visitor) {
    ConcurrentNavigableMap<Long, ConcurrentHashMap<Cell, Counter>> range =
        days.subMap(from.toEpochDay(), true, to.toEpochDay(), true);
    for (Map.Entry<Long, ConcurrentHashMap<Cell, Counter>> day : range.entrySet()) {
      for (Map.Entry<Cell, Counter> cell : day.getValue().entrySet()) {
        visitor.visit(day.getKey(), cell.getKey(), cell.getValue().totals());
      }
    }
  }

  @FunctionalInterface
  interface Visitor {
    void visit(long epochDay, Cell cell, Totals totals);
  }

  private Counter counter(long day, Cell cell) {
    DayCells recent = today;
    ConcurrentHashMap<Cell, Counter> cells;
    if (recent.epochDay() == day) {
      cells = recent.cells();
    } else {
      cells = days.computeIfAbsent(day, d -> new ConcurrentHashMap<>());
      today = new DayCells(day, cells);
    }
    Counter counter = cells.get(cell);
    return counter != null ? counter : cells.computeIfAbsent(cell, c -> new Counter());
  }

  private static final class Counter {
    private long served;
    private long impressions;
    private long clicks;
    private long revenueMicros;

    synchronized void add(long served, long impressions, long clicks, long revenueMicros) {
      this.served += served;
      this.impressions += impressions;
      this.clicks += clicks;
      this.revenueMicros += revenueMicros;
    }

    synchronized Totals totals() {
      return new Totals(served, impressions, clicks, revenueMicros);
    }
  }
}
