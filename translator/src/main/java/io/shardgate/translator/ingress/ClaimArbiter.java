package io.shardgate.translator.ingress;

import io.shardgate.translator.Problem;
import io.shardgate.translator.Reasons;
import io.shardgate.translator.input.IngressInput;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Multi-tenancy for one host: the namespace of the oldest claim (creationTimestamp, then namespace/name)
 * owns it; Ingresses of that namespace merge, claims from other namespaces are reported, never merged.
 */
final class ClaimArbiter {

    /** Oldest first; ties broken by namespace then name so every node orders alike. */
    static final Comparator<IngressInput> AGE = Comparator
            .comparing(IngressInput::creationTimestamp)
            .thenComparing(IngressInput::namespace)
            .thenComparing(IngressInput::name);

    /** @param winners the owning namespace's Ingresses, oldest first */
    record Outcome(List<IngressInput> winners, List<Problem> problems) {}

    private ClaimArbiter() {}

    static Outcome arbitrate(String host, List<IngressInput> claims) {
        List<IngressInput> sorted = claims.stream()
                .filter(i -> Hosts.claimedBy(i).contains(host))
                .distinct()
                .sorted(AGE)
                .toList();
        if (sorted.isEmpty()) return new Outcome(List.of(), List.of());
        IngressInput oldest = sorted.get(0);
        List<IngressInput> winners = new ArrayList<>();
        List<Problem> problems = new ArrayList<>();
        for (IngressInput claim : sorted) {
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
