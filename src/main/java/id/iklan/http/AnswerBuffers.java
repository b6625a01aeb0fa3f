package id.iklan.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import java.util.concurrent.atomic.LongAdder;

/**
 * The buffers that ad answers are written into: pooled and direct, released when their write ends.
 *
 * <p>An answer in a heap buffer cost a fresh ~2.5 KB array per request, which Netty then copied
 * into a direct buffer for the socket; a pooled direct buffer is written to the socket as it is
 * and allocates nothing on the heap (LOAD.md, sixth session). Vert.x never releases a direct
 * buffer handed to {@code end()} (it passes Netty an unreleasable view), so whoever allocates
 * here must {@link #release} when the write's future completes, succeeded or failed: Netty is
 * done with the bytes by then. {@link #inFlight} counts buffers allocated and not yet released:
 * it returns to 0 whenever the server is idle, and a figure that grows means a leak.
 */
public final class AnswerBuffers {
  private final ByteBufAllocator allocator;
  private final LongAdder inFlight = new LongAdder();

  AnswerBuffers(ByteBufAllocator allocator) {
    this.allocator = allocator;
  }

  /** Buffers from Netty's pooled allocator, with a cache per event loop thread. */
  public static AnswerBuffers pooled() {
    return new AnswerBuffers(PooledByteBufAllocator.DEFAULT);
  }

  /** A buffer holding {@code length} bytes of {@code bytes}; {@link #release} it once written. */
  ByteBuf copyOf(byte[] bytes, int length) {
    ByteBuf buffer = allocator.directBuffer(length, length);
    inFlight.increment();
    return buffer.writeBytes(bytes, 0, length);
  }

  void release(ByteBuf buffer) {
    buffer.release();
    inFlight.decrement();
  }

  /** Buffers allocated and not yet released. */
  public long inFlight() {
    return inFlight.sum();
  }
}
