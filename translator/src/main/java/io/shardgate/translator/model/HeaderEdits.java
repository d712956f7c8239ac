package io.shardgate.translator.model;

import java.util.List;

/**
 * Headers a route sets, adds and removes, on the request it forwards or on the response (Gateway API's header
 * modifiers). Ingress routes have none. Names are lower-cased.
 *
 * @param set    replaces the header's value, or adds the header
 * @param add    appends a value to the header, or adds it
 * @param remove removes the header
 */
public record HeaderEdits(List<NameValue> set, List<NameValue> add, List<String> remove) {
    public static final HeaderEdits NONE = new HeaderEdits(List.of(), List.of(), List.of());

    public HeaderEdits {
        set = List.copyOf(set);
        add = List.copyOf(add);
        remove = List.copyOf(remove);
    }
}
