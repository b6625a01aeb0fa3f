package id.iklan.http;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;

/**
 * The ad ops console: static files (HTML, JavaScript modules, CSS) from {@code web/console} in
 * the jar, at {@code /console/}. The files hold no data and need no token; the console signs in
 * with the admin token and calls {@code /v1/admin/*} with it as a bearer token, so there is no
 * cookie and no CSRF surface.
 *
 * <p>Every answer under {@code /console} carries a strict Content Security Policy: scripts and
 * styles only from files of this origin (no inline script, no inline event handler, no
 * {@code eval}), requests only to this origin, never framed. Creative previews may load images
 * from anywhere, since creatives live on advertisers' CDNs.
 */
final class ConsoleRoutes {
  static final String CONTENT_SECURITY_POLICY = String.join("; ",
      "default-src 'self'",
      "script-src 'self'",
      "style-src 'self'",
      "img-src 'self' https: http: data:",
      "connect-src 'self'",
      "object-src 'none'",
      "frame-ancestors 'none'",
      "base-uri 'none'",
      "form-action 'self'");

  private ConsoleRoutes() {}

  static void mount(Router router) {
    router.route("/console/*").handler(ConsoleRoutes::securityHeaders);
    // Vert.x matches "/console" for "/console/" too: only the bare path is redirected, so that
    // the page's relative links resolve under /console/.
    router.get("/console").handler(ctx -> {
      if (ctx.request().path().equals("/console")) {
        ctx.redirect("/console/");
      } else {
        ctx.next();
      }
    });
    router.get("/console/*").handler(StaticHandler.create("web/console")
        .setIndexPage("index.html")
        .setCachingEnabled(false)
        .setDirectoryListing(false));
  }

  private static void securityHeaders(RoutingContext ctx) {
    ctx.response().headers()
        .set("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        .set("X-Content-Type-Options", "nosniff")
        .set("X-Frame-Options", "DENY")
        .set("Referrer-Policy", "no-referrer")
        .set("Cross-Origin-Opener-Policy", "same-origin")
        // Small files that change with each release: always revalidate, never serve stale.
        .set("Cache-Control", "no-cache");
    ctx.next();
  }
}
