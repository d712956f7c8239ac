package io.shardgate.node.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The admin server over real HTTP on loopback. */
class AdminServerTest {
    private static final String TOKEN = "0123456789abcdef-admin-token";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final Vertx vertx = Vertx.vertx();
    private int port;

    @AfterEach
    void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private void start(AdminAccess access) throws Exception {
        AdminServer admin = new AdminServer(vertx, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), () -> true,
                () -> null, access)
                .debugPage("shards", () -> new JsonObject().put("tenant-host", "secret-shop.example.com"))
                .debugQuery("client", params -> null);
        port = admin.listen("127.0.0.1", 0).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private HttpResponse<String> get(String path, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
        if (authorization != null) request.header("Authorization", authorization);
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void debugIsRefusedToAPeerThatIsNotTrustedAndHasNoTokenAndSaysNothingOfWhatIsThere() throws Exception {
        start(AdminAccess.tokenOnly(TOKEN));

        for (String auth : new String[] {null, "Bearer wrong-token-of-some-length", "Basic " + TOKEN, "Bearer " + TOKEN + "x"}) {
            HttpResponse<String> refused = get("/debug/shards", auth);
            assertThat(refused.statusCode()).as("%s", auth).isEqualTo(403);
            assertThat(refused.body()).doesNotContain("secret-shop");
            assertThat(get("/debug", auth).statusCode()).isEqualTo(403);
        }
        HttpResponse<String> allowed = get("/debug/shards", "Bearer " + TOKEN);
        assertThat(allowed.statusCode()).isEqualTo(200);
        assertThat(allowed.body()).contains("secret-shop.example.com");
    }

    @Test
    void probesAndScrapingStayOpen() throws Exception {
        start(AdminAccess.tokenOnly(TOKEN));
        for (String path : List.of("/metrics", "/healthz", "/readyz")) {
            assertThat(get(path, null).statusCode()).as(path).isEqualTo(200);
        }
    }

    @Test
    void aLoopbackPeerReadsDebugWithoutAToken() throws Exception {
        start(AdminAccess.loopbackOr(null));
        assertThat(get("/debug/shards", null).statusCode()).isEqualTo(200);
    }

    @Test
    void everyResponseSaysItsTypeAndForbidsSniffingAndReflectedInputIsEscaped() throws Exception {
        start(AdminAccess.tokenOnly(TOKEN));
        for (String path : List.of("/metrics", "/healthz", "/readyz", "/debug", "/debug/shards", "/debug/client?node=x",
                "/no-such-page")) {
            for (String auth : new String[] {null, "Bearer " + TOKEN}) {
                HttpResponse<String> response = get(path, auth);
                assertThat(response.headers().firstValue("content-type")).as("%s %s", path, auth).isPresent();
                assertThat(response.headers().firstValue("x-content-type-options")).as("%s %s", path, auth).hasValue("nosniff");
            }
        }
        HttpResponse<String> notFound = get("/debug/client?node=%3Cscript%3Ealert(1)%3C/script%3E", "Bearer " + TOKEN);
        assertThat(notFound.statusCode()).isEqualTo(404);
        assertThat(notFound.headers().firstValue("content-type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
        assertThat(notFound.body()).doesNotContain("<script>").contains("&lt;script&gt;");
    }

    @Test
    void onlyLoopbackAddressesAreTrustedByAddress() {
        assertThat(AdminAccess.isLoopback("127.0.0.1")).isTrue();
        assertThat(AdminAccess.isLoopback("127.4.5.6")).isTrue();
        assertThat(AdminAccess.isLoopback("0:0:0:0:0:0:0:1")).isTrue();
        assertThat(AdminAccess.isLoopback("192.0.2.2")).isFalse();
        assertThat(AdminAccess.isLoopback("10.1.2.3")).isFalse();
        assertThat(AdminAccess.loopbackOr(null).allows("10.1.2.3", "Bearer anything")).isFalse();
        assertThat(AdminAccess.loopbackOr(TOKEN).allows("10.1.2.3", "Bearer " + TOKEN)).isTrue();
    }
}
