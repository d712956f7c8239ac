package io.shardgate.translator.input;

import java.time.Instant;
import java.util.Comparator;

/**
 * An object that claims hosts of a gateway. Ingress is one kind; Gateway API routes join as more kinds
 * (each a record permitted here, with its rules in a {@code ClaimKind}). Claims of every kind are ordered
 * by {@link #AGE}, which decides who owns a host they both claim.
 */
public sealed interface HostClaim extends InputObject permits IngressInput, HttpRouteInput {

    /** Oldest first; ties broken by namespace, name, then kind, so every node orders alike. */
    Comparator<HostClaim> AGE = Comparator
            .comparing(HostClaim::creationTimestamp)
            .thenComparing(HostClaim::namespace)
            .thenComparing(HostClaim::name)
            .thenComparing(c -> c.ref().kind());

    String namespace();

    String name();

    Instant creationTimestamp();
}
