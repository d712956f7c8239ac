package io.shardgate.node.ads;

import static io.shardgate.node.ads.EnvoyResources.route;
import static org.assertj.core.api.Assertions.assertThat;

import io.shardgate.node.store.ShardStore;
import io.shardgate.sharding.ShardId;
import io.shardgate.translator.resource.ResourceType;
import io.shardgate.translator.resource.XdsResource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A Delta client kept in sync by the incremental responses (the names a change dirtied, or everything when the store's
 * change log no longer reaches back) holds, after every acknowledged response, exactly what a client computed from
 * scratch would: every subscribed name the store has, at the store's version. Seeded random sequences of store
 * changes (up to 150 resources at once, above the size where the subscription's working sets are replaced rather than
 * cleared), name subscriptions and the wildcard switched on and off.
 */
class TypeSubscriptionDifferentialTest {
    private static final int NAMES = 300;

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6})
    void incrementalResponsesKeepTheClientEqualToTheStoreFilteredBySubscription(long seed) {
        Random random = new Random(seed);
        ShardStore store = new ShardStore(new ShardId("gw", 0), 1 + random.nextInt(64));
        TypeSubscription routes = new TypeSubscription(ResourceType.ROUTE, ResponseStyle.DELTA);
        Set<String> named = new HashSet<>();
        boolean wildcard = false;
        Map<String, Long> client = new HashMap<>();
        int nonce = 0;
        for (int step = 0; step < 400; step++) {
            switch (random.nextInt(4)) {
                case 0, 1 -> store.apply(storeChange(random));
                case 2 -> {
                    List<String> add = names(random, random.nextInt(120));
                    List<String> remove = names(random, random.nextInt(60));
                    remove.removeAll(add);
                    routes.subscribe(add, remove, Map.of());
                    named.addAll(add);
                    named.removeAll(remove);
                    if (!wildcard) remove.forEach(client::remove); // a Delta client drops what it no longer subscribes to
                }
                default -> {
                    wildcard = !wildcard;
                    routes.subscribe(wildcard ? List.of("*") : List.of(), wildcard ? List.of() : List.of("*"), Map.of());
                    if (!wildcard) client.keySet().retainAll(named);
                }
            }
            ChangeSet changes = routes.collect(store, store.sequence());
            if (changes != null) {
                routes.sent(Integer.toString(++nonce), "v" + nonce, changes, System.nanoTime());
                changes.updates().forEach((name, r) -> client.put(name, r.hash()));
                changes.removals().forEach(client::remove);
                routes.acknowledge();
            }
            assertThat(client).as("seed %d, step %d", seed, step).isEqualTo(fromScratch(store, named, wildcard));
        }
    }

    private static ShardStore.Batch storeChange(Random random) {
        ShardStore.Batch batch = new ShardStore.Batch();
        Set<String> touched = new HashSet<>(names(random, 1 + random.nextInt(150)));
        for (String name : touched) {
            if (random.nextInt(4) == 0) batch.remove(ResourceType.ROUTE, name);
            else batch.put(route(name, name + ".example.com", "c" + random.nextInt(3)));
        }
        return batch;
    }

    private static List<String> names(Random random, int count) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < count; i++) out.add("r" + random.nextInt(NAMES));
        return out;
    }

    private static Map<String, Long> fromScratch(ShardStore store, Set<String> named, boolean wildcard) {
        Map<String, Long> out = new HashMap<>();
        for (XdsResource r : store.all(ResourceType.ROUTE)) {
            if (wildcard || named.contains(r.name())) out.put(r.name(), r.hash());
        }
        return out;
    }
}
