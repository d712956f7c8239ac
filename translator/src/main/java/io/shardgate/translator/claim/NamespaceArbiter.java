package io.shardgate.translator.claim;

import io.shardgate.translator.Echo;
import io.shardgate.translator.Problem;
import io.shardgate.translator.Reasons;
import io.shardgate.translator.input.HostClaim;
import java.util.ArrayList;
import java.util.List;

/**
 * Multi-tenancy for one host among the claims of one kind: the namespace of the oldest claim owns it; claims of
 * that namespace merge, claims from other namespaces are reported, never merged (docs/decisions.md).
 */
public final class NamespaceArbiter {

    /** @param winners the owning namespace's claims, oldest first */
    public record Outcome<C extends HostClaim>(List<C> winners, List<Problem> problems) {}

    private NamespaceArbiter() {}

    /**
     * @param claims      the claims on the host, oldest first ({@link HostClaim#AGE})
     * @param displayName the claims' kind as users write it ("Ingress")
     */
    public static <C extends HostClaim> Outcome<C> arbitrate(String host, List<C> claims, String displayName) {
        if (claims.isEmpty()) return new Outcome<>(List.of(), List.of());
        C oldest = claims.get(0);
        List<C> winners = new ArrayList<>();
        List<Problem> problems = new ArrayList<>();
        for (C claim : claims) {
            if (claim.namespace().equals(oldest.namespace())) {
                winners.add(claim);
            } else {
                problems.add(new Problem(claim.ref(), host, Reasons.HOST_CONFLICT, "host " + Echo.quote(host) + " is already claimed by the older "
                        + displayName + " " + oldest.namespace() + "/" + oldest.name() + " in another namespace; this "
                        + displayName + "'s rules for it are not served"));
            }
        }
        return new Outcome<>(winners, problems);
    }
}
