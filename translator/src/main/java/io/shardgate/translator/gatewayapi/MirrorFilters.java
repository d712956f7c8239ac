package io.shardgate.translator.gatewayapi;

import io.shardgate.translator.input.HttpRouteInput;
import io.shardgate.translator.model.Mirror;

/**
 * RequestMirror filters, checked: how many requests each copies, from its percent or its fraction (all when neither
 * is set). Its backend is resolved as a backendRef is, by the modeler.
 */
final class MirrorFilters {
    static final String MIRROR = "RequestMirror";

    private MirrorFilters() {}

    sealed interface Checked {
        record Ok(int perMillion) implements Checked {}

        record Invalid(String why) implements Checked {}
    }

    static boolean isMirror(String type) {
        return MIRROR.equals(type);
    }

    static Checked check(HttpRouteInput.Filter filter) {
        HttpRouteInput.Mirror mirror = filter.mirror();
        if (mirror == null) return new Checked.Invalid("RequestMirror has no requestMirror settings");
        boolean fraction = mirror.fractionNumerator() != null || mirror.fractionDenominator() != null;
        if (mirror.percent() != null && fraction) return new Checked.Invalid("RequestMirror sets both percent and fraction");
        if (mirror.percent() != null) {
            if (mirror.percent() < 0 || mirror.percent() > 100) {
                return new Checked.Invalid("RequestMirror percent " + mirror.percent() + " is not between 0 and 100");
            }
            return new Checked.Ok(mirror.percent() * (Mirror.ALL / 100));
        }
        if (!fraction) return new Checked.Ok(Mirror.ALL);
        if (mirror.fractionNumerator() == null) return new Checked.Invalid("RequestMirror fraction has no numerator");
        long numerator = mirror.fractionNumerator();
        long denominator = mirror.fractionDenominator() == null ? 100 : mirror.fractionDenominator();
        if (numerator < 0 || denominator <= 0 || numerator > denominator) {
            return new Checked.Invalid("RequestMirror fraction " + numerator + "/" + denominator
                    + " is not a fraction between 0 and 1 with a positive denominator");
        }
        return new Checked.Ok((int) (numerator * Mirror.ALL / denominator));
    }
}
