package io.shardgate.translator.shard;

import io.shardgate.translator.Translator;
import io.shardgate.translator.domain.DomainResult;
import io.shardgate.translator.envoy.EnvoyNames;
import io.shardgate.translator.input.ObjectRef;
import io.shardgate.translator.kube.Hosts;
import io.shardgate.translator.resource.Composite;
import io.shardgate.translator.resource.Part;
import io.shardgate.translator.resource.ResourceKey;
import io.shardgate.translator.resource.ResourceType;
import io.shardgate.translator.resource.XdsResource;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Where a shard's domains go in the scoped layout (docs/envoy.md): an exact domain's plain HTTP is its own scope and
 * route configuration; an exact TLS domain is an HTTPS scope naming its route configuration, plus its certificate
 * served under its host's name, the name Envoy asks for by SNI. Wildcard TLS hosts keep a filter chain of their own,
 * and so does every exact TLS host such a wildcard covers, since Envoy picks a wildcard chain before the chain without
 * server names; a Secret is served under its namespace/name only while such a chain names it, since no Envoy asks
 * for it otherwise. Part of {@link ShardAssembly}, whose changes and HTTPS listener it writes.
 */
final class ScopedFiling {
    private final Translator translator;
    private final ShardChanges.Builder changes;
    private final Composite https;
    private final Map<String, DomainResult> domains;
    /** Exact TLS hosts with an HTTPS scope, and the Secret served under each one's name. */
    private final Map<String, ObjectRef> scopedTls = new HashMap<>();
    private final Map<ObjectRef, Set<String>> hostsBySecret = new HashMap<>();
    /** The same hosts spelt backwards, so the hosts under a wildcard are a range, not a scan of the shard. */
    private final NavigableSet<String> scopedTlsReversed = new TreeSet<>();
    /** Wildcard hosts whose filter chain is in the listener. */
    private final Set<String> wildcardChains = new HashSet<>();
    /** Hosts whose filter chain is in the listener, and the Secret each names; how many chains name each Secret. */
    private final Map<String, ObjectRef> chained = new HashMap<>();
    private final Map<ObjectRef, Integer> chainsBySecret = new HashMap<>();

    ScopedFiling(Translator translator, ShardChanges.Builder changes, Composite https, Map<String, DomainResult> domains) {
        this.translator = translator;
        this.changes = changes;
        this.https = https;
        this.domains = domains;
    }

    /** Files a domain's plain-HTTP virtual host. */
    void plain(String host, Optional<DomainResult.Served> before, Optional<DomainResult.Served> after) {
        Optional<Part> was = before.flatMap(ScopedFiling::scopedVirtualHost);
        Optional<Part> now = after.flatMap(ScopedFiling::scopedVirtualHost);
        if (now.isPresent()) {
            if (was.map(b -> b.hash() == now.get().hash() && b.body().equals(now.get().body())).orElse(false)) return;
            if (was.isEmpty()) changes.put(translator.httpScope(host));
            changes.put(translator.httpScopeRoutes(host, now.get()));
        } else if (was.isPresent()) {
            changes.remove(new ResourceKey(ResourceType.SCOPED_ROUTE, EnvoyNames.httpScope(host)));
            changes.remove(new ResourceKey(ResourceType.ROUTE, EnvoyNames.httpScope(host)));
        }
    }

    /**
     * Files a domain's HTTPS side (its route configuration is put by the assembly); true if the listener changed, or
     * whether it should be served at all (it is while any TLS domain is filed).
     */
    boolean https(String host, Optional<DomainResult.Served> after, SharedResources shared) {
        boolean hadTls = hasTlsDomains();
        return fileHttps(host, after, shared) | hadTls != hasTlsDomains();
    }

    private boolean fileHttps(String host, Optional<DomainResult.Served> after, SharedResources shared) {
        if (!Hosts.isExact(host)) {
            boolean chain = after.flatMap(DomainResult.Served::httpsChain).isPresent();
            boolean changed = placeChain(host, after, chain, shared);
            if (chain ? wildcardChains.add(host) : wildcardChains.remove(host)) changed |= refileCovered(host, shared);
            return changed;
        }
        if (after.flatMap(DomainResult.Served::httpsRoute).isPresent()) {
            ObjectRef secret = after.get().secrets().first();
            ObjectRef previous = scopedTls.put(host, secret);
            if (previous == null) {
                changes.put(translator.httpsScope(host));
                scopedTlsReversed.add(reversed(host));
            }
            if (!secret.equals(previous)) {
                if (previous != null) hostsBySecret.get(previous).remove(host);
                hostsBySecret.computeIfAbsent(secret, s -> new HashSet<>()).add(host);
                putHostSecret(host, secret, shared);
            }
            return placeChain(host, after, isCovered(host), shared);
        }
        ObjectRef previous = scopedTls.remove(host);
        if (previous != null) {
            scopedTlsReversed.remove(reversed(host));
            Set<String> users = hostsBySecret.get(previous);
            users.remove(host);
            if (users.isEmpty()) hostsBySecret.remove(previous);
            changes.remove(new ResourceKey(ResourceType.SCOPED_ROUTE, EnvoyNames.httpsRouteConfiguration(host)));
            changes.remove(new ResourceKey(ResourceType.SECRET, host));
        }
        return placeChain(host, after, false, shared);
    }

    /** Puts the domain's chain in the listener or takes it out, serving the Secret it names while any chain does. */
    private boolean placeChain(String host, Optional<DomainResult.Served> result, boolean placed, SharedResources shared) {
        ObjectRef before = chained.remove(host);
        if (before != null && chainsBySecret.merge(before, -1, Integer::sum) == 0) {
            chainsBySecret.remove(before);
            changes.remove(new ResourceKey(ResourceType.SECRET, EnvoyNames.secret(before)));
        }
        if (!placed) return https.remove(host);
        ObjectRef secret = result.get().secrets().first();
        chained.put(host, secret);
        if (chainsBySecret.merge(secret, 1, Integer::sum) == 1) putSecret(secret, shared);
        return https.put(result.get().httpsChain().orElseGet(() -> translator.httpsChain(host, secret)));
    }

    private void putSecret(ObjectRef secret, SharedResources shared) {
        Optional<XdsResource> resource = shared.secret(secret);
        if (resource.isPresent()) {
            changes.put(resource.get());
        } else {
            changes.remove(new ResourceKey(ResourceType.SECRET, EnvoyNames.secret(secret)));
        }
    }

    /** A Secret changed: it is served again under its own name if a chain names it, and under each host's name. */
    void secretChanged(ObjectRef secret, SharedResources shared) {
        if (chainsBySecret.containsKey(secret)) putSecret(secret, shared);
        for (String host : hostsBySecret.getOrDefault(secret, Set.of())) putHostSecret(host, secret, shared);
    }

    boolean hasTlsDomains() {
        return !scopedTls.isEmpty() || !wildcardChains.isEmpty();
    }

    /** Whether a domain is served through one of these names (see {@link ShardAssembly#hostsBehind}). */
    boolean uses(DomainResult.Served s, ResourceType type, Set<String> names) {
        String host = s.host();
        boolean plain = scopedVirtualHost(s).isPresent();
        boolean tls = scopedTls.containsKey(host);
        return switch (type) {
            case SCOPED_ROUTE -> plain && names.contains(EnvoyNames.httpScope(host))
                    || tls && names.contains(EnvoyNames.httpsRouteConfiguration(host));
            case ROUTE -> plain && names.contains(EnvoyNames.httpScope(host));
            case SECRET -> tls && names.contains(host) || chained.containsKey(host) && names.contains(EnvoyNames.secret(chained.get(host)));
            default -> false;
        };
    }

    private void putHostSecret(String host, ObjectRef secret, SharedResources shared) {
        Optional<XdsResource> resource = shared.secret(secret);
        if (resource.isPresent()) {
            changes.put(translator.hostSecret(host, resource.get()));
        } else {
            changes.remove(new ResourceKey(ResourceType.SECRET, host));
        }
    }

    /** Envoy matches a chain's wildcard server name at any depth ("*.example.com" takes "a.b.example.com"). */
    private boolean isCovered(String host) {
        for (int dot = host.indexOf('.'); dot >= 0; dot = host.indexOf('.', dot + 1)) {
            if (wildcardChains.contains("*" + host.substring(dot))) return true;
        }
        return false;
    }

    /** A wildcard chain came or went: the exact hosts under it gain or lose their own chains. */
    private boolean refileCovered(String wildcard, SharedResources shared) {
        String under = reversed(wildcard.substring(1)); // "*.example.com": the hosts whose reversed name starts "moc.elpmaxe."
        boolean changed = false;
        for (String reversedHost : List.copyOf(scopedTlsReversed.subSet(under, true, under + Character.MAX_VALUE, false))) {
            String host = reversed(reversedHost);
            changed |= placeChain(host, Optional.of((DomainResult.Served) domains.get(host)), isCovered(host), shared);
        }
        return changed;
    }

    private static String reversed(String name) {
        return new StringBuilder(name).reverse().toString();
    }

    /** The virtual host a domain's scope holds: none for hosts Envoy cannot select a scope by. */
    private static Optional<Part> scopedVirtualHost(DomainResult.Served served) {
        return Hosts.isExact(served.host()) ? served.httpVirtualHost() : Optional.empty();
    }
}
