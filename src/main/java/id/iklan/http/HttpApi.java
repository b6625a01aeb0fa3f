package id.iklan.http;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.CorsHandler;
import io.vertx.ext.web.handler.StaticHandler;
import java.util.List;
import java.util.Set;

/** The routes of the server (SPEC §2, §7): one thin layer over the core. */
public final class HttpApi {
  /** Largest accepted ad request body (SPEC §2). */
  public static final int MAX_AD_REQUEST_BYTES = 64 * 1024;

  /** What a 405 answer lists in its {@code Allow} header, per path. */
  static final java.util.Map<String, String> ALLOWED_METHODS = java.util.Map.of(
      "/v1/ads", "POST, OPTIONS",
      "/health", "GET",
      "/metrics", "GET",
      "/iklan.js", "GET",
      "/v1/imp", "GET, OPTIONS",
      "/v1/click", "GET, OPTIONS",
      "/v1/admin/report", "GET");

  private HttpApi() {}

  /**
   * The routes without a connection guard: requests are stamped and counted, nothing more. A
   * router holds per-event-loop state (the ad writer's buffers): give each event loop (each
   * verticle) a router of its own.
   */
  public static Router router(Vertx vertx, ServerContext context) {
    return router(vertx, context, ConnectionGuard.untracked(vertx, context.metrics()));
  }

  static Router router(Vertx vertx, ServerContext context, ConnectionGuard guard) {
    Router router = Router.router(vertx);
    router.route().handler(guard::onRequest);
    AdminThrottle throttle = AdminThrottle.shared(vertx,
        context.config().limits().adminAuthFailuresPerMinute(), context.metrics());
    Problems problems = new Problems(context.mapper(), context.metrics());
    CorsHandler cors = cors(context.config().corsOrigins());

    router.get("/health")
        .handler(new HealthHandler(context.warmUp(), context.rules(), context.health()));
    router.get("/metrics").handler(ctx -> ctx.response()
        .putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
        .end(context.metrics().scrape()));

    AdsHandler ads = new AdsHandler(
        new AdRequestParser(context.mapper().reader()),
        new AdResponseWriter(context.mapper().getFactory(), context.answerBuffers(),
            context.adFragments(), context.signer(),
            context.config().trackingTokenTtl().toSeconds()),
        new GeoResolver(context.config().geo(), context.ipLocator()),
        new AdminAuth(context.adminToken()), throttle,
        context.rules(), context.keywords(), context.selector(), context.clock(), context.metrics(),
        context.config().publicBaseUrl(),
        context.config().tmaxDefaultMs(), context.config().tmaxMaxMs(), context.tracking(),
        context.sharedCounters(), guard, context.config().limits().maxInFlightPerLoop(),
        context.warmUp());
    // One route per method, so metrics name the route once ("/v1/ads").
    router.options("/v1/ads").handler(cors);
    router.post("/v1/ads")
        .handler(cors)
        .handler(ads); // reads its body itself

    new AdminApi(vertx, context.admin(), context.mapper(), new AdminAuth(context.adminToken()),
        throttle, problems, context.config().publisherTimeZone()).mount(router);

    TrackingApi.mount(router, context, cors);
    ReportApi.mount(router, context, problems);

    router.get("/").handler(ctx -> ctx.redirect("/demo/"));
    ScriptHandler script = new ScriptHandler("web/iklan.js");
    router.get("/iklan.js").handler(cors).handler(script::latest);
    router.getWithRegex(ScriptHandler.VERSIONED_PATTERN).handler(cors).handler(script::versioned);
    router.get("/demo/*").handler(StaticHandler.create("web/demo")
        .setCachingEnabled(true).setMaxAgeSeconds(300));
    ConsoleRoutes.mount(router);

    router.route().failureHandler(problems::handleFailure);
    router.errorHandler(404, problems::notFound404);
    router.errorHandler(405, problems::methodNotAllowed405);
    return router;
  }

  /** Public endpoints are called from publishers' pages: any origin unless configured. */
  private static CorsHandler cors(List<String> origins) {
    CorsHandler cors = CorsHandler.create()
        .allowedMethods(Set.of(HttpMethod.GET, HttpMethod.POST, HttpMethod.OPTIONS))
        .allowedHeader("Content-Type")
        .allowCredentials(false)
        .maxAgeSeconds(600);
    if (origins.isEmpty() || origins.contains("*")) {
      cors.addOrigin("*");
    } else {
      cors.addOrigins(origins);
    }
    return cors;
  }

  /** {@code application/json} or any {@code +json} type, parameters and case aside. */
  static boolean isJson(String contentType) {
    int end = contentType.indexOf(';');
    end = end < 0 ? contentType.length() : end;
    int start = 0;
    while (start < end && contentType.charAt(start) <= ' ') { // as String.trim
      start++;
    }
    while (end > start && contentType.charAt(end - 1) <= ' ') {
      end--;
    }
    int length = end - start;
    return length == 16 && contentType.regionMatches(true, start, "application/json", 0, 16)
        || length >= 5 && contentType.regionMatches(true, end - 5, "+json", 0, 5);
  }
}
