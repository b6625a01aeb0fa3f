package id.iklan.http;

/**
 * The rules the HTTP tests serve: a few campaigns per section, so that each test owns a section
 * and does not disturb the others' served counts. Every flight contains {@link TestServer#NOW}.
 *
 * <ul>
 *   <li>{@code internasional}: one campaign per slot kind: image 728x90 with alt, html 300x250,
 *       native, image 320x50 without alt (remnant);
 *   <li>{@code daerah}: geo targeting at city, subdivision and country level, and an untargeted
 *       fallback;
 *   <li>{@code ekonomi}: a winner, a cheaper runner-up and a paused campaign, for explain;
 *   <li>{@code teknologi}: a mobile-only campaign over an untargeted one;
 *   <li>{@code wisata}: a campaign that only excludes Papua (ID-PA), over an untargeted one;
 *   <li>{@code olahraga}: a campaign with a goal of 2 impressions over a cheap fallback;
 *   <li>{@code gaya-hidup}: a campaign with a goal of 1 impression and nothing else;
 *   <li>no section: an untargeted house campaign of the one size 468x60.
 * </ul>
 */
final class Fixture {
  private Fixture() {}

  static final String FLIGHT =
      "\"start\": \"2026-11-01T00:00:00+07:00\", \"end\": \"2026-12-31T23:59:59+07:00\"";

  static final String RULES = """
      {"campaigns": [
        {"id": "c-maskapai-tokyo", "advertiser": "Maskapai Timur Raya", "tier": "standard",
         "cpm": 50000, "currency": "IDR", %1$s,
         "targeting": {"sections": {"include": ["internasional"]}},
         "creatives": [{"id": "cr-maskapai-728", "format": "image", "size": [728, 90],
           "imageUrl": "https://cdn.contoh.id/maskapai-728x90.png",
           "alt": "Terbang langsung ke Tokyo mulai Rp4 juta",
           "clickUrl": "https://maskapai.contoh.id/tokyo"}]},
        {"id": "c-sepatu-lari", "advertiser": "Sepatu Lari Merapi", "tier": "standard",
         "cpm": 40000, %1$s,
         "targeting": {"sections": {"include": ["internasional"]}},
         "creatives": [{"id": "cr-sepatu-html", "format": "html", "size": [300, 250],
           "html": "<a href=\\"https://sepatu.contoh.id\\">Diskon sepatu lari 30%%</a>",
           "clickUrl": "https://sepatu.contoh.id/lari"}]},
        {"id": "c-kopi-pagi", "advertiser": "Kopi Pagi Nusantara", "tier": "standard",
         "cpm": 30000, %1$s,
         "targeting": {"sections": {"include": ["internasional"]}},
         "creatives": [{"id": "cr-kopi-native", "format": "native",
           "title": "Secangkir kopi untuk membaca kabar dunia",
           "body": "Biji kopi Gayo sangrai segar, dikirim ke rumah dalam dua hari.",
           "imageUrl": "https://cdn.contoh.id/kopi-thumb.jpg", "sponsor": "Kopi Pagi Nusantara",
           "clickUrl": "https://kopi.contoh.id/langganan"}]},
        {"id": "c-teh-melati", "advertiser": "Teh Melati Wangi", "tier": "remnant",
         "cpm": 5000, %1$s,
         "targeting": {"sections": {"include": ["internasional"]}},
         "creatives": [{"id": "cr-teh-320", "format": "image", "size": [320, 50],
           "imageUrl": "https://cdn.contoh.id/teh-320x50.png",
           "clickUrl": "https://teh.contoh.id/"}]},

        {"id": "c-geo-bandung", "advertiser": "Toko Buku Braga", "tier": "standard",
         "cpm": 90000, %1$s,
         "targeting": {"sections": {"include": ["daerah"]},
                       "geo": {"include": ["ID-JB/Bandung"]}},
         "creatives": [{"id": "cr-geo-bandung", "format": "image", "size": [300, 250],
           "imageUrl": "https://cdn.contoh.id/buku-braga.png",
           "clickUrl": "https://bukubraga.contoh.id/"}]},
        {"id": "c-geo-jabar", "advertiser": "Bakso Pasundan", "tier": "standard",
         "cpm": 80000, %1$s,
         "targeting": {"sections": {"include": ["daerah"]}, "geo": {"include": ["ID-JB"]}},
         "creatives": [{"id": "cr-geo-jabar", "format": "image", "size": [300, 250],
           "imageUrl": "https://cdn.contoh.id/bakso-pasundan.png",
           "clickUrl": "https://baksopasundan.contoh.id/"}]},
        {"id": "c-geo-indonesia", "advertiser": "Pulsa Nusantara", "tier": "standard",
         "cpm": 70000, %1$s,
         "targeting": {"sections": {"include": ["daerah"]},
                       "geo": {"include": ["ID"], "exclude": ["ID-PA"]}},
         "creatives": [{"id": "cr-geo-indonesia", "format": "image", "size": [300, 250],
           "imageUrl": "https://cdn.contoh.id/pulsa.png",
           "clickUrl": "https://pulsa.contoh.id/"}]},
        {"id": "c-geo-semua", "advertiser": "Koran Daerah Kita", "tier": "house",
         "cpm": 0, %1$s,
         "targeting": {"sections": {"include": ["daerah"]}},
         "creatives": [{"id": "cr-geo-semua", "format": "image", "size": [300, 250],
           "imageUrl": "https://cdn.contoh.id/koran-daerah.png",
           "clickUrl": "https://korandaerah.contoh.id/"}]},

        {"id": "c-bank-tabungan", "advertiser": "Bank Tabungan Rakyat", "tier": "standard",
         "cpm": 60000, %1$s,
         "targeting": {"sections": {"include": ["ekonomi"]}},
         "creatives": [{"id": "cr-bank-300", "format": "image", "size": [300, 250],
           "imageUrl": "https://cdn.contoh.id/bank.png", "alt": "Tabungan tanpa biaya admin",
           "clickUrl": "https://bank.contoh.id/tabungan"}]},
        {"id": "c-asuransi-jiwa", "advertiser": "Asuransi Jiwa Sentosa", "tier": "standard",
         "cpm": 20000, %1$s,
         "targeting": {"sections": {"include": ["ekonomi"]}},
         "creatives": [{"id": "cr-asuransi-300", "format": "image", "size": [300, 250],
           "imageUrl": "https://cdn.contoh.id/asuransi.png",
           "clickUrl": "https://asuransi.contoh.id/"}]},
        {"id": "c-emas-jeda", "advertiser": "Toko Emas Jeda", "tier": "sponsorship",
         "status": "paused", "cpm": 99000, %1$s,
         "targeting": {"sections": {"include": ["ekonomi"]}},
         "creatives": [{"id": "cr-emas-300", "format": "image", "size": [300, 250],
           "imageUrl": "https://cdn.contoh.id/emas.png",
           "clickUrl": "https://emas.contoh.id/"}]},

        {"id": "c-dompet-mobile", "advertiser": "Dompet Digital Kilat", "tier": "standard",
         "cpm": 50000, %1$s,
         "targeting": {"sections": {"include": ["teknologi"]}, "devices": ["mobile"]},
         "creatives": [{"id": "cr-dompet-300", "format": "image", "size": [300, 250],
           "imageUrl": "https://cdn.contoh.id/dompet.png",
           "clickUrl": "https://dompet.contoh.id/"}]},
        {"id": "c-elektronik-umum", "advertiser": "Toko Elektronik Jaya", "tier": "standard",
         "cpm": 5000, %1$s,
         "targeting": {"sections": {"include": ["teknologi"]}},
         "creatives": [{"id": "cr-elektronik-300", "format": "image", "size": [300, 250],
           "imageUrl": "https://cdn.contoh.id/elektronik.png",
           "clickUrl": "https://elektronik.contoh.id/"}]},

        {"id": "c-wisata-kecuali-papua", "advertiser": "Agen Wisata Bahari", "tier": "standard",
         "cpm": 50000, %1$s,
         "targeting": {"sections": {"include": ["wisata"]}, "geo": {"exclude": ["ID-PA"]}},
         "creatives": [{"id": "cr-wisata-bahari", "format": "image", "size": [300, 250],
           "imageUrl": "https://cdn.contoh.id/wisata-bahari.png",
           "clickUrl": "https://wisatabahari.contoh.id/"}]},
        {"id": "c-wisata-umum", "advertiser": "Hotel Nusa Indah", "tier": "remnant",
         "cpm": 1000, %1$s,
         "targeting": {"sections": {"include": ["wisata"]}},
         "creatives": [{"id": "cr-wisata-hotel", "format": "image", "size": [300, 250],
           "imageUrl": "https://cdn.contoh.id/hotel.png",
           "clickUrl": "https://hotelnusaindah.contoh.id/"}]},

        {"id": "c-isotonik-terbatas", "advertiser": "Minuman Isotonik Segar", "tier": "standard",
         "cpm": 90000, %1$s, "goal": {"impressions": 2},
         "targeting": {"sections": {"include": ["olahraga"]}},
         "creatives": [{"id": "cr-isotonik-300", "format": "image", "size": [300, 250],
           "imageUrl": "https://cdn.contoh.id/isotonik.png",
           "clickUrl": "https://isotonik.contoh.id/"}]},
        {"id": "c-toko-olahraga", "advertiser": "Toko Olahraga Maju", "tier": "remnant",
         "cpm": 1000, %1$s,
         "targeting": {"sections": {"include": ["olahraga"]}},
         "creatives": [{"id": "cr-toko-olahraga-300", "format": "image", "size": [300, 250],
           "imageUrl": "https://cdn.contoh.id/toko-olahraga.png",
           "clickUrl": "https://olahraga.contoh.id/"}]},

        {"id": "c-jam-tangan", "advertiser": "Jam Tangan Presisi", "tier": "standard",
         "cpm": 45000, %1$s, "goal": {"impressions": 1},
         "targeting": {"sections": {"include": ["gaya-hidup"]}},
         "creatives": [{"id": "cr-jam-300", "format": "image", "size": [300, 250],
           "imageUrl": "https://cdn.contoh.id/jam.png",
           "clickUrl": "https://jampresisi.contoh.id/"}]},

        {"id": "h-kabar-kita", "advertiser": "Kabar Kita", "tier": "house", %1$s,
         "creatives": [{"id": "cr-kabar-kita-468", "format": "image", "size": [468, 60],
           "imageUrl": "https://cdn.contoh.id/kabar-kita-468x60.png",
           "alt": "Unduh aplikasi Kabar Kita", "clickUrl": "https://kabarkita.contoh.id/aplikasi"}]}
      ]}
      """.formatted(FLIGHT);

  /** A request body for one page of {@code section} with one slot {@code slotId} of 300x250. */
  static String oneSlot(String section, String slotId) {
    return """
        {"page": {"url": "https://kabarkita.contoh.id/%1$s/2026/11/18/berita", "section": "%1$s"},
         "slots": [{"id": "%2$s", "sizes": [[300, 250]]}]}
        """.formatted(section, slotId);
  }
}
