package io.shardgate.translator.gatewayapi;

import io.shardgate.translator.Echo;
import io.shardgate.translator.input.HttpRouteInput;
import io.shardgate.translator.model.Conditions;
import io.shardgate.translator.model.NameValue;
import io.shardgate.translator.model.RouteModel;
import io.shardgate.translator.kube.PathRules;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * An HTTPRoute match's method, headers and query parameters, checked and in canonical form, and the
 * specification's precedence between routes that use them.
 */
final class MatchConditions {
    /** The methods the specification allows. */
    private static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH");
    /** An RFC 7230 token: what Envoy accepts as a header name. */
    private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]{1,256}");
    /** Printable ASCII without spaces, as the specification's query parameter names. */
    private static final Pattern QUERY_NAME = Pattern.compile("[!-~]{1,256}");
    private static final int MAX_VALUE_LENGTH = 4_096;

    /**
     * Longer paths first, Exact before PathPrefix at equal length; then a match with a method, then more headers,
     * then more query parameters. A stable sort keeps the remaining ties in age and rule order, as the
     * specification asks.
     */
    static final Comparator<RouteModel> PRECEDENCE = Comparator
            .comparing(RouteModel::match, PathRules.PRECEDENCE)
            .thenComparing(route -> route.conditions().method().isEmpty())
            .thenComparingInt(route -> -route.conditions().headers().size())
            .thenComparingInt(route -> -route.conditions().queryParams().size());

    /** The conditions, or why the match cannot be served. */
    sealed interface Checked {
        record Ok(Conditions conditions) implements Checked {}

        record Invalid(String why) implements Checked {}
    }

    private MatchConditions() {}

    static Checked check(HttpRouteInput.Match match) {
        Optional<String> method = Optional.ofNullable(match.method());
        if (method.isPresent() && !METHODS.contains(method.get())) {
            return new Checked.Invalid("method " + Echo.quote(method.get()) + " is not one of " + new java.util.TreeSet<>(METHODS));
        }
        List<NameValue> headers = new ArrayList<>();
        String why = nameValues(match.headers(), "header", HEADER_NAME, name -> name.toLowerCase(Locale.ROOT), headers);
        if (why != null) return new Checked.Invalid(why);
        List<NameValue> queryParams = new ArrayList<>();
        why = nameValues(match.queryParams(), "query parameter", QUERY_NAME, Function.identity(), queryParams);
        if (why != null) return new Checked.Invalid(why);
        return new Checked.Ok(new Conditions(method, headers, queryParams));
    }

    /**
     * Fills {@code out} with one entry per name, the first one written (as the specification says), sorted by name.
     *
     * @return why the matches cannot be served, or null
     */
    private static String nameValues(List<HttpRouteInput.ValueMatch> written, String what, Pattern validName,
            Function<String, String> canonicalName, List<NameValue> out) {
        Map<String, String> byName = new LinkedHashMap<>();
        for (HttpRouteInput.ValueMatch match : written) {
            if (match.type() != null && !match.type().equals("Exact")) {
                return what + " match type " + Echo.quote(match.type()) + " is not supported yet (Exact only)";
            }
            if (!validName.matcher(match.name()).matches()) return what + " name " + Echo.quote(match.name()) + " is not valid";
            if (match.value().length() > MAX_VALUE_LENGTH || match.value().chars().anyMatch(c -> c < 0x20 || c == 0x7F)) {
                return what + " " + Echo.quote(match.name()) + " has a value longer than " + MAX_VALUE_LENGTH
                        + " characters or with control characters";
            }
            byName.putIfAbsent(canonicalName.apply(match.name()), match.value());
        }
        byName.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> out.add(new NameValue(e.getKey(), e.getValue())));
        return null;
    }
}
