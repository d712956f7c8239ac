package io.shardgate.translator.model;

import java.util.List;
import java.util.Optional;

/** How a route forwards, beyond where to: copies to mirrors, and retries. Ignored on a route that does not forward. */
public record Forwarding(List<Mirror> mirrors, Optional<Retry> retry) {
    public static final Forwarding NONE = new Forwarding(List.of(), Optional.empty());

    public Forwarding {
        mirrors = List.copyOf(mirrors);
    }
}
