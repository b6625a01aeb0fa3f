package id.iklan.tracking;

import id.iklan.rules.FrequencyCap;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.zone.ZoneRules;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The durable record of every counted event: an append-only log in {@code <data-dir>/events/},
 * written with group commit and compacted into snapshots.
 *
 * <h2>Files</h2>
 * <ul>
 *   <li>{@code segment-NNNNNNNNNNNN.log}: events in the order they were appended, framed by
 *       {@link RecordCodec} (length and CRC-32C per record). Each start opens a new segment; a
 *       segment is never appended to after a restart, so a torn tail can only be the end of a
 *       segment.
 *   <li>{@code snapshot-NNNNNNNNNNNN.dat}: the {@link LogState} of every segment numbered below
 *       N, between a start record (naming N) and an end record (counting the records between).
 *       A snapshot without its end record is incomplete and never used.
 * </ul>
 *
 * <h2>Durability</h2>
 * {@link #append} only puts the event in memory (on a queue, or into the sum of its report cell
 * for a serve without a reader), so the event loop never waits for a disk. One background
 * thread takes everything every {@code flushInterval} (default 500 ms): it encodes it, writes it
 * with one call, and forces it to disk (group commit).
 * An event is therefore on disk at most one interval plus one write after it happened: a
 * {@code kill -9} or a power cut loses at most that. {@link #close} drains and forces
 * whatever is left, so a clean stop loses nothing. A failed write is truncated away and retried
 * at the next interval with the same bytes, so an I/O error delays events but does not lose or
 * duplicate them.
 *
 * <h2>Compaction</h2>
 * When the current segment passes {@code segmentBytes} the writer seals it and opens the next.
 * Once the sealed segments outweigh the snapshot (or there are many of them), a second
 * background thread folds the snapshot and the sealed segments into a new snapshot, forgetting
 * expired beacons and serve times no cap window reaches; it writes it to a temporary file,
 * forces it, renames it into place and forces the directory, and only then deletes the files it
 * replaces. A crash at any point leaves either the old snapshot with all its segments or the new
 * one with the segments after it; leftovers are cleaned up on the next start. The writer never
 * waits for a compaction.
 *
 * <h2>Replay</h2>
 * {@link #open} reads the newest complete snapshot and then every segment from its number on,
 * stopping inside a segment at the first torn or damaged record (reported as a warning).
 */
final class EventLog implements AutoCloseable {
  static final int SNAPSHOT_FORMAT = 1;
  private static final Pattern SEGMENT = Pattern.compile("segment-(\\d{12})\\.log");
  private static final Pattern SNAPSHOT = Pattern.compile("snapshot-(\\d{12})\\.dat");

  /**
   * @param flushInterval how often the events kept in memory are written and forced to disk
   * @param segmentBytes size at which a segment is sealed and the next one begun
   * @param compactAfterSegments compact when this many sealed segments wait, whatever their size
   */
  record Settings(Duration flushInterval, long segmentBytes, int compactAfterSegments) {
    static final Settings DEFAULTS = new Settings(Duration.ofMillis(500), 64L << 20, 16);

    Settings {
      if (flushInterval.isNegative() || flushInterval.isZero()
          || flushInterval.compareTo(Duration.ofSeconds(1)) > 0) {
        throw new IllegalArgumentException("flushInterval must be positive and at most 1 s");
      }
      if (segmentBytes < 1 || compactAfterSegments < 1) {
        throw new IllegalArgumentException("segmentBytes and compactAfterSegments must be >= 1");
      }
    }
  }

  private final Path dir;
  private final ZoneRules zone;
  private final Clock clock;
  private final Settings settings;
  private final Supplier<Function<String, FrequencyCap>> caps;
  private final Consumer<String> warnings;
  private final ConcurrentLinkedQueue<LogRecord> queue = new ConcurrentLinkedQueue<>();
  /** Serves without a reader, summed as they come; striped by thread. See {@link #append}. */
  private final ServedSums[] servedSums = new ServedSums[SERVED_STRIPES];
  private final Days days;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final AtomicLong lostAfterClose = new AtomicLong();
  private final ScheduledExecutorService writer;
  private final ExecutorService compactor;

  // Owned by the writer thread (and by close() once the writer has stopped).
  private final RecordCodec.Writer encoder = new RecordCodec.Writer();
  /** The stripes' sums merged between taking and encoding them; a field to reuse its table. */
  private final HashMap<ServedCell, ServedSum> uncappedServes = new HashMap<>();
  private FileChannel channel;
  private long segment;
  private long segmentSize;
  private long lastWriteWarning;

  // Shared by the writer and the compactor; guarded by this.
  private long snapshotNumber;
  private long snapshotBytes;
  private final TreeMap<Long, Long> sealed = new TreeMap<>();
  private boolean compacting;
  private long compactions;

  private LogState recovered;
  private FileChannel lockChannel;

  private EventLog(Path dir, ZoneRules zone, Clock clock, Settings settings,
      Supplier<Function<String, FrequencyCap>> caps, Consumer<String> warnings) {
    this.dir = dir;
    this.zone = zone;
    this.days = new Days(zone);
    for (int i = 0; i < servedSums.length; i++) {
      servedSums[i] = new ServedSums();
    }
    this.clock = clock;
    this.settings = settings;
    this.caps = caps;
    this.warnings = warnings;
    this.writer = Executors.newSingleThreadScheduledExecutor(daemon("iklan-event-log"));
    this.compactor = Executors.newSingleThreadExecutor(daemon("iklan-event-compaction"));
  }

  /**
   * Opens the log in {@code dir}, replays it (blocking: call before serving), and starts the
   * background writer on a new segment.
   *
   * @param caps the current frequency cap of a campaign id (or null), asked at each compaction
   */
  static EventLog open(Path dir, ZoneRules zone, Clock clock, Settings settings,
      Supplier<Function<String, FrequencyCap>> caps, Consumer<String> warnings)
      throws IOException {
    Files.createDirectories(dir);
    EventLog log = new EventLog(dir, zone, clock, settings, caps, warnings);
    try {
      log.lock();
      log.recover();
      log.startSegment(log.segment);
      log.writer.scheduleWithFixedDelay(log::flushQuietly, settings.flushInterval().toNanos(),
          settings.flushInterval().toNanos(), TimeUnit.NANOSECONDS);
      log.writer.execute(log::maybeCompact);
      return log;
    } catch (IOException | RuntimeException e) {
      log.writer.shutdownNow();
      log.compactor.shutdownNow();
      if (log.channel != null) {
        log.channel.close();
      }
      if (log.lockChannel != null) {
        log.lockChannel.close();
      }
      throw e;
    }
  }

  /**
   * The state replayed at open, pruned at the time of opening; handed out once (the log keeps
   * no reference to it).
   */
  LogState takeRecovered() {
    LogState state = recovered;
    recovered = null;
    return state;
  }

  /**
   * Queues an event for the next group commit. Never blocks on the disk.
   *
   * <p>A serve without a reader is not queued but added at once to its report cell's sum
   * ({@link #flushOnce} writes one record per cell and price). Queued, every ad served waited
   * for the writer as two objects, up to a flush interval: at ten thousand pages a second that
   * is tens of thousands of objects alive at any moment, which every young collection copied,
   * and one queue tail the event loops contended for. A sum is a few objects per cell. The
   * stripe is the thread's id modulo 8: event loops are started one after another, so up to
   * eight of them usually take a lock each; sharing one costs time, never a count.
   */
  void append(LogRecord record) {
    if (closed.get()) {
      if (lostAfterClose.getAndIncrement() == 0) {
        warnings.accept("an event arrived after the event log was closed and was not recorded");
      }
      return;
    }
    if (record instanceof LogRecord.Served s && s.userId().isEmpty()) {
      addServes(s.atMillis(), s.campaignId(), s.creativeId(), s.section(), s.revenueMicros(),
          s.count());
      return;
    }
    queue.add(record);
  }

  /** {@link #append} of one serve without a reader, without a record to hold it. */
  void appendServe(long atMillis, String campaignId, String creativeId, String section,
      long revenueMicros) {
    if (closed.get()) {
      append(new LogRecord.Served(atMillis, campaignId, creativeId, section, "", revenueMicros,
          1)); // counted as lost there
      return;
    }
    addServes(atMillis, campaignId, creativeId, section, revenueMicros, 1);
  }

  private void addServes(long atMillis, String campaignId, String creativeId, String section,
      long revenueMicros, long count) {
    ServedCell cell = new ServedCell(days.of(atMillis), campaignId, creativeId, section,
        revenueMicros);
    ServedSums stripe = servedSums[(int) Thread.currentThread().getId() & (SERVED_STRIPES - 1)];
    synchronized (stripe) {
      ServedSum sum = stripe.cells.get(cell);
      if (sum == null) {
        stripe.cells.put(cell, new ServedSum(atMillis, count));
      } else {
        sum.count += count;
      }
    }
  }

  /** Writes and forces everything queued so far; returns when it is on disk. For tests. */
  void flush() throws IOException {
    Future<?> done = writer.submit(() -> {
      flushOnce();
      return null;
    });
    try {
      done.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while flushing the event log");
    } catch (ExecutionException e) {
      if (e.getCause() instanceof IOException io) {
        throw io;
      }
      throw new IllegalStateException(e.getCause());
    }
  }

  private void encode(LogRecord r) {
    try {
      encoder.add(r);
    } catch (IOException | RuntimeException e) {
      warnings.accept("dropped an event that cannot be encoded: " + e.getMessage());
    }
  }

  /** The report cell and price of a serve: what replay adds a serve's count to. */
  private record ServedCell(long epochDay, String campaignId, String creativeId, String section,
      long revenueMicros) {
    // written out, as DeliveryLedger.Cell's: one look-up per served ad

    @Override
    public boolean equals(Object o) {
      return this == o || o instanceof ServedCell c && epochDay == c.epochDay
          && revenueMicros == c.revenueMicros && Objects.equals(campaignId, c.campaignId)
          && Objects.equals(creativeId, c.creativeId) && Objects.equals(section, c.section);
    }

    @Override
    public int hashCode() {
      int h = Long.hashCode(epochDay);
      h = 31 * h + Objects.hashCode(campaignId);
      h = 31 * h + Objects.hashCode(creativeId);
      h = 31 * h + Objects.hashCode(section);
      return 31 * h + Long.hashCode(revenueMicros);
    }
  }

  private static final int SERVED_STRIPES = 8;

  /** One stripe of summed serves. */
  private static final class ServedSums {
    /** Guarded by this; replaced, not cleared, when the writer takes it. */
    private HashMap<ServedCell, ServedSum> cells = new HashMap<>();
  }

  /** The serves of one cell: the first one's time (replay reads only its day) and the count. */
  private static final class ServedSum {
    private final long firstAtMillis;
    private long count;

    ServedSum(long firstAtMillis, long count) {
      this.firstAtMillis = firstAtMillis;
      this.count = count;
    }
  }

  /** How many snapshots this log has written since it was opened. For tests. */
  synchronized long compactions() {
    return compactions;
  }

  /** Waits until no compaction is running. For tests. */
  void awaitCompaction() throws InterruptedException {
    while (true) {
      synchronized (this) {
        if (!compacting) {
          return;
        }
      }
      Thread.sleep(5);
    }
  }

  /**
   * One process per log: a second server on the same data directory would replay and append to
   * the same files. The operating system releases the lock when the process dies, even by
   * {@code kill -9}.
   */
  private void lock() throws IOException {
    lockChannel = FileChannel.open(dir.resolve("lock"), StandardOpenOption.CREATE,
        StandardOpenOption.WRITE);
    java.nio.channels.FileLock lock;
    try {
      lock = lockChannel.tryLock();
    } catch (java.nio.channels.OverlappingFileLockException e) {
      lock = null;
    }
    if (lock == null) {
      throw new IOException("another Iklan server is using the event log in " + dir
          + "; each server needs its own data directory");
    }
  }

  // ---- replay ----

  private void recover() throws IOException {
    for (Path tmp : list(p -> p.getFileName().toString().endsWith(".tmp"))) {
      Files.deleteIfExists(tmp);
    }
    TreeMap<Long, Path> snapshots = numbered(SNAPSHOT);
    TreeMap<Long, Path> segments = numbered(SEGMENT);
    LogState state = null;
    for (Map.Entry<Long, Path> candidate : snapshots.descendingMap().entrySet()) {
      LogState attempt = new LogState(zone);
      String problem = readSnapshot(candidate.getValue(), candidate.getKey(), attempt);
      if (problem == null) {
        state = attempt;
        snapshotNumber = candidate.getKey();
        snapshotBytes = Files.size(candidate.getValue());
        break;
      }
      warnings.accept("event snapshot " + candidate.getValue() + " is unusable (" + problem
          + "); trying an older one");
      Path aside = candidate.getValue().resolveSibling(candidate.getValue().getFileName()
          + ".damaged");
      Files.move(candidate.getValue(), aside, StandardCopyOption.REPLACE_EXISTING);
    }
    if (state == null) {
      state = new LogState(zone);
      if (!snapshots.isEmpty()) {
        warnings.accept("no usable event snapshot: the counts it held are lost, only the "
            + "segments after it are replayed");
      }
    }
    long next = Math.max(1, snapshotNumber);
    for (Map.Entry<Long, Path> s : segments.entrySet()) {
      long number = s.getKey();
      next = Math.max(next, number + 1);
      if (number < snapshotNumber) {
        Files.deleteIfExists(s.getValue());
        continue;
      }
      readSegment(s.getValue(), state);
      sealed.put(number, Files.size(s.getValue()));
    }
    for (Map.Entry<Long, Path> s : snapshots.entrySet()) {
      if (s.getKey() < snapshotNumber) {
        Files.deleteIfExists(s.getValue());
      }
    }
    state.prune(clock.millis(), caps.get());
    recovered = state;
    segment = next;
  }

  /** Applies a snapshot to {@code state}; returns why it is unusable, or null. */
  private static String readSnapshot(Path file, long number, LogState state) throws IOException {
    try (RecordCodec.Reader reader = new RecordCodec.Reader(file)) {
      LogRecord first = reader.next();
      if (!(first instanceof LogRecord.SnapshotStart start)) {
        return "no start record";
      }
      if (start.format() != SNAPSHOT_FORMAT || start.covers() != number) {
        return "format " + start.format() + " covering " + start.covers();
      }
      long records = 0;
      for (LogRecord r = reader.next(); r != null; r = reader.next()) {
        if (r instanceof LogRecord.SnapshotEnd end) {
          return end.records() == records ? null
              : "end record counts " + end.records() + " records, found " + records;
        }
        state.apply(r);
        records++;
      }
      return reader.damage() != null ? reader.damage() : "no end record";
    }
  }

  private void readSegment(Path file, LogState state) throws IOException {
    long size = Files.size(file);
    try (RecordCodec.Reader reader = new RecordCodec.Reader(file)) {
      for (LogRecord r = reader.next(); r != null; r = reader.next()) {
        state.apply(r);
      }
      if (reader.damage() != null) {
        warnings.accept("event segment " + file.getFileName() + ": ignored its last "
            + (size - reader.goodBytes()) + " bytes (" + reader.damage()
            + "), the torn end of a write cut off by a crash");
      }
    }
  }

  // ---- writing (writer thread) ----

  private void startSegment(long number) throws IOException {
    Path file = dir.resolve(segmentName(number));
    channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    segment = number;
    segmentSize = 0;
    forceDirectory();
  }

  private void flushQuietly() {
    try {
      flushOnce();
    } catch (IOException e) {
      long now = System.nanoTime();
      if (lastWriteWarning == 0 || now - lastWriteWarning > TimeUnit.SECONDS.toNanos(10)) {
        lastWriteWarning = now;
        warnings.accept("could not write the event log (" + e.getMessage() + "); "
            + "the events since the last write wait in memory and will be retried");
      }
    } catch (RuntimeException | Error e) {
      warnings.accept("the event log writer failed: " + e);
    }
  }

  /**
   * Drains the queue and the served sums and makes them durable. Bytes stay in the encoder
   * until they are forced.
   *
   * <p>Serves without a reader id (those of campaigns without a frequency cap, and any serve to
   * a page that sent no reader) are summed per report cell and price before they are encoded:
   * replay adds their counts into the cell of their day and nothing else, so one record with the
   * count of many says the same as the many. At tens of thousands of ads a second this writes
   * (and later compacts) a few hundred records per interval instead of every ad. Serves to a
   * reader of a capped campaign keep a record each: their times are the reader's cap history.
   */
  private void flushOnce() throws IOException {
    for (LogRecord r = queue.poll(); r != null; r = queue.poll()) {
      encode(r);
    }
    for (ServedSums stripe : servedSums) {
      HashMap<ServedCell, ServedSum> taken;
      synchronized (stripe) {
        if (stripe.cells.isEmpty()) {
          continue;
        }
        taken = stripe.cells;
        stripe.cells = new HashMap<>();
      }
      taken.forEach((cell, sum) -> uncappedServes.merge(cell, sum, (a, b) -> {
        a.count += b.count;
        return a;
      }));
    }
    // each sum leaves the map once encoded: whatever goes wrong midway, none is written twice
    for (var it = uncappedServes.entrySet().iterator(); it.hasNext(); ) {
      var e = it.next();
      it.remove();
      ServedCell cell = e.getKey();
      ServedSum sum = e.getValue();
      for (long left = sum.count; left > 0; left -= Integer.MAX_VALUE) {
        encode(new LogRecord.Served(sum.firstAtMillis, cell.campaignId(), cell.creativeId(),
            cell.section(), "", cell.revenueMicros(), (int) Math.min(left, Integer.MAX_VALUE)));
      }
    }
    if (encoder.size() == 0) {
      return;
    }
    try {
      ByteBuffer bytes = ByteBuffer.wrap(encoder.bytes(), 0, encoder.size());
      while (bytes.hasRemaining()) {
        channel.write(bytes);
      }
      channel.force(false);
    } catch (IOException e) {
      try {
        channel.truncate(segmentSize);
        channel.position(segmentSize);
      } catch (IOException ignored) {
        // the retry will find out
      }
      throw e;
    }
    segmentSize += encoder.size();
    encoder.clear();
    if (segmentSize >= settings.segmentBytes() && !closed.get()) {
      rotate();
      maybeCompact();
    }
  }

  /** Seals the current segment. The next one is opened first: if that fails, nothing changes. */
  private void rotate() throws IOException {
    FileChannel next = FileChannel.open(dir.resolve(segmentName(segment + 1)),
        StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    forceDirectory();
    channel.close();
    synchronized (this) {
      sealed.put(segment, segmentSize);
    }
    channel = next;
    segment++;
    segmentSize = 0;
  }

  // ---- compaction (compactor thread) ----

  private void maybeCompact() {
    long upTo;
    synchronized (this) {
      if (compacting || closed.get() || sealed.isEmpty()) {
        return;
      }
      long sealedBytes = 0;
      for (long bytes : sealed.values()) {
        sealedBytes += bytes;
      }
      if (sealedBytes < Math.max(settings.segmentBytes(), snapshotBytes)
          && sealed.size() < settings.compactAfterSegments()) {
        return;
      }
      compacting = true;
      upTo = segment;
    }
    try {
      compactor.execute(() -> compact(upTo));
    } catch (java.util.concurrent.RejectedExecutionException e) {
      synchronized (this) {
        compacting = false;
      }
    }
  }

  /** Folds the snapshot and every sealed segment below {@code upTo} into snapshot {@code upTo}. */
  private void compact(long upTo) {
    Path target = dir.resolve(snapshotName(upTo));
    Path temp = target.resolveSibling(target.getFileName() + ".tmp");
    try {
      long base;
      List<Long> covered;
      synchronized (this) {
        base = snapshotNumber;
        covered = new ArrayList<>(sealed.headMap(upTo).keySet());
      }
      LogState state = new LogState(zone);
      if (base > 0) {
        String problem = readSnapshot(dir.resolve(snapshotName(base)), base, state);
        if (problem != null) {
          throw new IOException("snapshot " + base + " became unreadable: " + problem);
        }
      }
      for (long n : covered) {
        readSegment(dir.resolve(segmentName(n)), state);
      }
      state.prune(clock.millis(), caps.get());
      long bytes = writeSnapshot(temp, upTo, state);
      try {
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
      }
      forceDirectory();
      synchronized (this) {
        snapshotNumber = upTo;
        snapshotBytes = bytes;
        covered.forEach(sealed::remove);
        compactions++;
      }
      if (base > 0) {
        Files.deleteIfExists(dir.resolve(snapshotName(base)));
      }
      for (long n : covered) {
        Files.deleteIfExists(dir.resolve(segmentName(n)));
      }
    } catch (IOException | RuntimeException e) {
      if (!closed.get()) {
        warnings.accept("event log compaction failed (" + e + "); the log keeps growing until "
            + "the next attempt");
      }
      try {
        Files.deleteIfExists(temp);
      } catch (IOException ignored) {
        // removed on the next start
      }
    } finally {
      synchronized (this) {
        compacting = false;
      }
    }
  }

  private long writeSnapshot(Path temp, long number, LogState state) throws IOException {
    try (FileChannel out = FileChannel.open(temp, StandardOpenOption.CREATE,
        StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
      RecordCodec.Writer w = new RecordCodec.Writer();
      long[] count = {0};
      w.add(new LogRecord.SnapshotStart(SNAPSHOT_FORMAT, clock.millis(), number));
      state.writeTo(r -> {
        w.add(r);
        count[0]++;
        if (w.size() >= 1 << 20) {
          if (closed.get()) {
            throw new InterruptedIOException("closing");
          }
          writeFully(out, w);
        }
      });
      w.add(new LogRecord.SnapshotEnd(count[0]));
      writeFully(out, w);
      out.force(true);
      return out.size();
    }
  }

  private static void writeFully(FileChannel out, RecordCodec.Writer w) throws IOException {
    ByteBuffer bytes = ByteBuffer.wrap(w.bytes(), 0, w.size());
    while (bytes.hasRemaining()) {
      out.write(bytes);
    }
    w.clear();
  }

  // ---- closing ----

  /**
   * Writes and forces every queued event, then stops. Call once nothing appends any more (after
   * the HTTP server has stopped); an event appended later is not recorded. A running compaction
   * is abandoned: its temporary file is removed on the next start.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    compactor.shutdownNow();
    writer.shutdown();
    try {
      if (!writer.awaitTermination(30, TimeUnit.SECONDS)) {
        warnings.accept("the event log writer did not stop in time");
      }
      flushOnce();
      channel.force(true);
    } catch (IOException e) {
      warnings.accept("could not write the last events at shutdown (" + e.getMessage() + "); "
          + "the events since the last write are lost");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      try {
        channel.close();
      } catch (IOException ignored) {
        // nothing more to do
      }
    }
    try {
      compactor.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      lockChannel.close();
    } catch (IOException ignored) {
      // released when the process ends
    }
  }

  // ---- files ----

  private void forceDirectory() {
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
    } catch (IOException e) {
      // Some file systems cannot sync a directory; the rename is still atomic.
    }
  }

  private TreeMap<Long, Path> numbered(Pattern pattern) throws IOException {
    TreeMap<Long, Path> out = new TreeMap<>();
    for (Path p : list(p -> pattern.matcher(p.getFileName().toString()).matches())) {
      Matcher m = pattern.matcher(p.getFileName().toString());
      if (m.matches()) {
        out.put(Long.parseLong(m.group(1)), p);
      }
    }
    return out;
  }

  private List<Path> list(java.util.function.Predicate<Path> filter) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(filter).toList();
    }
  }

  static String segmentName(long number) {
    return String.format("segment-%012d.log", number);
  }

  static String snapshotName(long number) {
    return String.format("snapshot-%012d.dat", number);
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }
}
