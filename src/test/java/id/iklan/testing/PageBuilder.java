package id.iklan.testing;

import id.iklan.context.ArticleKeywords;
import id.iklan.context.Language;
import id.iklan.rules.DeviceType;
import id.iklan.rules.Keywords;
import id.iklan.rules.Size;
import id.iklan.selection.Location;
import id.iklan.selection.Page;
import id.iklan.selection.PageRequest;
import id.iklan.selection.Slot;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Builds pages and ad requests for tests; slots default to one 300x250 slot "s1". */
public final class PageBuilder {
  private String section;
  private List<String> keywords = List.of();
  private ArticleKeywords extracted = ArticleKeywords.NONE;
  private Location location = Location.UNKNOWN;
  private DeviceType device;
  private String userId;
  private final List<Slot> slots = new ArrayList<>();

  private PageBuilder(String section) {
    this.section = section == null ? null : Keywords.normalize(section);
  }

  public static PageBuilder page(String section) {
    return new PageBuilder(section);
  }

  public static PageBuilder pageWithoutSection() {
    return new PageBuilder(null);
  }

  public PageBuilder keywords(String... values) {
    keywords = Arrays.stream(values).map(Keywords::normalize).toList();
    return this;
  }

  /**
   * Keywords as if extracted from the page's article text (normalised here as the rule reader
   * normalises rule keywords, which is what the matcher returns).
   */
  public PageBuilder extracted(String... values) {
    extracted = ArticleKeywords.of(Language.INDONESIAN,
        Arrays.stream(values).map(Keywords::normalize).toList());
    return this;
  }

  /** Location from edge-header style parts (country, region, city), any may be null. */
  public PageBuilder geo(String country, String region, String city) {
    location = Location.of(country, region, city);
    return this;
  }

  public PageBuilder device(DeviceType value) {
    device = value;
    return this;
  }

  public PageBuilder user(String id) {
    userId = id;
    return this;
  }

  public PageBuilder slot(String id, int width, int height) {
    slots.add(new Slot(id, List.of(new Size(width, height)), false));
    return this;
  }

  public PageBuilder slot(Slot slot) {
    slots.add(slot);
    return this;
  }

  public PageBuilder nativeSlot(String id) {
    slots.add(new Slot(id, List.of(), true));
    return this;
  }

  public Page toPage() {
    return new Page("https://news.example.id/" + (section == null ? "" : section) + "/artikel",
        section, keywords, extracted, location, device, userId);
  }

  public PageRequest toRequest() {
    List<Slot> list = slots.isEmpty()
        ? List.of(new Slot("s1", List.of(new Size(300, 250)), false)) : slots;
    return new PageRequest(toPage(), list);
  }
}
