package id.iklan.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import id.iklan.admin.CampaignNotFoundException;
import id.iklan.admin.RuleAdmin;
import id.iklan.admin.Upload;
import id.iklan.rules.CsvRules;
import id.iklan.rules.InvalidRulesException;
import id.iklan.rules.Problem;
import id.iklan.rules.RuleSetReader;
import id.iklan.store.RuleStore;
import id.iklan.store.RuleVersion;
import id.iklan.store.StoreUnavailableException;
import id.iklan.store.VersionConflictException;
import id.iklan.store.VersionSummary;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.io.IOException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * The admin API of SPEC §5: campaigns (JSON and CSV), versions and restore. Every route needs the
 * admin bearer token and sends no CORS headers. Writes run on a worker thread (validation,
 * fsync and compiling are too slow for an event loop) and the event loop only answers.
 */
final class AdminApi {
  /** Largest accepted rule upload. */
  static final long MAX_UPLOAD_BYTES = 64L * 1024 * 1024;
  private static final String CSV = "text/csv";

  private final Vertx vertx;
  private final RuleAdmin admin;
  private final ObjectMapper mapper;
  private final AdminAuth auth;
  private final AdminThrottle throttle;
  private final Problems problems;
  /** The publisher time zone: CSV rows of a campaign agree on one instant written two ways. */
  private final ZoneId zone;

  AdminApi(Vertx vertx, RuleAdmin admin, ObjectMapper mapper, AdminAuth auth,
      AdminThrottle throttle, Problems problems, ZoneId zone) {
    this.vertx = vertx;
    this.zone = zone;
    this.admin = admin;
    this.mapper = mapper;
    this.auth = auth;
    this.throttle = throttle;
    this.problems = problems;
  }

  void mount(Router router) {
    router.route("/v1/admin/*").handler(this::authenticate);
    router.route(io.vertx.core.http.HttpMethod.PUT, "/v1/admin/campaigns")
        .handler(AdminApi::requireRuleBody);
    router.route(io.vertx.core.http.HttpMethod.POST, "/v1/admin/campaigns")
        .handler(AdminApi::requireRuleBody);
    BodyHandler body = BodyHandler.create(false).setBodyLimit(MAX_UPLOAD_BYTES);
    router.get("/v1/admin/campaigns").handler(this::getAll);
    router.put("/v1/admin/campaigns").handler(body).handler(this::replace);
    router.post("/v1/admin/campaigns").handler(body).handler(this::upsert);
    router.get("/v1/admin/campaigns/:id").handler(this::getOne);
    router.delete("/v1/admin/campaigns/:id").handler(this::delete);
    router.get("/v1/admin/versions").handler(this::versions);
    router.post("/v1/admin/versions/:version/restore").handler(this::restore);
  }

  private void authenticate(RoutingContext ctx) {
    long retryAfter = throttle.retryAfterSeconds(ctx.request());
    if (retryAfter > 0) {
      ctx.response().putHeader("Retry-After", Long.toString(retryAfter));
      problems.send(ctx, ProblemException.of(429, "Too many requests", "too many failed "
          + "admin logins from this address; try again in " + retryAfter + " s"));
      return;
    }
    String authorization = ctx.request().getHeader("Authorization");
    if (auth.isAdmin(authorization)) {
      ctx.next();
      return;
    }
    if (authorization != null) {
      throttle.failed(ctx.request()); // a wrong token is a guess; a missing one guesses nothing
    }
    ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"iklan-admin\"");
    problems.send(ctx, ProblemException.of(401, "Unauthorized",
        "send the admin token as Authorization: Bearer <token>"));
  }

  private static void requireRuleBody(RoutingContext ctx) {
    String media = mediaType(ctx.request().getHeader("Content-Type"));
    if (media == null || media.equals("application/json") || media.endsWith("+json")
        || isCsv(media)) {
      ctx.next();
    } else {
      ctx.fail(new ProblemException(415, "Unsupported media type",
          "send rules as application/json or text/csv", null, null));
    }
  }

  private void getAll(RoutingContext ctx) {
    RuleVersion current = admin.current();
    ctx.response().putHeader("ETag", etag(current.version())).putHeader("Cache-Control", "no-store");
    if (wantsCsv(ctx)) {
      blocking(ctx, () -> CsvRules.write(current.document())).onSuccess(csv -> ctx.response()
          .putHeader("Content-Type", CSV + "; charset=utf-8")
          .putHeader("Content-Disposition", "attachment; filename=\"iklan-rules-v"
              + current.version() + ".csv\"")
          .end(csv));
      return;
    }
    blocking(ctx, () -> mapper.writeValueAsBytes(current.document())).onSuccess(json -> ctx
        .response().putHeader("Content-Type", "application/json").end(Buffer.buffer(json)));
  }

  private void getOne(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    RuleVersion current = admin.current();
    JsonNode campaign = admin.campaign(id).orElse(null);
    if (campaign == null) {
      throw ProblemException.of(404, "Not found", "there is no campaign \"" + id + "\"");
    }
    ctx.response().putHeader("ETag", etag(current.version()))
        .putHeader("Content-Type", "application/json")
        .putHeader("Cache-Control", "no-store")
        .end(json(campaign));
  }

  private void replace(RoutingContext ctx) {
    long expected = ifMatch(ctx);
    boolean dryRun = dryRun(ctx);
    Buffer body = ctx.body().buffer();
    String media = mediaType(ctx.request().getHeader("Content-Type"));
    write(ctx, () -> admin.replace(upload(body, media, false), expected, dryRun));
  }

  private void upsert(RoutingContext ctx) {
    long expected = ifMatch(ctx);
    boolean dryRun = dryRun(ctx);
    Buffer body = ctx.body().buffer();
    String media = mediaType(ctx.request().getHeader("Content-Type"));
    write(ctx, () -> admin.upsert(upload(body, media, true), expected, dryRun));
  }

  private void delete(RoutingContext ctx) {
    long expected = ifMatch(ctx);
    boolean dryRun = dryRun(ctx);
    String id = ctx.pathParam("id");
    write(ctx, () -> admin.delete(id, expected, dryRun));
  }

  private void restore(RoutingContext ctx) {
    long expected = ifMatch(ctx);
    boolean dryRun = dryRun(ctx);
    long version;
    try {
      version = Long.parseLong(ctx.pathParam("version"));
    } catch (NumberFormatException e) {
      throw ProblemException.badField("version", "must be a version number, e.g. 12");
    }
    write(ctx, () -> admin.restore(version, expected, dryRun));
  }

  private void versions(RoutingContext ctx) {
    blocking(ctx, () -> admin.store().history()).onSuccess(history -> versions(ctx, history));
  }

  private void versions(RoutingContext ctx, List<VersionSummary> history) {
    List<Map<String, Object>> rows = new ArrayList<>();
    for (VersionSummary v : history) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("version", v.version());
      row.put("savedAt", v.savedAt().toString());
      row.put("action", v.action());
      row.put("campaigns", v.campaigns());
      row.put("changes", v.changes());
      rows.add(row);
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("current", admin.current().version());
    out.put("versions", rows);
    ctx.response().putHeader("Content-Type", "application/json")
        .putHeader("Cache-Control", "no-store")
        .end(json(out));
  }

  /** A write: run off the event loop, then answer with the new version and what changed. */
  private void write(RoutingContext ctx, Callable<RuleAdmin.WriteResult> action) {
    blocking(ctx, action).onSuccess(result -> {
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("version", result.version());
      if (result.dryRun()) {
        out.put("dryRun", true);
      }
      out.put("changes", result.changes());
      ctx.response().putHeader("ETag", etag(result.version()))
          .putHeader("Content-Type", "application/json")
          .putHeader("Cache-Control", "no-store")
          .end(json(out));
    });
  }

  /** Runs {@code work} on a worker thread; failures become problem answers. */
  private <T> Future<T> blocking(RoutingContext ctx, Callable<T> work) {
    return vertx.executeBlocking(work, false).onFailure(e -> ctx.fail(translate(e)));
  }

  private Throwable translate(Throwable e) {
    if (e instanceof InvalidRulesException invalid) {
      List<Map<String, Object>> list = new ArrayList<>();
      for (Problem p : invalid.problems()) {
        Map<String, Object> row = new LinkedHashMap<>();
        if (p.campaign() != null) {
          row.put("campaign", p.campaign());
        }
        if (p.index() != null) {
          row.put("index", p.index());
        }
        if (p.line() != null) {
          row.put("line", p.line());
        }
        row.put("field", p.field());
        row.put("message", p.message());
        list.add(row);
      }
      return new ProblemException(422, "Invalid rules", invalid.problems().size()
          + " problem(s) in the rules; nothing was changed. First: " + invalid.problems().get(0),
          null, list);
    }
    if (e instanceof VersionConflictException conflict) {
      return ProblemException.of(412, "Precondition failed", conflict.getMessage());
    }
    if (e instanceof CampaignNotFoundException missing) {
      return ProblemException.of(404, "Not found", missing.getMessage());
    }
    if (e instanceof StoreUnavailableException unavailable) {
      return new ProblemException(503, "Service unavailable", unavailable.getMessage()
          + "; nothing was changed and the servers keep serving the last rules they loaded; "
          + "try again shortly", null, null).retryAfter(5);
    }
    if (e instanceof CsvRules.NotExportableException notExportable) {
      return ProblemException.of(409, "Cannot export as CSV", notExportable.getMessage()
          + "; download the rules as JSON instead");
    }
    return e;
  }

  private Upload upload(Buffer body, String media, boolean allowSingle)
      throws InvalidRulesException {
    if (body == null || body.length() == 0) {
      throw ProblemException.badField("body", "is empty; send the rules as JSON or CSV");
    }
    if (media != null && isCsv(media)) {
      CsvRules.Parsed parsed = CsvRules.read(body.getBytes(), zone);
      JsonNode campaigns = parsed.campaigns() == null ? mapper.createArrayNode() : parsed.campaigns();
      return new Upload(campaigns, parsed.problems(), found -> CsvRules.locate(found, parsed));
    }
    JsonNode root;
    try {
      root = mapper.readTree(body.getBytes());
    } catch (JsonProcessingException e) {
      var at = e.getLocation();
      throw ProblemException.badField("body", "is not valid JSON"
          + (at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")")
          + ": " + AdRequestParser.shorten(e.getOriginalMessage()));
    } catch (NumberFormatException e) {
      // Jackson lets this through unwrapped for a number no decimal can hold (1e9999999999)
      throw ProblemException.badField("body", AdRequestParser.UNREADABLE_NUMBER);
    } catch (IOException e) {
      throw ProblemException.badField("body", "could not be read");
    }
    if (root != null && root.isObject() && root.path("campaigns").isArray()) {
      JsonNode lists = root.get("keywordLists");
      return new Upload(root.get("campaigns"), lists == null || lists.isNull() ? null : lists,
          RuleSetReader.unknownDocumentMembers(root), java.util.function.UnaryOperator.identity());
    }
    if (allowSingle && root != null && root.isArray()) {
      return Upload.json(root);
    }
    if (allowSingle && root != null && root.isObject() && root.has("id")
        && !root.has("campaigns")) {
      ArrayNode one = mapper.createArrayNode();
      one.add(root);
      return Upload.json(one);
    }
    throw new InvalidRulesException(List.of(Problem.atRoot("campaigns",
        "the body must be {\"campaigns\": [ ... ]}" + (allowSingle
            ? " (or one campaign object, or a list of campaigns)" : ""))));
  }

  private static long ifMatch(RoutingContext ctx) {
    String header = ctx.request().getHeader("If-Match");
    if (header == null || header.isBlank() || header.trim().equals("*")) {
      return RuleStore.ANY_VERSION;
    }
    String v = header.trim();
    if (v.startsWith("W/")) {
      v = v.substring(2);
    }
    if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) {
      v = v.substring(1, v.length() - 1);
    }
    try {
      long version = Long.parseLong(v);
      if (version >= 1) {
        return version;
      }
    } catch (NumberFormatException e) {
      // fall through
    }
    throw ProblemException.badField("If-Match", "must be a version as given in ETag, e.g. \"42\"");
  }

  private static boolean dryRun(RoutingContext ctx) {
    String value = ctx.request().getParam("dryRun");
    if (value == null) {
      return false;
    }
    if (value.isEmpty() || value.equalsIgnoreCase("true") || value.equals("1")) {
      return true;
    }
    if (value.equalsIgnoreCase("false") || value.equals("0")) {
      return false;
    }
    throw ProblemException.badField("dryRun", "must be true or false");
  }

  private static boolean wantsCsv(RoutingContext ctx) {
    String accept = ctx.request().getHeader("Accept");
    if (accept == null) {
      return false;
    }
    String a = accept.toLowerCase(Locale.ROOT);
    return a.contains(CSV) || a.contains("application/csv");
  }

  private static boolean isCsv(String media) {
    return media.equals(CSV) || media.equals("application/csv");
  }

  private static String mediaType(String contentType) {
    if (contentType == null || contentType.isBlank()) {
      return null;
    }
    return contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
  }

  private static String etag(long version) {
    return "\"" + version + "\"";
  }

  private Buffer json(Object value) {
    try {
      return Buffer.buffer(mapper.writeValueAsBytes(value));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write JSON", e);
    }
  }
}
