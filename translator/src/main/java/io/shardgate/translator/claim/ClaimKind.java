package io.shardgate.translator.claim;

import io.shardgate.translator.Problem;
import io.shardgate.translator.domain.ClaimedHosts;
import io.shardgate.translator.domain.DomainInputs;
import io.shardgate.translator.domain.GatewayDefinitions;
import io.shardgate.translator.input.HostClaim;
import java.util.List;
import java.util.Optional;

/**
 * The rules of one kind of host claim: which gateway a claim belongs to, which hosts it claims, and how the
 * claims of this kind that won a host become its model. {@link HostClaims} picks the kind that serves a host.
 */
public interface ClaimKind<C extends HostClaim> {

    Class<C> type();

    /** The kind as users write it, for messages: "Ingress". */
    String displayName();

    /** The gateway the claim belongs to and the hosts it names there, or empty when no Shardgate gateway selects it. */
    Optional<ClaimedHosts> claimOf(C claim, GatewayDefinitions definitions);

    /**
     * @param host      normalised
     * @param claims    this kind's claims on the host, oldest first
     * @param conflicts problems for the claims of other kinds that the host refused; part of the outcome's problems
     */
    DomainOutcome model(String host, List<C> claims, List<Problem> conflicts, DomainInputs inputs);
}
