package io.shardgate.translator.claim;

import io.shardgate.translator.Echo;
import io.shardgate.translator.Problem;
import io.shardgate.translator.Reasons;
import io.shardgate.translator.domain.ClaimedHosts;
import io.shardgate.translator.domain.DomainInputs;
import io.shardgate.translator.domain.GatewayDefinitions;
import io.shardgate.translator.input.HostClaim;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Every kind of host claim Shardgate serves, and the first rule of a host: the kind of its oldest claim serves
 * it. Claims of other kinds are reported and not merged, since each kind has its own precedence rules
 * (docs/decisions.md, "Claims of several kinds on one host"). Within the kind, its own rules apply.
 */
public final class HostClaims {
    private final List<ClaimKind<?>> kinds;

    public HostClaims(List<ClaimKind<?>> kinds) {
        this.kinds = List.copyOf(kinds);
    }

    public Optional<ClaimedHosts> claimOf(HostClaim claim, GatewayDefinitions definitions) {
        return claimOf(kindOf(claim), claim, definitions);
    }

    /** @param host normalised */
    public DomainOutcome model(String host, DomainInputs inputs) {
        List<HostClaim> claims = inputs.claims(host).stream().distinct().sorted(HostClaim.AGE).toList();
        if (claims.isEmpty()) return new DomainOutcome.Unserved(new TreeSet<>(), List.of());
        HostClaim oldest = claims.get(0);
        ClaimKind<?> serving = kindOf(oldest);
        List<Problem> conflicts = new ArrayList<>();
        for (HostClaim claim : claims) {
            if (serving.type().isInstance(claim)) continue;
            conflicts.add(new Problem(claim.ref(), host, Reasons.HOST_CONFLICT, "host " + Echo.quote(host) + " is already claimed by the older "
                    + serving.displayName() + " " + oldest.namespace() + "/" + oldest.name() + "; a host is served from one kind of"
                    + " object only, so this " + kindOf(claim).displayName() + "'s rules for it are not served"));
        }
        return model(serving, host, claims, conflicts, inputs);
    }

    private ClaimKind<?> kindOf(HostClaim claim) {
        for (ClaimKind<?> kind : kinds) {
            if (kind.type().isInstance(claim)) return kind;
        }
        throw new IllegalArgumentException("no claim kind for " + claim.ref());
    }

    private static <C extends HostClaim> Optional<ClaimedHosts> claimOf(ClaimKind<C> kind, HostClaim claim,
            GatewayDefinitions definitions) {
        return kind.claimOf(kind.type().cast(claim), definitions);
    }

    private static <C extends HostClaim> DomainOutcome model(ClaimKind<C> kind, String host, List<HostClaim> claims,
            List<Problem> conflicts, DomainInputs inputs) {
        List<C> own = claims.stream().filter(kind.type()::isInstance).map(kind.type()::cast).toList();
        return kind.model(host, own, conflicts, inputs);
    }
}
