package id.iklan.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * {@link Creative}'s written-out equals and hashCode keep the record's contract: equal exactly
 * when every member is, so an upload that changes any member of a creative gets a fresh ad
 * fragment and one that changes nothing keeps it.
 */
final class CreativeTest {
  private static final Creative IMAGE = new Creative("cr-kotak", Format.IMAGE,
      new Size(300, 250), "https://cdn.contoh.id/kotak.png", "Kopi", null, null, null, null,
      "https://kopi.contoh.id/", 1);
  private static final Creative NATIVE = new Creative("cr-baca", Format.NATIVE, null,
      "https://cdn.contoh.id/baca.jpg", null, null, "Judul", "Isi", "Kopi Senja",
      "https://kopi.contoh.id/", 2);

  @Test
  void equals_sameMembersInAnotherObject_isEqualWithTheSameHash() {
    for (Creative c : List.of(IMAGE, NATIVE)) {
      Creative copy = new Creative(c.id(), c.format(), c.size(), c.imageUrl(), c.alt(), c.html(),
          c.title(), c.body(), c.sponsor(), c.clickUrl(), c.weight());
      assertThat(copy).isEqualTo(c).hasSameHashCodeAs(c);
    }
  }

  @Test
  void equals_anyOneMemberDifferent_isNotEqual() {
    List<UnaryOperator<Creative>> changes = List.of(
        c -> with(c, "id", c.id() + "-2"),
        c -> new Creative(c.id(), Format.HTML, c.size(), c.imageUrl(), c.alt(), "<b>x</b>",
            c.title(), c.body(), c.sponsor(), c.clickUrl(), c.weight()),
        c -> new Creative(c.id(), c.format(), new Size(300, 600), c.imageUrl(), c.alt(),
            c.html(), c.title(), c.body(), c.sponsor(), c.clickUrl(), c.weight()),
        c -> with(c, "imageUrl", "https://cdn.contoh.id/lain.png"),
        c -> with(c, "alt", "Lain"),
        c -> with(c, "title", "Judul"),
        c -> with(c, "body", "Isi"),
        c -> with(c, "sponsor", "Sponsor"),
        c -> with(c, "clickUrl", "https://lain.contoh.id/"),
        c -> new Creative(c.id(), c.format(), c.size(), c.imageUrl(), c.alt(), c.html(),
            c.title(), c.body(), c.sponsor(), c.clickUrl(), 3));
    for (UnaryOperator<Creative> change : changes) {
      Creative changed = change.apply(IMAGE);
      assertThat(changed).as("%s", changed).isNotEqualTo(IMAGE);
      assertThat(IMAGE).isNotEqualTo(changed);
    }
    assertThat(IMAGE).isNotEqualTo(null).isNotEqualTo("cr-kotak");

    Creative html = new Creative("cr-html", Format.HTML, new Size(300, 250), null, null,
        "<b>Promo</b>", null, null, null, "https://kopi.contoh.id/", 1);
    Creative otherMarkup = new Creative("cr-html", Format.HTML, new Size(300, 250), null, null,
        "<b>Promo lain</b>", null, null, null, "https://kopi.contoh.id/", 1);
    assertThat(otherMarkup).as("only the html differs").isNotEqualTo(html);
  }

  private static Creative with(Creative c, String member, String value) {
    return new Creative(
        member.equals("id") ? value : c.id(), c.format(), c.size(),
        member.equals("imageUrl") ? value : c.imageUrl(),
        member.equals("alt") ? value : c.alt(), c.html(),
        member.equals("title") ? value : c.title(),
        member.equals("body") ? value : c.body(),
        member.equals("sponsor") ? value : c.sponsor(),
        member.equals("clickUrl") ? value : c.clickUrl(), c.weight());
  }
}
