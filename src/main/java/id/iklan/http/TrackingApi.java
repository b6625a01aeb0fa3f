package id.iklan.http;

import id.iklan.tracking.BeaconKind;
import id.iklan.tracking.Beacons;
import id.iklan.tracking.ClickTargets;
import id.iklan.tracking.InvalidTokenException;
import id.iklan.tracking.TokenSigner;
import id.iklan.tracking.TrackingToken;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.CorsHandler;
import java.time.Clock;
import java.util.List;
import java.util.Locale;

/**
 * The tracking URLs (SPEC §6): {@code GET /v1/imp?t=…} counts an impression and answers
 * {@code 204} (or a 1×1 GIF), {@code GET /v1/click?t=…} counts a click and redirects to the
 * creative's own {@code clickUrl} in the rule version that served it. A token is counted once
 * per kind; a replay is answered the same and counts nothing. A bad token is a {@code 400}
 * problem: nothing counted, no redirect. Nothing but {@code t} (and {@code f}) is read from the
 * request, so no parameter can choose where a click goes.
 */
final class TrackingApi {
  /** A transparent 1×1 GIF89a. */
  private static final byte[] PIXEL = {
      0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 0x01, 0x00, 0x01, 0x00, (byte) 0x80, 0x00, 0x00,
      0x00, 0x00, 0x00, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x21, (byte) 0xF9, 0x04, 0x01,
      0x00, 0x00, 0x00, 0x00, 0x2C, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0x02,
      0x02, 0x44, 0x01, 0x00, 0x3B};

  private final TokenSigner signer;
  private final Clock clock;
  private final Beacons beacons;
  private final ClickTargets targets;

  private TrackingApi(TokenSigner signer, Clock clock, Beacons beacons, ClickTargets targets) {
    this.signer = signer;
    this.clock = clock;
    this.beacons = beacons;
    this.targets = targets;
  }

  /** Adds the tracking routes, behind the public endpoints' CORS policy. */
  static void mount(Router router, ServerContext context, CorsHandler cors) {
    TrackingApi api = new TrackingApi(context.signer(), context.clock(),
        context.tracking().beacons(), context.tracking().clickTargets());
    router.options("/v1/imp").handler(cors);
    router.get("/v1/imp").handler(cors).handler(api::impression);
    router.options("/v1/click").handler(cors);
    router.get("/v1/click").handler(cors).handler(api::click);
  }

  private void impression(RoutingContext ctx) {
    boolean gif = wantsGif(ctx);
    TrackingToken token = token(ctx);
    beacons.count(BeaconKind.IMPRESSION, token);
    ctx.response().putHeader("Cache-Control", "no-store");
    if (gif) {
      ctx.response().putHeader("Content-Type", "image/gif").end(Buffer.buffer(PIXEL));
    } else {
      ctx.response().setStatusCode(204).end();
    }
  }

  private void click(RoutingContext ctx) {
    TrackingToken token = token(ctx);
    ClickTargets.Target target = targets.cached(token);
    if (target != null) {
      redirect(ctx, token, target);
      return;
    }
    ctx.vertx().executeBlocking(() -> targets.resolve(token), false)
        .onSuccess(found -> redirect(ctx, token, found))
        .onFailure(ctx::fail);
  }

  private void redirect(RoutingContext ctx, TrackingToken token, ClickTargets.Target target) {
    if (target.url() == null) {
      ctx.fail(ProblemException.of(404, "Ad not found", "the ad of this link is no longer in "
          + "the rules, so there is nowhere to send the click"));
      return;
    }
    if (ctx.response().closed()) {
      return;
    }
    beacons.count(BeaconKind.CLICK, token);
    ctx.response()
        .setStatusCode(302)
        .putHeader("Location", target.url())
        .putHeader("Cache-Control", "no-store")
        .end();
  }

  /** The verified token of {@code t}; anything else is a 400 that counts nothing. */
  private TrackingToken token(RoutingContext ctx) {
    String text = single(ctx, "t", "is required: the token of an impression or click URL");
    try {
      return signer.verify(text, clock.instant().getEpochSecond());
    } catch (InvalidTokenException e) {
      throw new ProblemException(400, "Invalid tracking token", "t: " + e.getMessage()
          + "; nothing was counted", "t", null);
    }
  }

  /**
   * The GIF when {@code f=gif} is given, or when the first type the client accepts is an image
   * (what a browser sends for {@code <img src>}); 204 otherwise ({@code fetch}, beacons).
   */
  private static boolean wantsGif(RoutingContext ctx) {
    List<String> formats = ctx.queryParam("f");
    if (formats.size() > 1) {
      throw ProblemException.badField("f", "is given more than once");
    }
    if (formats.size() == 1) {
      if (!formats.get(0).equalsIgnoreCase("gif")) {
        throw ProblemException.badField("f", "must be gif (or left out for a 204 answer)");
      }
      return true;
    }
    String accept = ctx.request().getHeader("Accept");
    if (accept == null) {
      return false;
    }
    String first = accept.split(",", 2)[0].trim().toLowerCase(Locale.ROOT);
    return first.startsWith("image/");
  }

  private static String single(RoutingContext ctx, String name, String missing) {
    List<String> values = ctx.queryParam(name);
    if (values.isEmpty() || values.get(0).isEmpty()) {
      throw ProblemException.badField(name, missing);
    }
    if (values.size() > 1) {
      throw ProblemException.badField(name, "is given more than once");
    }
    return values.get(0);
  }
}
