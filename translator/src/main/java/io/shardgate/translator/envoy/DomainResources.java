package io.shardgate.translator.envoy;

import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.shardgate.translator.Echo;
import io.shardgate.translator.Problem;
import io.shardgate.translator.Reasons;
import io.shardgate.translator.domain.ClusterKey;
import io.shardgate.translator.domain.DomainResult;
import io.shardgate.translator.input.GatewayLayout;
import io.shardgate.translator.input.ObjectRef;
import io.shardgate.translator.kube.Hosts;
import io.shardgate.translator.model.DomainModel;
import io.shardgate.translator.model.RouteAction;
import io.shardgate.translator.model.RouteModel;
import io.shardgate.translator.resource.Part;
import io.shardgate.translator.resource.ResourceType;
import io.shardgate.translator.resource.XdsResource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Writes one domain's model as Envoy resources: the plain-HTTP virtual host, and with valid TLS the HTTPS
 * filter chain and its route configuration. Everything is validated before it is serialised; a violation
 * rejects the domain instead of reaching any Envoy.
 */
final class DomainResources {
    private final Packer packer;

    DomainResources(Packer packer) {
        this.packer = packer;
    }

    DomainResult build(DomainModel domain, GatewayLayout layout) {
        boolean https = domain.tlsSecret().isPresent() && !domain.isCatchAll();
        // A domain with routes but none on plain HTTP (an HTTPRoute reached through HTTPS listeners only) leaves
        // plain HTTP to the catch-all. A domain without routes keeps its virtual host: its requests get 404.
        boolean wantsPlain = domain.routes().isEmpty() || domain.routes().stream().anyMatch(r -> r.serving().onPlain());
        boolean unscoped = wantsPlain && layout == GatewayLayout.SCOPED && !Hosts.isExact(domain.host());
        boolean plain = wantsPlain && !unscoped;
        List<Problem> problems = domain.problems();
        if (unscoped) {
            problems = new ArrayList<>(problems);
            problems.add(notScoped(domain, https));
            if (!https) return new DomainResult.Rejected(domain.host(), domain.sources(), problems);
        }
        // In the scoped layout an exact host needs a chain of its own only while a wildcard chain covers it: the shard
        // asks for it then (Translator.httpsChain), so the other hosts do not pay for building and validating one.
        boolean ownChain = https && !(layout == GatewayLayout.SCOPED && Hosts.isExact(domain.host()));
        VirtualHost httpVirtualHost;
        FilterChain chain;
        RouteConfiguration httpsRoutes;
        try {
            httpVirtualHost = !plain ? null : packer.build(VirtualHost.getDescriptor(), () -> VirtualHosts.virtualHost(domain, true));
            chain = !ownChain ? null : packer.build(FilterChain.getDescriptor(),
                    () -> Listeners.httpsChain(packer, domain.host(), EnvoyNames.secret(domain.tlsSecret().get())));
            httpsRoutes = !https ? null : packer.build(RouteConfiguration.getDescriptor(),
                    () -> layout == GatewayLayout.SCOPED && Hosts.isExact(domain.host())
                            ? Scopes.httpsRouteConfiguration(domain.host(), VirtualHosts.virtualHost(domain, false))
                            : VirtualHosts.httpsRouteConfiguration(domain));
        } catch (Packer.Invalid e) {
            return rejected(domain, e);
        }

        SortedSet<ObjectRef> secrets = new TreeSet<>();
        domain.tlsSecret().filter(s -> https).ifPresent(secrets::add);
        return new DomainResult.Served(
                domain.host(),
                ownChain ? Optional.of(Part.of(domain.host(), Wire.bytes(chain))) : Optional.empty(),
                https ? Optional.of(XdsResource.of(ResourceType.ROUTE, httpsRoutes.getName(), Wire.bytes(httpsRoutes))) : Optional.empty(),
                plain ? Optional.of(Part.of(domain.host(), Wire.bytes(httpVirtualHost))) : Optional.empty(),
                clusters(domain, https),
                secrets,
                domain.sources(),
                problems,
                domain.recheckAt());
    }

    /** The clusters some emitted route forwards to (plain-HTTP routes that redirect forward nowhere). */
    private static SortedSet<ClusterKey> clusters(DomainModel domain, boolean https) {
        SortedSet<ClusterKey> clusters = new TreeSet<>();
        for (RouteModel route : domain.routes()) {
            boolean forwardsOnPlain = route.serving().onPlain() && !route.serving().redirectsPlain();
            if (!forwardsOnPlain && !(https && route.serving().onHttps())) continue;
            if (route.action() instanceof RouteAction.Forward forward) clusters.add(forward.cluster());
            if (route.action() instanceof RouteAction.Split split) clusters.addAll(split.clusters());
            if (route.action() instanceof RouteAction.Forward || route.action() instanceof RouteAction.Split) {
                route.forwarding().mirrors().forEach(mirror -> clusters.add(mirror.cluster()));
            }
        }
        return clusters;
    }

    private static Problem notScoped(DomainModel domain, boolean https) {
        String what = domain.isCatchAll() ? "rules without a host (the catch-all)" : "wildcard host " + Echo.quote(domain.host());
        return new Problem(domain.sources().first(), domain.host(), Reasons.NOT_SCOPED, what + " cannot be served on plain HTTP"
                + " by a gateway in the scoped layout: Envoy selects a scope by the exact Host; "
                + (https ? "served over HTTPS only" : "not served") + " (use exact hosts, or the classic layout)");
    }

    private static DomainResult rejected(DomainModel domain, Packer.Invalid invalid) {
        List<Problem> problems = new ArrayList<>(domain.problems());
        problems.add(new Problem(domain.sources().first(), domain.host(), Reasons.ENVOY_VALIDATION_FAILED,
                invalid.typeName() + " for " + domain.host() + " fails Envoy's validation ("
                        + invalid.violation() + "); the domain is not served. This is a Shardgate bug: please report it"));
        return new DomainResult.Rejected(domain.host(), domain.sources(), problems);
    }
}
