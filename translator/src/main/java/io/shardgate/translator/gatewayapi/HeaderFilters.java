package io.shardgate.translator.gatewayapi;

import io.shardgate.translator.Echo;
import io.shardgate.translator.input.HttpRouteInput;
import io.shardgate.translator.model.HeaderEdits;
import io.shardgate.translator.model.NameValue;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A rule's RequestHeaderModifier and ResponseHeaderModifier, checked so that Envoy never refuses them: header names
 * are RFC 7230 tokens and never Host (Envoy does not let a route modify Host or pseudo-headers), values hold no
 * control characters, a name appears once per list, each list has at most 16 entries (the specification's limit),
 * and each filter type appears once per rule.
 */
final class HeaderFilters {
    static final String REQUEST = "RequestHeaderModifier";
    static final String RESPONSE = "ResponseHeaderModifier";
    private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]{1,256}");
    private static final int MAX_ENTRIES = 16;
    private static final int MAX_VALUE_LENGTH = 4_096;

    /** The edits, or why the rule cannot be served. */
    sealed interface Checked {
        record Ok(HeaderEdits request, HeaderEdits response) implements Checked {}

        record Invalid(String why) implements Checked {}
    }

    private HeaderFilters() {}

    static boolean isHeaderModifier(String type) {
        return type.equals(REQUEST) || type.equals(RESPONSE);
    }

    /** @param filters header modifiers only */
    static Checked check(List<HttpRouteInput.Filter> filters) {
        HeaderEdits request = HeaderEdits.NONE;
        HeaderEdits response = HeaderEdits.NONE;
        Set<String> seen = new HashSet<>();
        try {
            for (HttpRouteInput.Filter filter : filters) {
                if (!seen.add(filter.type())) throw new Unusable(filter.type() + " is given more than once");
                if (filter.headerModifier() == null) throw new Unusable(filter.type() + " has no settings");
                HeaderEdits edits = edits(filter.type(), filter.headerModifier());
                if (filter.type().equals(REQUEST)) request = edits; else response = edits;
            }
        } catch (Unusable e) {
            return new Checked.Invalid(e.getMessage());
        }
        return new Checked.Ok(request, response);
    }

    private static HeaderEdits edits(String type, HttpRouteInput.HeaderModifier modifier) throws Unusable {
        List<NameValue> set = headers(type + ".set", modifier.set());
        List<NameValue> add = headers(type + ".add", modifier.add());
        if (modifier.remove().size() > MAX_ENTRIES) throw new Unusable(type + ".remove has more than " + MAX_ENTRIES + " entries");
        List<String> remove = new ArrayList<>();
        for (String name : modifier.remove()) remove.add(name(type + ".remove", name, remove));
        return new HeaderEdits(set, add, remove);
    }

    private static List<NameValue> headers(String field, List<HttpRouteInput.Header> headers) throws Unusable {
        if (headers.size() > MAX_ENTRIES) throw new Unusable(field + " has more than " + MAX_ENTRIES + " entries");
        List<String> names = new ArrayList<>();
        List<NameValue> out = new ArrayList<>();
        for (HttpRouteInput.Header header : headers) {
            String name = name(field, header.name(), names);
            if (header.value().length() > MAX_VALUE_LENGTH || header.value().chars().anyMatch(c -> c < 0x20 && c != '\t' || c == 0x7F)) {
                throw new Unusable(field + ": the value of " + Echo.quote(header.name()) + " is longer than " + MAX_VALUE_LENGTH
                        + " characters or has control characters");
            }
            names.add(name);
            out.add(new NameValue(name, header.value()));
        }
        return out;
    }

    /**
     * @param earlier the (lower-cased) names before it in the same list
     * @return the name, lower-cased
     */
    private static String name(String field, String name, List<String> earlier) throws Unusable {
        if (!TOKEN.matcher(name).matches()) throw new Unusable(field + ": header name " + Echo.quote(name) + " is not valid");
        String lower = name.toLowerCase(Locale.ROOT);
        if (lower.equals("host")) throw new Unusable(field + ": Host cannot be modified by a header filter");
        if (earlier.contains(lower)) throw new Unusable(field + ": header " + Echo.quote(name) + " is given more than once");
        return lower;
    }

    /** Why a filter cannot be applied. */
    private static final class Unusable extends Exception {
        Unusable(String why) {
            super(why, null, false, false);
        }
    }
}
