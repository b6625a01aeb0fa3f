package id.iklan.http;

import static org.assertj.core.api.Assertions.assertThat;

import id.iklan.delivery.InMemoryDeliveryCounters;
import id.iklan.rules.RuleSet;
import id.iklan.selection.CompiledRules;
import id.iklan.selection.LiveRules;
import id.iklan.shared.Health;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A load balancer polling {@code /health} sees {@code 503 STARTING} while the server warms up and
 * {@code 200 UP} once the warm-up is over, over HTTP on a real Vert.x server.
 */
final class HealthHandlerTest {
  private final HttpClient http = HttpClient.newHttpClient();
  private Vertx vertx;
  private HttpServer server;
  private WarmUp warmUp;
  private Health health;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    warmUp = new WarmUp();
    health = new Health(line -> { });
    LiveRules rules = new LiveRules(
        CompiledRules.compile(RuleSet.EMPTY, 7, new InMemoryDeliveryCounters()));
    Router router = Router.router(vertx);
    router.get("/health").handler(new HealthHandler(warmUp, rules, health));
    router.post("/v1/ads").handler(ctx -> ctx.request().body()
        .onSuccess(b -> ctx.response().end("{\"slots\":{}}")));
    server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1")
        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void health_whileWarmingUp_isStarting503_thenUp200() throws Exception {
    HttpResponse<String> starting = health();

    assertThat(starting.statusCode()).isEqualTo(503);
    assertThat(starting.body()).isEqualTo("{\"status\":\"STARTING\",\"ruleVersion\":7}");
    assertThat(starting.headers().firstValue("Cache-Control")).hasValue("no-store");

    String stoppedEarly = warmUp.run(vertx, "127.0.0.1", server.actualPort(), 2, 3, 10_000)
        .toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    HttpResponse<String> up = health();

    assertThat(stoppedEarly).isNull();
    assertThat(up.statusCode()).isEqualTo(200);
    assertThat(up.body()).isEqualTo("{\"status\":\"UP\",\"ruleVersion\":7}");
  }

  @Test
  void health_sharedServiceDown_isDegradedButStill200() throws Exception {
    warmUp.run(vertx, "127.0.0.1", server.actualPort(), 1, 1, 10_000)
        .toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    health.add("redis").markDown("connection refused");
    health.add("postgres").markUp();

    HttpResponse<String> degraded = health();

    assertThat(degraded.statusCode()).isEqualTo(200);
    assertThat(TestServer.parse(degraded).path("status").asText()).isEqualTo("DEGRADED");
    assertThat(TestServer.parse(degraded).path("dependencies").path("redis").asText())
        .isEqualTo("DOWN");
    assertThat(TestServer.parse(degraded).path("dependencies").path("postgres").asText())
        .isEqualTo("UP");
  }

  private HttpResponse<String> health() throws Exception {
    return http.send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + server.actualPort() + "/health")).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
