package id.iklan.rules;

/** A display size in CSS pixels. */
public record Size(int width, int height) {
  /** Largest side accepted; anything bigger is a typo, not an ad. */
  public static final int MAX_SIDE = 10_000;

  public Size {
    if (width < 1 || width > MAX_SIDE || height < 1 || height > MAX_SIDE) {
      throw new IllegalArgumentException("size must be between 1x1 and " + MAX_SIDE + "x" + MAX_SIDE);
    }
  }

  /** A single int that identifies this size, for allocation-free comparisons on the hot path. */
  public int key() {
    return key(width, height);
  }

  public static int key(int width, int height) {
    return (width << 16) | height;
  }

  @Override
  public String toString() {
    return width + "x" + height;
  }
}
