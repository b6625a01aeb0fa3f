package id.iklan.geo;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a small MaxMind DB file (format 2.0) for tests, so that no database is downloaded: the
 * binary search tree of the networks (24-bit records), 16 zero bytes, the data section with one
 * record per network, and the metadata after the marker {@code \xAB\xCD\xEFMaxMind.com}.
 *
 * <p>Values are written as the format's types: {@link String} as utf8_string, {@link Map} as
 * map, {@link List} as array, {@link Integer} as uint32, {@link Long} as uint64, {@link Double}
 * as double, {@link Boolean} as boolean. Networks must not overlap. An IPv6 database
 * ({@code ipVersion} 6) holds IPv4 networks at {@code ::a.b.c.d/96+n}, where readers look for
 * them, as MaxMind's own databases do.
 */
final class MmdbWriter {
  private static final byte[] METADATA_MARKER = {(byte) 0xAB, (byte) 0xCD, (byte) 0xEF,
      'M', 'a', 'x', 'M', 'i', 'n', 'd', '.', 'c', 'o', 'm'};
  private static final int RECORD_BITS = 24;

  private static final int POINTER = 1;
  private static final int UTF8 = 2;
  private static final int DOUBLE = 3;
  private static final int UINT16 = 5;
  private static final int UINT32 = 6;
  private static final int MAP = 7;
  private static final int UINT64 = 9;
  private static final int ARRAY = 11;
  private static final int BOOLEAN = 14;

  /** A node of the tree; a side holds a child node, a data offset, or nothing. */
  private static final class Node {
    final Node[] children = new Node[2];
    final int[] data = {-1, -1};
    int number;
  }

  private final int ipVersion;
  private final String databaseType;
  private final Node root = new Node();
  private final ByteArrayOutputStream dataSection = new ByteArrayOutputStream();

  MmdbWriter(int ipVersion, String databaseType) {
    if (ipVersion != 4 && ipVersion != 6) {
      throw new IllegalArgumentException("ipVersion is 4 or 6");
    }
    this.ipVersion = ipVersion;
    this.databaseType = databaseType;
  }

  /** Files {@code record} under the network {@code cidr}, such as {@code 203.0.113.0/24}. */
  MmdbWriter insert(String cidr, Map<String, Object> record) throws IOException {
    String[] parts = cidr.split("/");
    byte[] address = InetAddress.getByName(parts[0]).getAddress();
    int prefix = Integer.parseInt(parts[1]);
    if (address.length == 16 && ipVersion == 4) {
      throw new IllegalArgumentException("an IPv4 database has no IPv6 networks");
    }
    if (address.length == 4 && ipVersion == 6) {
      byte[] mapped = new byte[16];
      System.arraycopy(address, 0, mapped, 12, 4);
      address = mapped;
      prefix += 96;
    }
    int offset = dataSection.size();
    dataSection.write(encode(record));
    Node node = root;
    for (int bit = 0; bit < prefix; bit++) {
      int side = (address[bit / 8] >> (7 - bit % 8)) & 1;
      if (node.data[side] >= 0) {
        throw new IllegalArgumentException(cidr + " overlaps a network already inserted");
      }
      if (bit == prefix - 1) {
        if (node.children[side] != null) {
          throw new IllegalArgumentException(cidr + " contains a network already inserted");
        }
        node.data[side] = offset;
      } else {
        if (node.children[side] == null) {
          node.children[side] = new Node();
        }
        node = node.children[side];
      }
    }
    return this;
  }

  /** The whole file. */
  byte[] build() throws IOException {
    List<Node> nodes = new ArrayList<>();
    ArrayDeque<Node> queue = new ArrayDeque<>(List.of(root));
    while (!queue.isEmpty()) {
      Node node = queue.removeFirst();
      node.number = nodes.size();
      nodes.add(node);
      for (Node child : node.children) {
        if (child != null) {
          queue.addLast(child);
        }
      }
    }
    int nodeCount = nodes.size();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Node node : nodes) {
      for (int side = 0; side < 2; side++) {
        long value = node.children[side] != null ? node.children[side].number
            : node.data[side] >= 0 ? nodeCount + 16L + node.data[side]
            : nodeCount; // no data
        if (value >= 1L << RECORD_BITS) {
          throw new IllegalStateException("too big for 24-bit records");
        }
        out.write((int) (value >> 16) & 0xFF);
        out.write((int) (value >> 8) & 0xFF);
        out.write((int) value & 0xFF);
      }
    }
    out.write(new byte[16]);
    dataSection.writeTo(out);
    out.write(METADATA_MARKER);
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("binary_format_major_version", new Uint16(2));
    metadata.put("binary_format_minor_version", new Uint16(0));
    metadata.put("build_epoch", 1_764_288_000L);
    metadata.put("database_type", databaseType);
    metadata.put("description", Map.of("en", "Iklan test fixture"));
    metadata.put("ip_version", new Uint16(ipVersion));
    metadata.put("languages", List.of("en"));
    metadata.put("node_count", nodeCount);
    metadata.put("record_size", new Uint16(RECORD_BITS));
    out.write(encode(metadata));
    return out.toByteArray();
  }

  void write(Path file) throws IOException {
    Files.write(file, build());
  }

  /** A number to be written as uint16 (the metadata wants some members so). */
  record Uint16(int value) {}

  static byte[] encode(Object value) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    encode(value, out);
    return out.toByteArray();
  }

  private static void encode(Object value, ByteArrayOutputStream out) {
    if (value instanceof String s) {
      byte[] bytes = s.getBytes(UTF_8);
      control(UTF8, bytes.length, out);
      out.writeBytes(bytes);
    } else if (value instanceof Map<?, ?> map) {
      control(MAP, map.size(), out);
      for (Map.Entry<?, ?> e : map.entrySet()) {
        encode((String) e.getKey(), out);
        encode(e.getValue(), out);
      }
    } else if (value instanceof List<?> list) {
      control(ARRAY, list.size(), out);
      for (Object item : list) {
        encode(item, out);
      }
    } else if (value instanceof Uint16 u) {
      unsigned(UINT16, BigInteger.valueOf(u.value()), out);
    } else if (value instanceof Integer i) {
      unsigned(UINT32, BigInteger.valueOf(i), out);
    } else if (value instanceof Long l) {
      unsigned(UINT64, BigInteger.valueOf(l), out);
    } else if (value instanceof Double d) {
      control(DOUBLE, 8, out);
      long bits = Double.doubleToLongBits(d);
      for (int shift = 56; shift >= 0; shift -= 8) {
        out.write((int) (bits >> shift) & 0xFF);
      }
    } else if (value instanceof Boolean b) {
      control(BOOLEAN, b ? 1 : 0, out);
    } else {
      throw new IllegalArgumentException("cannot encode " + value);
    }
  }

  private static void unsigned(int type, BigInteger value, ByteArrayOutputStream out) {
    byte[] bytes = value.signum() == 0 ? new byte[0] : value.toByteArray();
    int skip = bytes.length > 0 && bytes[0] == 0 ? 1 : 0; // sign byte
    control(type, bytes.length - skip, out);
    out.write(bytes, skip, bytes.length - skip);
  }

  /** The control byte, the extended type byte (types above 7), then the size's extra bytes. */
  private static void control(int type, int size, ByteArrayOutputStream out) {
    if (type == POINTER) {
      throw new IllegalArgumentException("pointers are not written");
    }
    int first = (type <= 7 ? type : 0) << 5;
    byte[] extra;
    if (size < 29) {
      first |= size;
      extra = new byte[0];
    } else if (size < 29 + 256) {
      first |= 29;
      extra = new byte[] {(byte) (size - 29)};
    } else if (size < 285 + 65_536) {
      first |= 30;
      int s = size - 285;
      extra = new byte[] {(byte) (s >> 8), (byte) s};
    } else {
      first |= 31;
      int s = size - 65_821;
      extra = new byte[] {(byte) (s >> 16), (byte) (s >> 8), (byte) s};
    }
    out.write(first);
    if (type > 7) {
      out.write(type - 7);
    }
    out.writeBytes(extra);
  }
}
