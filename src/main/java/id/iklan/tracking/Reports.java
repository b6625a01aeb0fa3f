package id.iklan.tracking;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Delivery reports (SPEC §6): served, impressions, clicks, click-through rate and revenue over
 * a range of publisher-time-zone days, one row per campaign, day or section. Served counts fall
 * on the day of the decision, impressions and clicks on the day they happened, all under the
 * serving page's section. Revenue is each serve's campaign cpm at serving time / 1000, so a later
 * cpm change does not rewrite past revenue.
 */
public final class Reports {
  /** What a report's rows are. */
  public enum GroupBy {
    CAMPAIGN,
    DAY,
    SECTION;

    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** The group of {@code text} ({@code campaign}, {@code day}, {@code section}), or null. */
    public static GroupBy parse(String text) {
      for (GroupBy g : values()) {
        if (g.wireName().equalsIgnoreCase(text.trim())) {
          return g;
        }
      }
      return null;
    }
  }

  /**
   * One row. {@code group} is the campaign id, the day ({@code YYYY-MM-DD}) or the section (empty
   * for pages without one). {@code ctr} is clicks / impressions, 0 without impressions;
   * {@code revenue} is in the campaigns' currency.
   */
  public record Row(String group, long served, long impressions, long clicks, double ctr,
      BigDecimal revenue) {
    public Row {
      requireNonNull(group, "group");
      requireNonNull(revenue, "revenue");
    }
  }

  /** Receives report cells: totals of one day, campaign, creative and section. */
  @FunctionalInterface
  public interface CellVisitor {
    void visit(long epochDay, String campaignId, String creativeId, String section, long served,
        long impressions, long clicks, long revenueMicros);
  }

  /** Where the cells come from: this server's ledger, or the counters shared on Redis. */
  @FunctionalInterface
  interface Source {
    void forEach(LocalDate from, LocalDate to, CellVisitor visitor) throws IOException;
  }

  private final Source source;
  private final Clock clock;
  private final ZoneId zone;

  Reports(DeliveryLedger ledger, Clock clock, ZoneId zone) {
    this((from, to, visitor) -> ledger.forEach(from, to, (day, cell, t) -> visitor.visit(day,
        cell.campaignId(), cell.creativeId(), cell.section(), t.served(), t.impressions(),
        t.clicks(), t.revenueMicros())), clock, zone);
  }

  Reports(Source source, Clock clock, ZoneId zone) {
    this.source = source;
    this.clock = clock;
    this.zone = zone;
  }

  /** Today in the publisher time zone: the default of {@code from} and {@code to}. */
  public LocalDate today() {
    return LocalDate.ofInstant(clock.instant(), zone);
  }

  /**
   * The rows of the days {@code from} to {@code to}, both inclusive, in group order (campaign
   * id, day, or section); only groups with something to report.
   */
  public List<Row> rows(LocalDate from, LocalDate to, GroupBy by) throws IOException {
    if (from.isAfter(to)) {
      throw new IllegalArgumentException("from is after to");
    }
    Map<String, long[]> groups = new TreeMap<>();
    source.forEach(from, to, (day, campaign, creative, section, served, impressions, clicks,
        revenue) -> {
      String group = switch (by) {
        case CAMPAIGN -> campaign;
        case DAY -> LocalDate.ofEpochDay(day).toString();
        case SECTION -> section;
      };
      long[] sum = groups.computeIfAbsent(group, g -> new long[4]);
      sum[0] += served;
      sum[1] += impressions;
      sum[2] += clicks;
      sum[3] += revenue;
    });
    List<Row> rows = new ArrayList<>(groups.size());
    for (Map.Entry<String, long[]> e : groups.entrySet()) {
      long[] s = e.getValue();
      double ctr = s[1] == 0 ? 0.0 : (double) s[2] / s[1];
      rows.add(new Row(e.getKey(), s[0], s[1], s[2], ctr, revenue(s[3])));
    }
    rows.sort(Comparator.comparing(Row::group));
    return rows;
  }

  /** Micros of currency as a plain decimal: 35000000 is 35, 1500000 is 1.5. */
  static BigDecimal revenue(long micros) {
    BigDecimal value = BigDecimal.valueOf(micros, 6).stripTrailingZeros();
    return value.scale() < 0 ? value.setScale(0) : value;
  }
}
