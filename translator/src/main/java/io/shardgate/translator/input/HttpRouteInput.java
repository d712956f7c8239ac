package io.shardgate.translator.input;

import java.time.Instant;
import java.util.List;

/**
 * gateway.networking.k8s.io/v1 HTTPRoute, projected. Fields are kept as written, nulls included; the defaults of
 * the specification (a Gateway parent, the route's namespace, a PathPrefix "/" match) are the translator's to apply.
 */
public record HttpRouteInput(
        String namespace,
        String name,
        Instant creationTimestamp,
        List<ParentRef> parentRefs,
        List<String> hostnames,
        List<Rule> rules) implements HostClaim {

    public HttpRouteInput {
        parentRefs = List.copyOf(parentRefs);
        hostnames = List.copyOf(hostnames);
        rules = List.copyOf(rules);
    }

    @Override
    public ObjectRef ref() {
        return ObjectRef.of(ObjectRef.Kind.HTTP_ROUTE, namespace, name);
    }

    /** @param namespace null: the route's own */
    public record ParentRef(String group, String kind, String namespace, String name, String sectionName, Integer port) {}

    /**
     * @param matches          empty: one match, PathPrefix "/"
     * @param filters          the type of each filter, as written
     * @param requestTimeout   timeouts.request as written (a Gateway API duration), or null
     * @param backendTimeout   timeouts.backendRequest as written, or null
     * @param otherFields      the names of the rule's other fields that are set (retry, sessionPersistence)
     */
    public record Rule(List<Match> matches, List<BackendRef> backendRefs, List<String> filters, String requestTimeout,
            String backendTimeout, List<String> otherFields) {
        public Rule {
            matches = List.copyOf(matches);
            backendRefs = List.copyOf(backendRefs);
            filters = List.copyOf(filters);
            otherFields = List.copyOf(otherFields);
        }

        /** A rule of matches and backends only. */
        public Rule(List<Match> matches, List<BackendRef> backendRefs) {
            this(matches, backendRefs, List.of(), null, null, List.of());
        }
    }

    /**
     * @param pathType Exact, PathPrefix or RegularExpression as written; null with a null value is PathPrefix "/"
     * @param method   null: any
     */
    public record Match(String pathType, String pathValue, List<ValueMatch> headers, List<ValueMatch> queryParams, String method) {
        public Match {
            headers = List.copyOf(headers);
            queryParams = List.copyOf(queryParams);
        }

        /** A match on the path alone. */
        public Match(String pathType, String pathValue) {
            this(pathType, pathValue, List.of(), List.of(), null);
        }
    }

    /** A header or query parameter match: @param type Exact (also when null) or RegularExpression, as written */
    public record ValueMatch(String type, String name, String value) {}

    /**
     * @param group   null or "" with kind null or "Service" is a Service; namespace null: the route's own
     * @param filters the type of each of its filters, as written
     */
    public record BackendRef(String group, String kind, String namespace, String name, Integer port, Integer weight,
            List<String> filters) {
        public BackendRef {
            filters = List.copyOf(filters);
        }

        /** A backend without filters. */
        public BackendRef(String group, String kind, String namespace, String name, Integer port, Integer weight) {
            this(group, kind, namespace, name, port, weight, List.of());
        }
    }
}
