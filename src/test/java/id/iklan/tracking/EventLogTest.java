package id.iklan.tracking;

import static org.assertj.core.api.Assertions.assertThat;

import id.iklan.rules.FrequencyCap;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class EventLogTest {
  private static final ZoneId JAKARTA = ZoneId.of("Asia/Jakarta");
  private static final Instant NOW = Instant.parse("2026-11-18T03:00:00Z");
  private static final EventLog.Settings FAST =
      new EventLog.Settings(Duration.ofMillis(100), 64L << 20, 16);

  @TempDir Path dir;
  private final TestClock clock = new TestClock(NOW);
  private final List<String> warnings = new CopyOnWriteArrayList<>();
  private Function<String, FrequencyCap> caps = id -> null;

  @Test
  void close_thenOpen_replaysEveryEvent() throws IOException {
    try (EventLog log = open(FAST)) {
      for (int i = 0; i < 1_000; i++) {
        log.append(served("c-a", "", 1));
      }
      log.append(beacon(BeaconKind.IMPRESSION, "r1", 3600));
      log.append(beacon(BeaconKind.CLICK, "r1", 3600));
    }

    LogState state = reopen();

    assertThat(totals(state)).containsExactly(1_000L, 1L, 1L, 1_000L * 35_000_000L);
    assertThat(state.seen).hasSize(2);
    assertThat(warnings).isEmpty();
  }

  @Test
  void append_withoutFlushOrClose_isOnDiskWithinOneInterval() throws Exception {
    EventLog log = open(FAST);
    try {
      log.append(served("c-a", "", 1));
      log.append(served("c-a", "", 1));
      Thread.sleep(FAST.flushInterval().toMillis() * 5);

      // What another process would find on the disk now, as after kill -9 of this one.
      Path copy = copyOf(dir.resolve("events"));
      try (EventLog other = EventLog.open(copy, JAKARTA.getRules(), clock, FAST, () -> caps,
          warnings::add)) {
        assertThat(totals(other.takeRecovered())[0]).isEqualTo(2);
      }
    } finally {
      log.close();
    }
  }

  @Test
  void open_segmentWithTornTail_replaysTheWholeRecordsAndWarns() throws IOException {
    try (EventLog log = open(FAST)) {
      log.append(served("c-a", "", 1));
      log.append(served("c-a", "", 1));
    }
    Path segment = files("segment-").get(0);
    byte[] frame = RecordCodec.encode(List.of(served("c-a", "", 1)));
    Files.write(segment, java.util.Arrays.copyOf(frame, frame.length / 2),
        StandardOpenOption.APPEND);

    try (EventLog log = open(FAST)) {
      assertThat(totals(log.takeRecovered())[0]).isEqualTo(2);
      log.append(served("c-a", "", 1));
    }
    LogState state = reopen();

    assertThat(totals(state)[0]).isEqualTo(3);
    assertThat(warnings).anySatisfy(w -> assertThat(w).contains("torn"));
  }

  @Test
  void compaction_manySegments_foldsIntoOneSnapshotAndKeepsEveryCount() throws Exception {
    EventLog.Settings small = new EventLog.Settings(Duration.ofMillis(100), 2_048, 2);
    try (EventLog log = open(small)) {
      for (int batch = 0; batch < 40; batch++) {
        for (int i = 0; i < 20; i++) {
          log.append(served(batch % 2 == 0 ? "c-a" : "c-b", "olahraga", 1));
        }
        log.append(beacon(BeaconKind.IMPRESSION, "r" + batch, 3600));
        log.flush();
      }
      log.awaitCompaction();
      assertThat(log.compactions()).isPositive();
    }
    assertThat(files("snapshot-")).hasSize(1);
    // about 27 segments are written; compaction runs in the background, so how many it has folded
    // by now varies with the machine's load, but it must have removed most of them
    assertThat(files("segment-").size()).isLessThan(20);

    LogState state = reopen();

    assertThat(totals(state)).containsExactly(800L, 40L, 0L, 800L * 35_000_000L);
    assertThat(state.seen).hasSize(40);
    assertThat(warnings).isEmpty();
  }

  @Test
  void compaction_forgetsExpiredBeaconsAndServesNoCapWindowReaches() throws Exception {
    caps = Map.of("c-capped", new FrequencyCap(2, Duration.ofHours(1)))::get;
    EventLog.Settings small = new EventLog.Settings(Duration.ofMillis(100), 256, 1);
    try (EventLog log = open(small)) {
      log.append(beacon(BeaconKind.IMPRESSION, "short", 60));
      log.append(beacon(BeaconKind.IMPRESSION, "long", 86_400));
      for (int i = 0; i < 5; i++) {
        log.append(served("c-capped", "u1", 1));
      }
      log.flush();
      clock.advance(Duration.ofMinutes(30));
      log.append(served("c-capped", "u2", 1));
      log.flush();
      clock.advance(Duration.ofMinutes(45));
      for (int i = 0; i < 10; i++) {
        log.append(served("c-other", "", 1));
      }
      log.flush();
      log.awaitCompaction();
      assertThat(log.compactions()).isPositive();
    }

    LogState state = reopen();

    assertThat(state.seen).containsOnlyKeys(Fingerprint.of(BeaconKind.IMPRESSION, "long", "s"));
    // u1's serves are 75 minutes old, beyond the 1 hour window; u2's 45 minutes are inside.
    assertThat(state.serves).containsOnlyKeys(new LogState.ReaderCampaign("u2", "c-capped"));
    assertThat(totals(state)[0]).isEqualTo(16);
  }

  @Test
  void open_snapshotWithoutEndRecord_isNotUsed() throws Exception {
    try (EventLog log = open(FAST)) {
      log.append(served("c-a", "", 1));
    }
    Path bogus = dir.resolve("events").resolve(EventLog.snapshotName(99));
    Files.write(bogus, RecordCodec.encode(List.of(
        new LogRecord.SnapshotStart(EventLog.SNAPSHOT_FORMAT, 0, 99),
        new LogRecord.Counts(1, "c-a", "x", "", 1_000, 0, 0, 0))));

    LogState state = reopen();

    assertThat(totals(state)[0]).isEqualTo(1);
    assertThat(warnings).anySatisfy(w -> assertThat(w).contains("unusable"));
  }

  @Test
  void open_leftoverTemporarySnapshot_isRemoved() throws Exception {
    Files.createDirectories(dir.resolve("events"));
    Path temp = dir.resolve("events").resolve(EventLog.snapshotName(3) + ".tmp");
    Files.write(temp, new byte[] {1, 2, 3});

    reopen();

    assertThat(temp).doesNotExist();
  }

  @Test
  void open_whileAnotherLogHoldsTheDirectory_isRefused() throws IOException {
    try (EventLog first = open(FAST)) {
      first.append(served("c-a", "", 1));
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> open(FAST))
          .isInstanceOf(IOException.class).hasMessageContaining("another Iklan server");
    }
    reopen(); // released by close
  }

  @Test
  void append_uncappedServesFromManyThreadsWhileFlushing_replayEveryOne() throws Exception {
    // more threads than stripes, so some share one, and the writer takes sums meanwhile
    int threads = 9;
    int perThread = 20_000;
    try (EventLog log = open(FAST)) {
      java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
      List<Thread> running = new java.util.ArrayList<>();
      for (int t = 0; t < threads; t++) {
        Thread thread = new Thread(() -> {
          try {
            go.await();
          } catch (InterruptedException e) {
            return;
          }
          for (int i = 0; i < perThread; i++) {
            log.append(served(i % 4 == 0 ? "c-a" : "c-b", "", 1));
          }
        });
        thread.start();
        running.add(thread);
      }
      go.countDown();
      int flushes = 0;
      while (running.stream().anyMatch(Thread::isAlive) || flushes == 0) {
        log.flush();
        flushes++;
      }
      for (Thread thread : running) {
        thread.join();
      }
    }

    LogState state = reopen();
    long day = java.time.LocalDate.of(2026, 11, 18).toEpochDay();
    assertThat(totals(state)[0]).isEqualTo((long) threads * perThread);
    assertThat(state.counts.get(new LogState.Key(day, "c-a", "c-a-cr", "olahraga"))[0])
        .isEqualTo((long) threads * perThread / 4);
    assertThat(warnings).isEmpty();
  }

  @Test
  void flush_aCellSummingPastTheLargestRecordCount_isWrittenInFull() throws IOException {
    try (EventLog log = open(FAST)) {
      log.append(served("c-a", "", Integer.MAX_VALUE));
      log.append(served("c-a", "", Integer.MAX_VALUE));
      log.append(served("c-a", "", 3));
    }

    assertThat(totals(reopen())[0]).isEqualTo(2L * Integer.MAX_VALUE + 3);
  }

  @Test
  void flush_uncappedServes_areSummedPerCellAndReplayInFull() throws IOException {
    caps = Map.of("c-capped", new FrequencyCap(50, Duration.ofHours(1)))::get;
    try (EventLog log = open(FAST)) {
      for (int i = 0; i < 3_000; i++) {
        log.append(served("c-a", "", 1));
        log.append(served("c-b", "", 2));
      }
      // one cell at a second price: summed apart, or its revenue would be booked at the first
      for (int i = 0; i < 100; i++) {
        log.append(new LogRecord.Served(clock.millis(), "c-a", "c-a-cr", "olahraga", "",
            70_000_000L, 1));
      }
      for (int i = 0; i < 10; i++) {
        clock.advance(Duration.ofSeconds(1)); // capped serves keep their own times
        log.append(served("c-capped", "pembaca-1", 1));
      }
      log.flush();
    }

    long segmentBytes = 0;
    for (Path segment : files("segment-")) {
      segmentBytes += Files.size(segment);
    }
    // 6,100 serves of three cells as three records, plus ten capped ones: under 100 bytes each
    assertThat(segmentBytes).isLessThan(13 * 100);
    LogState state = reopen();
    assertThat(totals(state)[0]).isEqualTo(3_000 + 6_000 + 100 + 10);
    assertThat(totals(state)[3])
        .isEqualTo((3_000L + 6_000 + 10) * 35_000_000L + 100 * 70_000_000L);
    // kept as [n, t1..tn, spare]: ten serve times, one record each
    long[] times = state.serves.get(new LogState.ReaderCampaign("pembaca-1", "c-capped"));
    assertThat(times[0]).isEqualTo(10);
    assertThat(java.util.Arrays.stream(times, 1, 11).distinct().count()).isEqualTo(10);
  }

  @Test
  void flush_uncappedServesAcrossMidnight_stayOnTheirOwnDays() throws IOException {
    clock.set(Instant.parse("2026-11-18T16:59:59Z")); // 23:59:59 in Jakarta
    try (EventLog log = open(FAST)) {
      log.append(served("c-a", "", 1));
      log.append(served("c-a", "", 1));
      clock.set(Instant.parse("2026-11-18T17:00:01Z")); // 00:00:01 the next day
      log.append(served("c-a", "", 1));
      log.flush();
    }

    LogState state = reopen();
    long day = java.time.LocalDate.of(2026, 11, 18).toEpochDay();
    assertThat(state.counts.get(new LogState.Key(day, "c-a", "c-a-cr", "olahraga"))[0])
        .isEqualTo(2);
    assertThat(state.counts.get(new LogState.Key(day + 1, "c-a", "c-a-cr", "olahraga"))[0])
        .isEqualTo(1);
  }

  // ---- helpers ----

  private EventLog open(EventLog.Settings settings) throws IOException {
    return EventLog.open(dir.resolve("events"), JAKARTA.getRules(), clock, settings,
        () -> caps, warnings::add);
  }

  private LogState reopen() throws IOException {
    try (EventLog log = open(FAST)) {
      return log.takeRecovered();
    }
  }

  private LogRecord.Served served(String campaign, String user, int count) {
    return new LogRecord.Served(clock.millis(), campaign, campaign + "-cr", "olahraga", user,
        35_000_000L, count);
  }

  private LogRecord.Beacon beacon(BeaconKind kind, String requestId, long ttlSeconds) {
    long now = clock.instant().getEpochSecond();
    return new LogRecord.Beacon(kind, clock.millis(), "c-a", "c-a-cr", "olahraga", requestId,
        "s", now + ttlSeconds);
  }

  /** served, impressions, clicks, revenue micros over every cell. */
  static long[] totals(LogState state) {
    long[] sum = new long[4];
    state.counts.values().forEach(c -> {
      for (int i = 0; i < 4; i++) {
        sum[i] += c[i];
      }
    });
    return sum;
  }

  private List<Path> files(String prefix) throws IOException {
    try (Stream<Path> list = Files.list(dir.resolve("events"))) {
      return list.filter(p -> p.getFileName().toString().startsWith(prefix)).sorted().toList();
    }
  }

  private Path copyOf(Path source) throws IOException {
    Path target = Files.createDirectories(dir.resolve("copy-" + System.nanoTime()));
    try (Stream<Path> list = Files.list(source)) {
      for (Path p : list.toList()) {
        Files.copy(p, target.resolve(p.getFileName()));
      }
    }
    return target;
  }
}
