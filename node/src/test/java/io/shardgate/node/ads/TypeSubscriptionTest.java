package io.shardgate.node.ads;

import static io.shardgate.node.ads.EnvoyResources.cluster;
import static io.shardgate.node.ads.EnvoyResources.route;
import static io.shardgate.node.ads.EnvoyResources.secret;
import static org.assertj.core.api.Assertions.assertThat;

import io.shardgate.sharding.ShardId;
import io.shardgate.node.store.ShardStore;
import io.shardgate.translator.resource.ResourceType;
import io.shardgate.translator.resource.XdsResource;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The per-type logic without a network: what goes into the next response. */
class TypeSubscriptionTest {
    private final ShardStore store = new ShardStore(new ShardId("gw", 0), 2);
    private int nonce;

    @Test
    void aRejectedVersionIsNotSentAgainEvenWhenEverythingIsCompared() {
        XdsResource good = cluster("a");
        store.apply(new ShardStore.Batch().put(good).put(cluster("b")));
        TypeSubscription clusters = new TypeSubscription(ResourceType.CLUSTER, ResponseStyle.DELTA);
        clusters.subscribe(List.of(), List.of(), Map.of());
        sendAndAck(clusters);

        XdsResource bad = cluster("a", 5);
        store.apply(new ShardStore.Batch().put(bad));
        send(clusters);
        assertThat(clusters.reject("Error adding/updating cluster(s) a: bad")).isEqualTo(Map.of("a", bad.version()));

        // More deletions than the store keeps tombstones for: the subscription must compare everything.
        store.apply(new ShardStore.Batch().put(cluster("c")).put(cluster("d")).put(cluster("e")));
        store.apply(new ShardStore.Batch().remove(ResourceType.CLUSTER, "c").remove(ResourceType.CLUSTER, "d")
                .remove(ResourceType.CLUSTER, "e").remove(ResourceType.CLUSTER, "b"));
        ChangeSet next = clusters.collect(store, store.sequence());

        assertThat(next.updates()).isEmpty();
        assertThat(next.removals()).containsExactly("b");
    }

    @Test
    void deltaWildcardCanBeTurnedOnAndOffExplicitly() {
        store.apply(new ShardStore.Batch().put(route("r1", "a", "c")).put(route("r2", "b", "c")));
        TypeSubscription routes = new TypeSubscription(ResourceType.ROUTE, ResponseStyle.DELTA);

        routes.subscribe(List.of("r1"), List.of(), Map.of());
        assertThat(sendAndAck(routes).updates()).containsOnlyKeys("r1");

        routes.subscribe(List.of("*"), List.of(), Map.of());
        assertThat(sendAndAck(routes).updates()).containsOnlyKeys("r2");

        routes.subscribe(List.of(), List.of("*"), Map.of());
        store.apply(new ShardStore.Batch().put(route("r2", "b", "d")).put(route("r1", "a", "d")));
        assertThat(sendAndAck(routes).updates()).containsOnlyKeys("r1");
    }

    @Test
    void secretsAreNeverGivenByWildcardOnlyByName() {
        store.apply(new ShardStore.Batch().put(secret("shop/tls", "cert-a")).put(secret("blog/tls", "cert-b")));

        TypeSubscription delta = new TypeSubscription(ResourceType.SECRET, ResponseStyle.DELTA);
        delta.subscribe(List.of("*"), List.of(), Map.of());
        assertThat(delta.collect(store, store.sequence())).as("nothing to send for '*'").isNull();
        delta.subscribe(List.of("shop/tls"), List.of(), Map.of());
        assertThat(sendAndAck(delta).updates()).containsOnlyKeys("shop/tls");

        for (List<String> request : List.of(List.of("*"), List.<String>of())) {
            TypeSubscription sotw = new TypeSubscription(ResourceType.SECRET, ResponseStyle.CHANGED_ONLY);
            sotw.replaceNames(request);
            assertThat(sotw.collect(store, store.sequence()).updates()).as("SotW %s", request).isEmpty();
        }
        TypeSubscription sotw = new TypeSubscription(ResourceType.SECRET, ResponseStyle.CHANGED_ONLY);
        sotw.replaceNames(List.of("*", "blog/tls"));
        assertThat(sotw.collect(store, store.sequence()).updates()).containsOnlyKeys("blog/tls");
    }

    @Test
    void aSubscribedNameThatDoesNotExistIsReportedRemovedInDeltaOnly() {
        TypeSubscription delta = new TypeSubscription(ResourceType.ROUTE, ResponseStyle.DELTA);
        delta.subscribe(List.of("missing"), List.of(), Map.of());
        assertThat(delta.collect(store, store.sequence()).removals()).containsExactly("missing");

        TypeSubscription sotw = new TypeSubscription(ResourceType.ROUTE, ResponseStyle.CHANGED_ONLY);
        sotw.replaceNames(List.of("missing"));
        ChangeSet first = sotw.collect(store, store.sequence());
        assertThat(first.updates()).isEmpty();
        assertThat(first.removals()).isEmpty();
    }

    @Test
    void aSotwRequestThatOnlyDropsNamesNeedsNoResponse() {
        store.apply(new ShardStore.Batch().put(route("r1", "a", "c")).put(route("r2", "b", "c")));
        TypeSubscription routes = new TypeSubscription(ResourceType.ROUTE, ResponseStyle.CHANGED_ONLY);
        routes.replaceNames(List.of("r1", "r2"));
        sendAndAck(routes);

        routes.replaceNames(List.of("r1"));
        assertThat(routes.collect(store, store.sequence())).isNull();

        routes.replaceNames(List.of("r1", "r2"));
        assertThat(sendAndAck(routes).updates()).containsOnlyKeys("r2");
    }

    @Test
    void aRejectedVersionIsNotSentAgainWhenItsNameIsDroppedAndSubscribedAgain() {
        store.apply(new ShardStore.Batch().put(route("r1", "a", "c")));
        for (ResponseStyle style : List.of(ResponseStyle.CHANGED_ONLY, ResponseStyle.DELTA)) {
            TypeSubscription routes = new TypeSubscription(ResourceType.ROUTE, style);
            subscribe(routes, List.of("r1"), List.of());
            assertThat(send(routes).updates()).containsOnlyKeys("r1");
            routes.reject("r1: bad");

            subscribe(routes, List.of(), List.of("r1"));
            subscribe(routes, List.of("r1"), List.of());
            ChangeSet again = routes.collect(store, store.sequence());
            assertThat(again == null ? Map.of() : again.updates()).as("%s", style).isEmpty();
        }
        store.apply(new ShardStore.Batch().put(route("r1", "a", "d")));
        TypeSubscription routes = new TypeSubscription(ResourceType.ROUTE, ResponseStyle.DELTA);
        subscribe(routes, List.of("r1"), List.of());
        send(routes);
        routes.reject("r1: bad");
        store.apply(new ShardStore.Batch().put(route("r1", "a", "e")));
        assertThat(routes.collect(store, store.sequence()).updates()).as("the next version goes out").containsOnlyKeys("r1");
    }

    /** Adds and removes names in the style's own way (SotW: the whole list; Delta: the differences). */
    private static void subscribe(TypeSubscription subscription, List<String> add, List<String> remove) {
        if (subscription.style() == ResponseStyle.DELTA) {
            subscription.subscribe(add, remove, Map.of());
        } else {
            subscription.replaceNames(add);
        }
    }

    private ChangeSet send(TypeSubscription subscription) {
        ChangeSet changes = subscription.collect(store, store.sequence());
        subscription.sent(Integer.toString(++nonce), "v", changes, System.nanoTime());
        return changes;
    }

    private ChangeSet sendAndAck(TypeSubscription subscription) {
        ChangeSet changes = send(subscription);
        assertThat(subscription.isAwaiting(Integer.toString(nonce))).isTrue();
        subscription.acknowledge();
        return changes;
    }
}
