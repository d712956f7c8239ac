package io.shardgate.translator.input;

import io.shardgate.translator.Echo;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How a gateway's domains are laid out in Envoy resources, chosen per gateway by the class annotation
 * {@value #ANNOTATION} (docs/envoy.md).
 */
public enum GatewayLayout {
    /** One plain-HTTP route configuration with a virtual host per domain; SotW or Delta. The default. */
    CLASSIC,
    /**
     * Plain HTTP over scoped routes: a scope and a route configuration per domain, keyed by the Host header, so a
     * change sends that domain's bytes only. Delta ADS only.
     */
    SCOPED;

    public static final String ANNOTATION = "shardgate.io/layout";

    /** The annotation's value as a layout: null (absent) is {@link #CLASSIC}; case and blanks are ignored. */
    public static GatewayLayout parse(String where, String text) {
        if (text == null) return CLASSIC;
        for (GatewayLayout layout : values()) {
            if (layout.annotationValue().equals(text.trim().toLowerCase(Locale.ROOT))) return layout;
        }
        throw new IllegalArgumentException(where + ": metadata.annotations." + ANNOTATION + ": expected one of "
                + Arrays.stream(values()).map(GatewayLayout::annotationValue).collect(Collectors.joining(", "))
                + ", got " + Echo.quote(text));
    }

    public String annotationValue() {
        return name().toLowerCase(Locale.ROOT);
    }
}
