package io.shardgate.translator.gatewayapi;

import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A rule's timeouts as Envoy's route timeout. Gateway API durations (GEP-2257): one to four parts of a number of
 * up to five digits and a unit, h, m, s or ms ("1h30m", "500ms"); zero turns the timeout off. Without retries a
 * request makes one backend request: the route times out at the smaller of request and backendRequest. With
 * retries, request bounds the whole and backendRequest each try.
 */
final class RouteTimeouts {
    private static final Pattern DURATION = Pattern.compile("([0-9]{1,5}(?:h|m|s|ms)){1,4}");
    private static final Pattern PART = Pattern.compile("([0-9]{1,5})(h|ms|m|s)");

    private RouteTimeouts() {}

    /** A duration, empty when the text is not one. */
    static Optional<Duration> parse(String text) {
        if (!DURATION.matcher(text).matches()) return Optional.empty();
        Duration total = Duration.ZERO;
        Matcher part = PART.matcher(text);
        while (part.find()) {
            long amount = Long.parseLong(part.group(1));
            total = total.plus(switch (part.group(2)) {
                case "h" -> Duration.ofHours(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "s" -> Duration.ofSeconds(amount);
                default -> Duration.ofMillis(amount);
            });
        }
        return Optional.of(total);
    }

    /** The smaller of two timeouts, either empty (unset) or zero (off). Zero is Envoy's "no timeout" too. */
    static Optional<Duration> tighter(Optional<Duration> a, Optional<Duration> b) {
        if (a.isEmpty() || a.get().isZero()) return b.isPresent() ? b : a;
        if (b.isEmpty() || b.get().isZero()) return a;
        return Optional.of(a.get().compareTo(b.get()) <= 0 ? a.get() : b.get());
    }
}
