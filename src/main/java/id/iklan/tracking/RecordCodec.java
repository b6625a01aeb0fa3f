package id.iklan.tracking;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * The binary form of {@link LogRecord}s, the same in segments and snapshots.
 *
 * <p>Each record is framed as {@code int length, int crc32c, payload}: the payload is a type
 * byte followed by the record's fields (numbers big-endian, strings as an unsigned 16-bit
 * length and that many bytes of UTF-8). A reader stops at the first frame that
 * is cut short, has an impossible length or a wrong checksum: that is the torn tail of a write
 * interrupted by a crash, and everything before it is intact.
 */
final class RecordCodec {
  static final int FRAME_HEADER = 8;
  /** No record comes near this; a larger length is damage, not data. */
  static final int MAX_PAYLOAD = 1 << 20;

  private static final byte SERVED = 1;
  private static final byte IMPRESSION = 2;
  private static final byte CLICK = 3;
  private static final byte COUNTS = 10;
  private static final byte USER_SERVES = 11;
  private static final byte SEEN = 12;
  private static final byte SNAPSHOT_START = 20;
  private static final byte SNAPSHOT_END = 21;

  private RecordCodec() {}

  /** Encodes records into one growing byte array, ready for a single write. */
  static final class Writer {
    private final Buffer buffer = new Buffer();
    private final DataOutputStream out = new DataOutputStream(buffer);
    private final CRC32C crc = new CRC32C();

    /**
     * Appends one framed record. A record that cannot be encoded (a string over 64 KiB) leaves
     * the buffer as it was and throws.
     */
    void add(LogRecord record) throws IOException {
      int start = buffer.size;
      buffer.ensure(FRAME_HEADER);
      buffer.size += FRAME_HEADER;
      try {
        writePayload(out, record);
      } catch (IOException | RuntimeException e) {
        buffer.size = start;
        throw e;
      }
      int length = buffer.size - start - FRAME_HEADER;
      crc.reset();
      crc.update(buffer.bytes, start + FRAME_HEADER, length);
      putInt(buffer.bytes, start, length);
      putInt(buffer.bytes, start + 4, (int) crc.getValue());
    }

    byte[] bytes() {
      return buffer.bytes;
    }

    int size() {
      return buffer.size;
    }

    void clear() {
      buffer.size = 0;
      if (buffer.bytes.length > 4 << 20) {
        buffer.bytes = new byte[64 << 10];
      }
    }
  }

  /** Reads the records of one file, stopping at its end or at a torn or damaged frame. */
  static final class Reader implements AutoCloseable {
    private final DataInputStream in;
    private final CRC32C crc = new CRC32C();
    private byte[] payload = new byte[256];
    private long goodBytes;
    private String damage;

    Reader(Path file) throws IOException {
      this.in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16));
    }

    /** The next record, or null at the end of the readable part of the file. */
    LogRecord next() throws IOException {
      if (damage != null) {
        return null;
      }
      int first = in.read();
      if (first < 0) {
        return null;
      }
      int length;
      int expected;
      try {
        length = (first << 24) | (in.readUnsignedByte() << 16) | (in.readUnsignedByte() << 8)
            | in.readUnsignedByte();
        expected = in.readInt();
        if (length <= 0 || length > MAX_PAYLOAD) {
          damage = "impossible record length " + length;
          return null;
        }
        if (payload.length < length) {
          payload = new byte[Math.max(length, payload.length * 2)];
        }
        in.readFully(payload, 0, length);
      } catch (EOFException e) {
        damage = "record cut short";
        return null;
      }
      crc.reset();
      crc.update(payload, 0, length);
      if ((int) crc.getValue() != expected) {
        damage = "checksum mismatch";
        return null;
      }
      LogRecord record;
      try {
        record = readPayload(new Cursor(payload, length));
      } catch (IOException | RuntimeException e) {
        damage = "undecodable record (" + e.getMessage() + ")";
        return null;
      }
      goodBytes += FRAME_HEADER + length;
      return record;
    }

    /** Bytes of intact records read so far. */
    long goodBytes() {
      return goodBytes;
    }

    /** Why reading stopped before the end of the file, or null. */
    String damage() {
      return damage;
    }

    @Override
    public void close() throws IOException {
      in.close();
    }
  }

  private static void writePayload(DataOutputStream out, LogRecord record) throws IOException {
    if (record instanceof LogRecord.Served s) {
      out.writeByte(SERVED);
      out.writeLong(s.atMillis());
      writeString(out, s.campaignId());
      writeString(out, s.creativeId());
      writeString(out, s.section());
      writeString(out, s.userId());
      out.writeLong(s.revenueMicros());
      out.writeInt(s.count());
    } else if (record instanceof LogRecord.Beacon b) {
      out.writeByte(b.kind() == BeaconKind.IMPRESSION ? IMPRESSION : CLICK);
      out.writeLong(b.atMillis());
      writeString(out, b.campaignId());
      writeString(out, b.creativeId());
      writeString(out, b.section());
      writeString(out, b.requestId());
      writeString(out, b.slotId());
      out.writeLong(b.expiresAt());
    } else if (record instanceof LogRecord.Counts c) {
      out.writeByte(COUNTS);
      out.writeLong(c.epochDay());
      writeString(out, c.campaignId());
      writeString(out, c.creativeId());
      writeString(out, c.section());
      out.writeLong(c.served());
      out.writeLong(c.impressions());
      out.writeLong(c.clicks());
      out.writeLong(c.revenueMicros());
    } else if (record instanceof LogRecord.UserServes u) {
      out.writeByte(USER_SERVES);
      writeString(out, u.userId());
      writeString(out, u.campaignId());
      out.writeInt(u.times().length);
      for (long t : u.times()) {
        out.writeLong(t);
      }
    } else if (record instanceof LogRecord.Seen s) {
      out.writeByte(SEEN);
      out.writeLong(s.key().high());
      out.writeLong(s.key().low());
      out.writeLong(s.expiresAt());
    } else if (record instanceof LogRecord.SnapshotStart s) {
      out.writeByte(SNAPSHOT_START);
      out.writeInt(s.format());
      out.writeLong(s.createdAtMillis());
      out.writeLong(s.covers());
    } else if (record instanceof LogRecord.SnapshotEnd e) {
      out.writeByte(SNAPSHOT_END);
      out.writeLong(e.records());
    } else {
      throw new IllegalArgumentException("unknown record " + record);
    }
  }

  private static LogRecord readPayload(Cursor in) throws IOException {
    byte type = in.readByte();
    LogRecord record;
    switch (type) {
      case SERVED -> record = new LogRecord.Served(in.readLong(), in.readString(),
          in.readString(), in.readString(), in.readString(), in.readLong(), in.readInt());
      case IMPRESSION, CLICK -> record = new LogRecord.Beacon(
          type == IMPRESSION ? BeaconKind.IMPRESSION : BeaconKind.CLICK, in.readLong(),
          in.readString(), in.readString(), in.readString(), in.readString(), in.readString(),
          in.readLong());
      case COUNTS -> record = new LogRecord.Counts(in.readLong(), in.readString(),
          in.readString(), in.readString(), in.readLong(), in.readLong(), in.readLong(),
          in.readLong());
      case USER_SERVES -> {
        String user = in.readString();
        String campaign = in.readString();
        int n = in.readInt();
        if (n < 0 || n > MAX_PAYLOAD / 8) {
          throw new IOException("bad serve count " + n);
        }
        long[] times = new long[n];
        for (int i = 0; i < n; i++) {
          times[i] = in.readLong();
        }
        record = new LogRecord.UserServes(user, campaign, times);
      }
      case SEEN -> record = new LogRecord.Seen(new Fingerprint(in.readLong(), in.readLong()),
          in.readLong());
      case SNAPSHOT_START -> record = new LogRecord.SnapshotStart(in.readInt(), in.readLong(),
          in.readLong());
      case SNAPSHOT_END -> record = new LogRecord.SnapshotEnd(in.readLong());
      default -> throw new IOException("unknown record type " + type);
    }
    if (in.remaining() != 0) {
      throw new IOException("trailing bytes in a record of type " + type);
    }
    return record;
  }

  /** Reads one payload in place; strings are decoded straight from the array. */
  private static final class Cursor {
    private final byte[] bytes;
    private final int end;
    private int at;

    Cursor(byte[] bytes, int length) {
      this.bytes = bytes;
      this.end = length;
    }

    private void need(int n) throws IOException {
      if (end - at < n) {
        throw new IOException("record too short");
      }
    }

    byte readByte() throws IOException {
      need(1);
      return bytes[at++];
    }

    int readInt() throws IOException {
      need(4);
      int v = ((bytes[at] & 0xFF) << 24) | ((bytes[at + 1] & 0xFF) << 16)
          | ((bytes[at + 2] & 0xFF) << 8) | (bytes[at + 3] & 0xFF);
      at += 4;
      return v;
    }

    long readLong() throws IOException {
      long high = readInt() & 0xFFFFFFFFL;
      long low = readInt() & 0xFFFFFFFFL;
      return (high << 32) | low;
    }

    String readString() throws IOException {
      need(2);
      int length = ((bytes[at] & 0xFF) << 8) | (bytes[at + 1] & 0xFF);
      at += 2;
      need(length);
      String value = new String(bytes, at, length, StandardCharsets.UTF_8);
      at += length;
      return value;
    }

    int remaining() {
      return end - at;
    }
  }

  /** A string as its UTF-8 length (unsigned 16 bits) and bytes. */
  private static void writeString(DataOutputStream out, String value) throws IOException {
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    if (bytes.length > 0xFFFF) {
      throw new IOException("a string of " + bytes.length + " bytes is too long for a record");
    }
    out.writeShort(bytes.length);
    out.write(bytes);
  }

  private static void putInt(byte[] bytes, int at, int value) {
    bytes[at] = (byte) (value >>> 24);
    bytes[at + 1] = (byte) (value >>> 16);
    bytes[at + 2] = (byte) (value >>> 8);
    bytes[at + 3] = (byte) value;
  }

  /** A byte array that grows; unlike ByteArrayOutputStream it can be patched in place. */
  private static final class Buffer extends OutputStream {
    byte[] bytes = new byte[64 << 10];
    int size;

    void ensure(int more) {
      if (size + more > bytes.length) {
        bytes = Arrays.copyOf(bytes, Math.max(size + more, bytes.length * 2));
      }
    }

    @Override
    public void write(int b) {
      ensure(1);
      bytes[size++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) {
      ensure(len);
      System.arraycopy(b, off, bytes, size, len);
      size += len;
    }
  }

  /** For tests: the frames of {@code records}, as they would be written to a file. */
  static byte[] encode(Iterable<? extends LogRecord> records) throws IOException {
    Writer writer = new Writer();
    for (LogRecord r : records) {
      writer.add(r);
    }
    return Arrays.copyOf(writer.bytes(), writer.size());
  }

  /** Reads every intact record of {@code file}, for tests and tools. */
  static java.util.List<LogRecord> readAll(Path file) throws IOException {
    java.util.List<LogRecord> out = new java.util.ArrayList<>();
    try (Reader reader = new Reader(file)) {
      for (LogRecord r = reader.next(); r != null; r = reader.next()) {
        out.add(r);
      }
    }
    return out;
  }
}
