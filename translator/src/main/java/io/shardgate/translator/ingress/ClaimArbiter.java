package io.shardgate.translator.ingress;

import io.shardgate.translator.Problem;
import io.shardgate.translator.Reasons;
import io.shardgate.translator.input.IngressInput;
import java.util.ArrayList;
import java.util.List;

/**
 * Multi-tenancy for one host among Ingresses: the namespace of the oldest Ingress owns it; Ingresses of that
 * namespace merge, claims from other namespaces are reported, never merged.
 */
final class ClaimArbiter {

    /** @param winners the owning namespace's Ingresses, oldest first */
    record Outcome(List<IngressInput> winners, List<Problem> problems) {}

    private ClaimArbiter() {}

    /** @param claims the Ingresses claiming the host, oldest first ({@link io.shardgate.translator.input.HostClaim#AGE}) */
    static Outcome arbitrate(String host, List<IngressInput> claims) {
        if (claims.isEmpty()) return new Outcome(List.of(), List.of());
        IngressInput oldest = claims.get(0);
        List<IngressInput> winners = new ArrayList<>();
        List<Problem> problems = new ArrayList<>();
        for (IngressInput claim : claims) {
            if (claim.namespace().equals(oldest.namespace())) {
                winners.add(claim);
            } else {
                problems.add(new Problem(claim.ref(), host, Reasons.HOST_CONFLICT,
                        "host " + host + " is already claimed by the older Ingress " + oldest.namespace() + "/"
                                + oldest.name() + " in another namespace; this Ingress's rules for it are not served"));
            }
        }
        return new Outcome(winners, problems);
    }
}
