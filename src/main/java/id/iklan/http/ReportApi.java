package id.iklan.http;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import id.iklan.tracking.Reports;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;

/**
 * {@code GET /v1/admin/report?from=YYYY-MM-DD&to=YYYY-MM-DD&by=campaign|day|section} (SPEC §6):
 * delivery totals as JSON ({@code {"rows": [...]}}) or, with {@code Accept: text/csv}, as CSV.
 * Admin only. The rows are computed on a worker thread, since a long range over many campaigns
 * is not event-loop work.
 */
final class ReportApi {
  private final AdminAuth auth;
  private final Reports reports;
  private final Problems problems;
  private final JsonFactory json;
  private final ZoneId zone;

  private ReportApi(AdminAuth auth, Reports reports, Problems problems, JsonFactory json,
      ZoneId zone) {
    this.auth = auth;
    this.reports = reports;
    this.problems = problems;
    this.json = json;
    this.zone = zone;
  }

  static void mount(Router router, ServerContext context, Problems problems) {
    ReportApi api = new ReportApi(new AdminAuth(context.adminToken()),
        context.tracking().reports(), problems, context.mapper().getFactory(),
        context.config().publisherTimeZone());
    router.get("/v1/admin/report").handler(api::report);
  }

  private record Query(LocalDate from, LocalDate to, Reports.GroupBy by) {}

  private void report(RoutingContext ctx) {
    if (!auth.isAdmin(ctx.request().getHeader("Authorization"))) {
      ctx.response().putHeader("WWW-Authenticate", "Bearer");
      problems.send(ctx, ProblemException.of(401, "Unauthorized",
          "send the admin token as Authorization: Bearer <token>"));
      return;
    }
    Query query = query(ctx);
    boolean csv = wantsCsv(ctx.request().getHeader("Accept"));
    ctx.vertx().executeBlocking(() -> reports.rows(query.from(), query.to(), query.by()), false)
        .onSuccess(rows -> {
          byte[] body = csv ? csv(query, rows) : json(query, rows);
          ctx.response()
              .putHeader("Content-Type", csv ? "text/csv; charset=utf-8" : "application/json")
              .putHeader("Cache-Control", "no-store");
          if (csv) {
            ctx.response().putHeader("Content-Disposition", "attachment; filename=\"iklan-report-"
                + query.from() + "-" + query.to() + "-" + query.by().wireName() + ".csv\"");
          }
          ctx.response().end(Buffer.buffer(body));
        })
        .onFailure(e -> ctx.fail(e instanceof IOException
            ? ProblemException.of(503, "Service unavailable", "the shared counters (Redis) "
                + "cannot be read now: " + e.getMessage() + "; try again shortly")
                .retryAfter(5)
            : e));
  }

  private Query query(RoutingContext ctx) {
    LocalDate today = reports.today();
    LocalDate from = date(ctx, "from", today);
    LocalDate to = date(ctx, "to", today);
    String byText = single(ctx, "by");
    Reports.GroupBy by = Reports.GroupBy.CAMPAIGN;
    if (byText != null) {
      by = Reports.GroupBy.parse(byText);
      if (by == null) {
        throw ProblemException.badField("by", "must be campaign, day or section (got \""
            + abbreviate(byText) + "\")");
      }
    }
    if (from.isAfter(to)) {
      throw ProblemException.badField("from", "is " + from + ", after to (" + to
          + "); the range is from the first day to the last, both included");
    }
    return new Query(from, to, by);
  }

  private static LocalDate date(RoutingContext ctx, String name, LocalDate fallback) {
    String text = single(ctx, name);
    if (text == null) {
      return fallback;
    }
    try {
      return LocalDate.parse(text.trim(), DateTimeFormatter.ISO_LOCAL_DATE);
    } catch (DateTimeParseException e) {
      throw ProblemException.badField(name, "must be a day as YYYY-MM-DD, such as 2026-11-18 (got \""
          + abbreviate(text) + "\")");
    }
  }

  private static String single(RoutingContext ctx, String name) {
    List<String> values = ctx.queryParam(name);
    if (values.size() > 1) {
      throw ProblemException.badField(name, "is given more than once");
    }
    return values.isEmpty() ? null : values.get(0);
  }

  private static String abbreviate(String text) {
    return text.length() > 40 ? text.substring(0, 40) + "..." : text;
  }

  /** CSV when the client lists {@code text/csv} before (or without) {@code application/json}. */
  static boolean wantsCsv(String accept) {
    if (accept == null) {
      return false;
    }
    String lower = accept.toLowerCase(Locale.ROOT);
    int csv = lower.indexOf("text/csv");
    int json = lower.indexOf("application/json");
    return csv >= 0 && (json < 0 || csv < json);
  }

  private byte[] json(Query query, List<Reports.Row> rows) {
    ByteArrayBuilder bytes = new ByteArrayBuilder(256 + rows.size() * 128);
    try (JsonGenerator g = json.createGenerator(bytes, JsonEncoding.UTF8)) {
      g.writeStartObject();
      g.writeStringField("from", query.from().toString());
      g.writeStringField("to", query.to().toString());
      g.writeStringField("by", query.by().wireName());
      g.writeStringField("timeZone", zone.getId());
      g.writeArrayFieldStart("rows");
      for (Reports.Row row : rows) {
        g.writeStartObject();
        g.writeStringField(query.by().wireName(), row.group());
        g.writeNumberField("served", row.served());
        g.writeNumberField("impressions", row.impressions());
        g.writeNumberField("clicks", row.clicks());
        g.writeFieldName("ctr");
        g.writeNumber(plain(row.ctr()));
        g.writeFieldName("revenue");
        g.writeNumber(row.revenue().toPlainString());
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  private static byte[] csv(Query query, List<Reports.Row> rows) {
    StringBuilder out = new StringBuilder(64 + rows.size() * 64);
    out.append(query.by().wireName()).append(",served,impressions,clicks,ctr,revenue\r\n");
    for (Reports.Row row : rows) {
      out.append(csvCell(row.group())).append(',')
          .append(row.served()).append(',')
          .append(row.impressions()).append(',')
          .append(row.clicks()).append(',')
          .append(plain(row.ctr())).append(',')
          .append(row.revenue().toPlainString()).append("\r\n");
    }
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** A fraction without an exponent: 0.0005, not 5.0E-4. */
  private static String plain(double value) {
    return java.math.BigDecimal.valueOf(value).toPlainString();
  }

  /** RFC 4180: quoted when it holds a comma, quote or line break; quotes doubled. */
  static String csvCell(String value) {
    if (value.indexOf(',') < 0 && value.indexOf('"') < 0 && value.indexOf('\n') < 0
        && value.indexOf('\r') < 0) {
      return value;
    }
    return '"' + value.replace("\"", "\"\"") + '"';
  }
}
