package io.shardgate.translator.model;

import java.util.List;
import java.util.Optional;

/**
 * What a request must have besides its path for a route to match it: a method, headers and query parameters,
 * each by exact value. Ingress routes have none.
 *
 * @param headers     names lower-cased, one entry per name
 * @param queryParams names as written (they are case-sensitive), one entry per name
 */
public record Conditions(Optional<String> method, List<NameValue> headers, List<NameValue> queryParams) {
    public static final Conditions NONE = new Conditions(Optional.empty(), List.of(), List.of());

    public Conditions {
        headers = List.copyOf(headers);
        queryParams = List.copyOf(queryParams);
    }
}
