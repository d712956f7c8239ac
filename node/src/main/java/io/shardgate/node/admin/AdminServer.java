package io.shardgate.node.admin;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.shardgate.node.ads.ClientText;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The node's HTTP admin endpoints: /metrics (Prometheus text), /healthz (the process works), /readyz
 * (every owned shard is fully translated: only then may a load balancer send Envoys here) and read-only
 * /debug pages registered by the parts of the node that own the data, which only {@link AdminAccess} lets
 * through. Every response says its content type and forbids sniffing another.
 */
public final class AdminServer {
    private final Vertx vertx;
    private final Router router;
    private HttpServer server;

    /** @param notReady why the node is not ready (the /readyz body), or null when it is */
    public AdminServer(Vertx vertx, PrometheusMeterRegistry metrics, BooleanSupplier healthy, Supplier<String> notReady,
            AdminAccess access) {
        this.vertx = vertx;
        this.router = Router.router(vertx);
        router.route().handler(ctx -> {
            ctx.response().putHeader("X-Content-Type-Options", "nosniff");
            ctx.next();
        });
        router.route("/debug*").handler(ctx -> {
            String peer = ctx.request().remoteAddress() == null ? null : ctx.request().remoteAddress().hostAddress();
            if (access.allows(peer, ctx.request().getHeader("Authorization"))) {
                ctx.next();
            } else {
                text(ctx, 403, "forbidden: /debug answers on loopback, or to the admin token (--admin-token-file)");
            }
        });
        router.get("/metrics").handler(ctx -> ctx.response()
                .putHeader("content-type", "text/plain; version=0.0.4; charset=utf-8")
                .end(metrics.scrape()));
        router.get("/healthz").handler(ctx -> status(ctx, healthy.getAsBoolean(), "ok", "unhealthy"));
        router.get("/readyz").handler(ctx -> {
            String reason = notReady.get();
            status(ctx, reason == null, "ready", "not ready: " + reason);
        });
        router.get("/debug").handler(ctx -> ctx.json(new JsonObject().put("pages", new JsonArray(
                router.getRoutes().stream().map(r -> r.getPath()).filter(p -> p != null && p.startsWith("/debug/")).toList()))));
    }

    /** Adds a read-only JSON page at /debug/{name}. */
    public AdminServer debugPage(String name, Supplier<Object> page) {
        router.get("/debug/" + name).handler(ctx -> ctx.json(page.get()));
        return this;
    }

    /** Adds a JSON page at /debug/{name} that takes query parameters (for example ?node=ID). */
    public AdminServer debugQuery(String name, Function<Map<String, String>, Object> page) {
        router.get("/debug/" + name).handler(ctx -> {
            Map<String, String> params = new java.util.TreeMap<>();
            ctx.queryParams().forEach(e -> params.put(e.getKey(), e.getValue()));
            Object result = page.apply(params);
            if (result == null) {
                text(ctx, 404, "not found: " + markupEscaped(ClientText.escape(params.toString(), ClientText.MAX_ECHO_CHARS)));
            } else {
                ctx.json(result);
            }
        });
        return this;
    }

    public Future<Integer> listen(String host, int port) {
        return vertx.createHttpServer().requestHandler(router).listen(port, host).map(s -> {
            server = s;
            return s.actualPort();
        });
    }

    public Future<Void> close() {
        return server == null ? Future.succeededFuture() : server.close();
    }

    private static void status(RoutingContext ctx, boolean ok, String okText, String failText) {
        text(ctx, ok ? 200 : 503, ok ? okText : failText);
    }

    /** Reflected text is inert even where a browser ignores the content type. */
    static String markupEscaped(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;").replace("'", "&#39;");
    }

    private static void text(RoutingContext ctx, int status, String body) {
        ctx.response().setStatusCode(status).putHeader("content-type", "text/plain; charset=utf-8").end(body + "\n");
    }
}
