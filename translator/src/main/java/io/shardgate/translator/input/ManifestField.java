package io.shardgate.translator.input;

import java.math.BigInteger;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One value inside a parsed manifest, with the path that leads to it, so every decoding error names the
 * object and the exact field ("Ingress shop/web: spec.rules[0].host: expected a string, got 42").
 * Absent fields are values too: {@link #isAbsent()} rather than null checks spread over the decoder.
 */
final class ManifestField {
    private final String object;
    private final String path;
    private final Object value;

    private ManifestField(String object, String path, Object value) {
        this.object = object;
        this.path = path;
        this.value = value;
    }

    static ManifestField root(String object, Map<String, Object> manifest) {
        return new ManifestField(object, "", manifest);
    }

    /** The object the field belongs to, as error messages name it ("Ingress shop/web"). */
    String object() {
        return object;
    }

    boolean isAbsent() {
        return value == null;
    }

    String path() {
        return path.isEmpty() ? "(root)" : path;
    }

    ManifestField get(String key) {
        if (value == null) return child(key, null);
        Object v = asMap().get(key);
        return child(key, v);
    }

    private ManifestField child(String key, Object v) {
        return new ManifestField(object, path.isEmpty() ? key : path + "." + key, v);
    }

    /** The elements of a list (empty when absent). */
    List<ManifestField> items() {
        if (value == null) return List.of();
        if (!(value instanceof List<?> list)) throw error("expected a list, got " + describe(value));
        List<ManifestField> out = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            out.add(new ManifestField(object, path + "[" + i + "]", list.get(i)));
        }
        return out;
    }

    Map<?, ?> asMap() {
        if (value instanceof Map<?, ?> map) return map;
        throw error("expected a mapping, got " + describe(value));
    }

    String requiredString() {
        if (value == null) throw error("is required");
        String s = optionalString();
        if (s.isEmpty()) throw error("must not be empty");
        return s;
    }

    /** The string, or null when absent. */
    String optionalString() {
        if (value == null) return null;
        if (value instanceof String s) return s;
        throw error("expected a string, got " + describe(value));
    }

    String stringOr(String fallback) {
        String s = optionalString();
        return s == null ? fallback : s;
    }

    /** An integral number in int range, or null when absent. */
    Integer optionalInt() {
        if (value == null) return null;
        if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof BigInteger) {
            long l = ((Number) value).longValue();
            if (l >= Integer.MIN_VALUE && l <= Integer.MAX_VALUE && BigInteger.valueOf(l).equals(toBigInteger(value))) {
                return (int) l;
            }
            throw error("integer out of range: " + value);
        }
        throw error("expected an integer, got " + describe(value));
    }

    /** A non-negative integral number such as metadata.generation, or 0 when absent. */
    long longOrZero() {
        if (value == null) return 0;
        if (value instanceof Integer || value instanceof Long || value instanceof Short) {
            long l = ((Number) value).longValue();
            if (l >= 0) return l;
        }
        throw error("expected a non-negative integer, got " + describe(value));
    }

    int requiredInt() {
        Integer i = optionalInt();
        if (i == null) throw error("is required");
        return i;
    }

    /** A boolean, or null when absent. */
    Boolean optionalBoolean() {
        if (value == null) return null;
        if (value instanceof Boolean b) return b;
        throw error("expected a boolean, got " + describe(value));
    }

    /**
     * A string-to-string map such as labels or annotations (empty when absent), sorted by key. Unquoted
     * YAML scalars (true, 8080) are taken as their text, since hand-written files often carry them.
     */
    Map<String, String> stringMap() {
        Map<String, String> out = new TreeMap<>();
        if (value == null) return out;
        for (Map.Entry<?, ?> e : asMap().entrySet()) {
            if (!(e.getKey() instanceof String key)) throw error("expected string keys, got " + describe(e.getKey()));
            Object v = e.getValue();
            if (v instanceof String || v instanceof Boolean || v instanceof Number) {
                out.put(key, v.toString());
            } else if (v == null) {
                out.put(key, "");
            } else {
                throw child(key, v).error("expected a string, got " + describe(v));
            }
        }
        return out;
    }

    /** An RFC 3339 timestamp, or {@link Instant#EPOCH} when absent. YAML parsers may hand over a Date already. */
    Instant instantOrEpoch() {
        if (value == null) return Instant.EPOCH;
        if (value instanceof Date d) return d.toInstant();
        if (value instanceof Instant i) return i;
        if (value instanceof OffsetDateTime o) return o.toInstant();
        if (value instanceof ZonedDateTime z) return z.toInstant();
        if (value instanceof String s) {
            try {
                return OffsetDateTime.parse(s).toInstant();
            } catch (DateTimeParseException e) {
                throw error("expected an RFC 3339 timestamp, got \"" + s + "\"");
            }
        }
        throw error("expected a timestamp, got " + describe(value));
    }

    IllegalArgumentException error(String what) {
        return new IllegalArgumentException(object + ": " + path() + ": " + what);
    }

    private static BigInteger toBigInteger(Object n) {
        return n instanceof BigInteger b ? b : BigInteger.valueOf(((Number) n).longValue());
    }

    private static String describe(Object v) {
        if (v == null) return "nothing";
        if (v instanceof Map) return "a mapping";
        if (v instanceof List) return "a list";
        return v.getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT) + " " + v;
    }
}
