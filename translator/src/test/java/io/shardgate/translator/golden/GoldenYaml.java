package io.shardgate.translator.golden;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.ScopedRouteConfiguration;
import io.envoyproxy.envoy.extensions.filters.http.router.v3.Router;
import io.envoyproxy.envoy.extensions.filters.listener.tls_inspector.v3.TlsInspector;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext;
import io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions;
import io.shardgate.translator.Problem;
import io.shardgate.translator.domain.DomainResult;
import io.shardgate.translator.resource.ResourceType;
import io.shardgate.translator.resource.XdsResource;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * Renders a gateway's output as review-friendly YAML: each resource as Envoy's own JSON (proto field
 * names) turned into YAML, key material redacted, then the domains' outcomes and the problems.
 */
final class GoldenYaml {
    private static final JsonFormat.Printer PRINTER = JsonFormat.printer()
            .usingTypeRegistry(JsonFormat.TypeRegistry.newBuilder()
                    .add(HttpConnectionManager.getDescriptor())
                    .add(Router.getDescriptor())
                    .add(TlsInspector.getDescriptor())
                    .add(DownstreamTlsContext.getDescriptor())
                    .add(UpstreamTlsContext.getDescriptor())
                    .add(HttpProtocolOptions.getDescriptor())
                    .add(io.envoyproxy.envoy.extensions.http.early_header_mutation.header_mutation.v3.HeaderMutation.getDescriptor())
                    .add(io.shardgate.translator.envoy.OnDemandCertificates.descriptors())
                    .build())
            .preservingProtoFieldNames();

    private GoldenYaml() {}

    static String render(GatewayDriver.GatewayOutput output) {
        Map<String, Object> document = new LinkedHashMap<>();
        List<Object> resources = new ArrayList<>();
        for (XdsResource r : output.resources()) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("type", r.type().name());
            entry.put("name", r.name());
            entry.put("body", body(r));
            resources.add(entry);
        }
        document.put("resources", resources);
        List<Object> domains = new ArrayList<>();
        for (DomainResult d : output.domains()) domains.add(d.host() + ": " + outcome(d));
        document.put("domains", domains);
        List<Object> problems = new ArrayList<>();
        for (Problem p : output.problems()) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("object", p.object().toString());
            if (p.domain() != null) entry.put("domain", p.domain());
            entry.put("reason", p.reason());
            entry.put("message", p.message());
            problems.add(entry);
        }
        document.put("problems", problems);
        return dump(document);
    }

    /** Block-style YAML, wide lines: the layout every golden file uses. */
    static String dump(Map<String, Object> document) {
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        options.setWidth(200);
        options.setIndicatorIndent(0);
        return new Yaml(options).dump(document);
    }

    private static String outcome(DomainResult d) {
        if (d instanceof DomainResult.Served served) {
            if (served.httpVirtualHost().isEmpty()) return "served on HTTPS only";
            return served.httpsRoute().isPresent() ? "served on HTTPS and HTTP" : "served on HTTP only";
        }
        return "rejected";
    }

    private static Object body(XdsResource r) {
        try {
            Message message = parse(r);
            Object tree = new Yaml().load(PRINTER.print(message));
            if (r.type() == ResourceType.SECRET) redact(tree);
            return tree;
        } catch (InvalidProtocolBufferException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Message parse(XdsResource r) throws InvalidProtocolBufferException {
        return switch (r.type()) {
            case CLUSTER -> Cluster.parseFrom(r.body());
            case ENDPOINT -> ClusterLoadAssignment.parseFrom(r.body());
            case LISTENER -> Listener.parseFrom(r.body());
            case SCOPED_ROUTE -> ScopedRouteConfiguration.parseFrom(r.body());
            case ROUTE -> RouteConfiguration.parseFrom(r.body());
            case SECRET -> Secret.parseFrom(r.body());
        };
    }

    /** Replaces inline PEM with its size: keys must not land in review diffs, certificates are just noise. */
    @SuppressWarnings("unchecked")
    private static void redact(Object tree) {
        Map<String, Object> certificate = (Map<String, Object>) ((Map<String, Object>) tree).get("tls_certificate");
        for (String field : List.of("certificate_chain", "private_key")) {
            Map<String, Object> source = (Map<String, Object>) certificate.get(field);
            String base64 = (String) source.get("inline_bytes");
            source.put("inline_bytes", "<redacted: " + java.util.Base64.getDecoder().decode(base64).length + " bytes of PEM>");
        }
    }
}
