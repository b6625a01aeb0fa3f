package id.iklan.tracking;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class RecordCodecTest {
  @TempDir Path dir;

  private static final LogRecord.Served SERVED = new LogRecord.Served(1_763_434_800_000L,
      "c-kopi", "cr-kopi-300", "ekonomi", "pembaca-1", 35_000_000L, 1);
  private static final LogRecord.Beacon CLICK = new LogRecord.Beacon(BeaconKind.CLICK,
      1_763_434_801_000L, "c-kopi", "cr-kopi-300", "", "0123abcd", "atas", 1_763_521_200L);

  @Test
  void readAll_everyRecordType_readsBackWhatWasWritten() throws IOException {
    List<LogRecord> records = List.of(
        new LogRecord.SnapshotStart(1, 5L, 7L),
        SERVED,
        CLICK,
        new LogRecord.Counts(20_410, "c-kopi", "cr-kopi-300", "bola", 3, 2, 1, 105_000_000L),
        new LogRecord.Seen(Fingerprint.of(BeaconKind.IMPRESSION, "r", "s"), 99L),
        new LogRecord.SnapshotEnd(4));
    Path file = write(RecordCodec.encode(records));

    List<LogRecord> read = RecordCodec.readAll(file);

    assertThat(read).containsExactlyElementsOf(records);
  }

  @Test
  void readAll_userServes_keepsTimesInOrder() throws IOException {
    Path file = write(RecordCodec.encode(List.of(
        new LogRecord.UserServes("u", "c", new long[] {1, 2, 3}))));

    LogRecord.UserServes read = (LogRecord.UserServes) RecordCodec.readAll(file).get(0);

    assertThat(read.userId()).isEqualTo("u");
    assertThat(read.times()).containsExactly(1, 2, 3);
  }

  @Test
  void reader_tornTail_stopsAfterTheLastWholeRecord() throws IOException {
    byte[] whole = RecordCodec.encode(List.of(SERVED, CLICK));
    for (int cut = 1; cut < RecordCodec.encode(List.of(CLICK)).length; cut++) {
      Path file = write(Arrays.copyOf(whole, whole.length - cut));

      try (RecordCodec.Reader reader = new RecordCodec.Reader(file)) {
        assertThat(reader.next()).isEqualTo(SERVED);
        assertThat(reader.next()).as("cut %d bytes", cut).isNull();
        assertThat(reader.damage()).isNotNull();
      }
    }
  }

  @Test
  void reader_flippedByte_stopsAtTheDamagedRecord() throws IOException {
    byte[] bytes = RecordCodec.encode(List.of(SERVED, CLICK, SERVED));
    int secondPayload = RecordCodec.encode(List.of(SERVED)).length + RecordCodec.FRAME_HEADER;
    bytes[secondPayload + 5] ^= 0x01;

    try (RecordCodec.Reader reader = new RecordCodec.Reader(write(bytes))) {
      assertThat(reader.next()).isEqualTo(SERVED);
      assertThat(reader.next()).isNull();
      assertThat(reader.damage()).contains("checksum");
    }
  }

  @Test
  void reader_zeroFilledTail_isDamageNotRecords() throws IOException {
    byte[] whole = RecordCodec.encode(List.of(SERVED));
    Path file = write(Arrays.copyOf(whole, whole.length + 4096));

    List<LogRecord> read = RecordCodec.readAll(file);

    assertThat(read).containsExactly(SERVED);
  }

  private Path write(byte[] bytes) throws IOException {
    Path file = Files.createTempFile(dir, "records", ".log");
    Files.write(file, bytes);
    return file;
  }
}
