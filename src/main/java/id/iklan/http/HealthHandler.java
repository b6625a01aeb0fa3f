package id.iklan.http;

import id.iklan.selection.LiveRules;
import id.iklan.shared.Health;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;

/**
 * {@code GET /health}: {@code 503 {"status":"STARTING"}} while the server warms up
 * ({@link WarmUp}), so that a load balancer sends it no readers yet; then {@code 200} with
 * {@code "UP"}, or {@code "DEGRADED"} while a shared service is down (the server serves ads on),
 * the rule version in force, and the shared services' states when there are any.
 */
final class HealthHandler implements Handler<RoutingContext> {
  private final WarmUp warmUp;
  private final LiveRules rules;
  private final Health health;

  HealthHandler(WarmUp warmUp, LiveRules rules, Health health) {
    this.warmUp = warmUp;
    this.rules = rules;
    this.health = health;
  }

  @Override
  public void handle(RoutingContext ctx) {
    boolean starting = warmUp.running();
    ctx.response()
        .setStatusCode(starting ? 503 : 200)
        .putHeader("Content-Type", "application/json")
        .putHeader("Cache-Control", "no-store")
        .end(body(starting));
  }

  private String body(boolean starting) {
    long version = rules.current().version();
    if (starting) {
      return "{\"status\":\"STARTING\",\"ruleVersion\":" + version + "}";
    }
    Map<String, String> states = health.states();
    if (states.isEmpty()) {
      return "{\"status\":\"UP\",\"ruleVersion\":" + version + "}";
    }
    StringBuilder out = new StringBuilder(96).append("{\"status\":\"")
        .append(health.degraded() ? "DEGRADED" : "UP")
        .append("\",\"ruleVersion\":").append(version).append(",\"dependencies\":{");
    boolean first = true;
    for (Map.Entry<String, String> e : states.entrySet()) {
      out.append(first ? "" : ",").append('"').append(e.getKey()).append("\":\"")
          .append(e.getValue()).append('"');
      first = false;
    }
    return out.append("}}").toString();
  }
}
