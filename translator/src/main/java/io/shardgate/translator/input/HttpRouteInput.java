package io.shardgate.translator.input;

import java.time.Instant;
import java.util.List;

/**
 * gateway.networking.k8s.io/v1 HTTPRoute, projected. Fields are kept as written, nulls included; the defaults of
 * the specification (a Gateway parent, the route's namespace, a PathPrefix "/" match) are the translator's to apply.
 *
 * @param generation metadata.generation (0 when not set, as in files): what its status's observedGeneration names
 */
public record HttpRouteInput(
        String namespace,
        String name,
        long generation,
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
     * @param filters          as written
     * @param requestTimeout   timeouts.request as written (a Gateway API duration), or null
     * @param backendTimeout   timeouts.backendRequest as written, or null
     * @param retry            the retry stanza as written, or null
     * @param otherFields      the names of the rule's other fields that are set (sessionPersistence)
     */
    public record Rule(List<Match> matches, List<BackendRef> backendRefs, List<Filter> filters, String requestTimeout,
            String backendTimeout, Retry retry, List<String> otherFields) {
        public Rule {
            matches = List.copyOf(matches);
            backendRefs = List.copyOf(backendRefs);
            filters = List.copyOf(filters);
            otherFields = List.copyOf(otherFields);
        }

        /** A rule of matches and backends only. */
        public Rule(List<Match> matches, List<BackendRef> backendRefs) {
            this(matches, backendRefs, List.of(), null, null, null, List.of());
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

    /**
     * A filter: its type as written, and the settings of that type as written (null for the other types, and for
     * types whose settings are not read yet).
     */
    public record Filter(String type, HeaderModifier headerModifier, Redirect redirect, UrlRewrite urlRewrite, Mirror mirror) {
        public static Filter of(String type) {
            return new Filter(type, null, null, null, null);
        }

        public Filter(String type, HeaderModifier headerModifier) {
            this(type, headerModifier, null, null, null);
        }

        public static Filter redirect(Redirect redirect) {
            return new Filter("RequestRedirect", null, redirect, null, null);
        }

        public static Filter urlRewrite(UrlRewrite rewrite) {
            return new Filter("URLRewrite", null, null, rewrite, null);
        }

        public static Filter mirror(Mirror mirror) {
            return new Filter("RequestMirror", null, null, null, mirror);
        }
    }

    /**
     * A RequestMirror's settings, as written: its backend (weight and filters unset), and how many requests to mirror,
     * as a percent or a fraction (all when neither is set).
     */
    public record Mirror(BackendRef backend, Integer percent, Integer fractionNumerator, Integer fractionDenominator) {}

    /**
     * A rule's retry stanza, as written: @param codes the response codes to retry (empty: none but connection errors),
     * @param attempts null: unset, @param backoff a Gateway API duration, or null
     */
    public record Retry(List<Integer> codes, Integer attempts, String backoff) {
        public Retry {
            codes = List.copyOf(codes);
        }
    }

    /** A RequestRedirect's settings, as written (nulls for unset fields). */
    public record Redirect(String scheme, String hostname, PathModifier path, Integer port, Integer statusCode) {}

    /** A URLRewrite's settings, as written. */
    public record UrlRewrite(String hostname, PathModifier path) {}

    /** @param type ReplaceFullPath or ReplacePrefixMatch, as written */
    public record PathModifier(String type, String replaceFullPath, String replacePrefixMatch) {}

    /** A RequestHeaderModifier's or ResponseHeaderModifier's settings, as written. */
    public record HeaderModifier(List<Header> set, List<Header> add, List<String> remove) {
        public HeaderModifier {
            set = List.copyOf(set);
            add = List.copyOf(add);
            remove = List.copyOf(remove);
        }
    }

    public record Header(String name, String value) {}

    /** A header or query parameter match: @param type Exact (also when null) or RegularExpression, as written */
    public record ValueMatch(String type, String name, String value) {}

    /**
     * @param group   null or "" with kind null or "Service" is a Service; namespace null: the route's own
     * @param filters as written
     */
    public record BackendRef(String group, String kind, String namespace, String name, Integer port, Integer weight,
            List<Filter> filters) {
        public BackendRef {
            filters = List.copyOf(filters);
        }

        /** A backend without filters. */
        public BackendRef(String group, String kind, String namespace, String name, Integer port, Integer weight) {
            this(group, kind, namespace, name, port, weight, List.of());
        }
    }
}
